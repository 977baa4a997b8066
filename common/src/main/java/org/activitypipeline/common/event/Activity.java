package org.activitypipeline.common.event;

import java.time.Instant;
import java.util.Map;

/**
 * One activity row as polled from Cassandra ({@code raw-activities}, keyed by employee id).
 *
 * @param activityId   the Cassandra timeuuid, unique per activity; the dedupe key downstream
 * @param eventTime    when it happened on the device (drives windows)
 * @param ingestTime   when it was written to Cassandra (its write-time bucket); not event time
 */
public record Activity(
    int schemaVersion,
    String activityId,
    long employeeId,
    String activityType,
    String deviceType,
    String os,
    String ip,
    String location,
    int durationSeconds,
    Instant eventTime,
    Instant ingestTime,
    Map<String, String> metadata) implements Versioned {

  public static final int SCHEMA_VERSION = 1;

  public Activity {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /**
   * The pipeline's rule for an activity's shape (docs/ARCHITECTURE.md §5b), in one place for every
   * reader of activity rows: {@code employee_id} and {@code event_time} present, {@code activity_type}
   * and {@code device_type} present and not blank, {@code duration_seconds} present and not negative.
   * A null is never read as 0. (The event time's distance from the write time is judged by the enricher.)
   *
   * @return why a row with these columns (null where absent) is not an activity, naming the column;
   *     null when it is one
   */
  public static String invalidReason(Long employeeId, Instant eventTime, String activityType, String deviceType,
                                     Integer durationSeconds) {
    if (employeeId == null) {
      return "employee_id is missing";
    }
    if (eventTime == null) {
      return "event_time is missing";
    }
    if (activityType == null || activityType.isBlank()) {
      return "activity_type is missing or empty";
    }
    if (deviceType == null || deviceType.isBlank()) {
      return "device_type is missing or empty";
    }
    if (durationSeconds == null) {
      return "duration_seconds is missing";
    }
    if (durationSeconds < 0) {
      return "duration_seconds is negative (" + durationSeconds + ")";
    }
    return null;
  }
}
