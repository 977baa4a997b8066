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

  /** This window with {@code isFinal} set as given. */
  public HourlyWindow withFinal(boolean isFinal) {
    return isFinal == this.isFinal ? this : new HourlyWindow(department, activityType, windowStart, windowEnd, eventCount,
        uniqueEmployees, totalDurationSeconds, avgDurationSeconds, firstEventTime, lastEventTime, isFinal, source);
  }

  public static HourlyWindow fromSpeed(HourlyActivityAggregate a) {
    return new HourlyWindow(a.department(), a.activityType(), a.windowStart(), a.windowEnd(), a.eventCount(),
        a.uniqueEmployees(), a.totalDurationSeconds(), a.avgDurationSeconds(), a.firstEventTime(),
        a.lastEventTime(), a.isFinal(), Source.SPEED);
  }
}
