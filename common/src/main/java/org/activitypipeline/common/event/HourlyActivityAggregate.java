package org.activitypipeline.common.event;

import java.time.Instant;
import org.activitypipeline.common.time.EventWindows;

/**
 * Activity of one department and activity type in one event-time hour
 * ({@code hourly-activity-aggregations}, compacted, keyed by department, activity type and window
 * start). Upserted as the window fills; {@link #isFinal} once the watermark passed end + grace.
 */
public record HourlyActivityAggregate(
    int schemaVersion,
    String department,
    String activityType,
    Instant windowStart,
    Instant windowEnd,
    long eventCount,
    long uniqueEmployees,
    long totalDurationSeconds,
    double avgDurationSeconds,
    Instant firstEventTime,
    Instant lastEventTime,
    boolean isFinal,
    Instant updatedAt) implements Versioned {

  public static final int SCHEMA_VERSION = 1;

  /** The compaction key: one record per department, activity type and hour. */
  public String key() {
    return EventWindows.hourlyKey(department, activityType, windowStart.toEpochMilli());
  }
}
