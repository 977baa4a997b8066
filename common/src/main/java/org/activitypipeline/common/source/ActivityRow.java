package org.activitypipeline.common.source;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.activitypipeline.common.event.Activity;
import org.activitypipeline.common.json.Json;
import org.activitypipeline.common.time.ActivityBuckets;

/**
 * One row of the Cassandra activity table as read by the poller and the reconciliation: a valid {@link Activity}, or the reason it is
 * not one, by {@link Activity#invalidReason}. Nothing is coerced: a missing number is never read as 0.
 * Pure.
 *
 * @param activityId    the row's timeuuid (its write time)
 * @param activity      the activity, or null when the row is invalid
 * @param invalidReason why the row is not an activity (names the column), or null
 * @param columns       the row's columns but metadata, for a dead letter
 * @param metadata      the row's metadata (empty when null)
 */
public record ActivityRow(UUID activityId, Activity activity, String invalidReason, Map<String, Object> columns,
                 Map<String, String> metadata) {
  /** Metadata larger than this (as JSON) is left out of a dead letter: a reference stays bounded. */
  public static final int MAX_DEAD_LETTER_METADATA_BYTES = 16 * 1024;

  public boolean isValid() {
    return activity != null;
  }

  /** The row's write time (its timeuuid's time): when it became an input of the pipeline. */
  public long writeTimeMillis() {
    return ActivityBuckets.writeTimeMillis(activityId);
  }

  /** Validates the columns of one row (null where the column is null). */
  public static ActivityRow of(UUID id, Long employeeId, String activityType, String deviceType, String os, String ip,
                      String location, Integer durationSeconds, Instant eventTime, Map<String, String> metadata) {
    Map<String, Object> columns = new LinkedHashMap<>();
    columns.put("activity_id", id.toString());
    columns.put("employee_id", employeeId);
    columns.put("activity_type", activityType);
    columns.put("device_type", deviceType);
    columns.put("os", os);
    columns.put("ip", ip);
    columns.put("location", location);
    columns.put("duration_seconds", durationSeconds);
    columns.put("event_time", eventTime == null ? null : eventTime.toString());
    String reason = Activity.invalidReason(employeeId, eventTime, activityType, deviceType, durationSeconds);
    Map<String, String> meta = metadata == null ? Map.of() : metadata;
    if (reason != null) {
      return new ActivityRow(id, null, reason, columns, meta);
    }
    Activity a = new Activity(Activity.SCHEMA_VERSION, id.toString(), employeeId, activityType, deviceType, os, ip,
        location, durationSeconds, eventTime, Instant.ofEpochMilli(ActivityBuckets.writeTimeMillis(id)), meta);
    return new ActivityRow(id, a, null, columns, meta);
  }

  /** This row refused for {@code reason} (a valid row Kafka cannot take, for instance). */
  public ActivityRow rejected(String reason) {
    return new ActivityRow(activityId, null, reason, columns, metadata);
  }

  /** What goes to the dead-letter topic for a refused row: its columns as JSON, metadata bounded. */
  public byte[] deadLetterValue() {
    Map<String, Object> value = new LinkedHashMap<>(columns);
    byte[] metaJson = Json.write(metadata);
    if (metaJson.length <= MAX_DEAD_LETTER_METADATA_BYTES) {
      value.put("metadata", metadata);
    } else {
      value.put("metadata_omitted_bytes", metaJson.length);
    }
    return Json.write(value);
  }
}
