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
}
