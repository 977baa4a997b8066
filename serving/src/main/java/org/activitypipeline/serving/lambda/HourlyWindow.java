package org.activitypipeline.serving.lambda;

import java.time.Instant;
import org.activitypipeline.common.event.HourlyActivityAggregate;

/** One department's activity of one type in one event-time hour, as the API returns it. */
public record HourlyWindow(
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
    Source source) {

  public static HourlyWindow fromSpeed(HourlyActivityAggregate a) {
    return new HourlyWindow(a.department(), a.activityType(), a.windowStart(), a.windowEnd(), a.eventCount(),
        a.uniqueEmployees(), a.totalDurationSeconds(), a.avgDurationSeconds(), a.firstEventTime(),
        a.lastEventTime(), a.isFinal(), Source.SPEED);
  }
}
