package org.activitypipeline.speed.window;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.activitypipeline.common.time.EventWindows;
import org.activitypipeline.speed.processor.TaskOutput;

/**
 * What one enrich task adds to windows during one transaction, pre-aggregated per window so that the
 * repartition hop carries one partial per touched window instead of every event (DESIGN §5a).
 * Not thread-safe.
 */
public final class PartialAggregates {
  /** Keyed by small records, not the routing string: no string building per event (the hot path). */
  private final Map<Object, WindowAggregate> partials = new HashMap<>();

  private record HourlyKey(String department, String activityType, long start) {
  }

  private record DailyKey(String deviceType, long start) {
  }

  /** Counts one event into its hourly window of (department, activity type). */
  public void addHourly(String department, String activityType, long employeeId, long durationSeconds,
                        long eventMillis) {
    long start = EventWindows.hourStartMillis(eventMillis);
    partials.computeIfAbsent(new HourlyKey(department, activityType, start),
        k -> WindowAggregate.hourly(department, activityType, start))
        .add(employeeId, activityType, durationSeconds, eventMillis);
  }

  /** Counts one event into its daily (UTC) window of the device type. */
  public void addDaily(String deviceType, String activityType, long employeeId, long eventMillis) {
    long start = EventWindows.dayStartMillis(eventMillis);
    partials.computeIfAbsent(new DailyKey(deviceType, start), k -> WindowAggregate.daily(deviceType, start))
        .add(employeeId, activityType, 0, eventMillis);
  }

  /** Sends every partial to the window-partials topic (partitioned by window key) and forgets them. */
  public void flushTo(TaskOutput out, String partialsTopic) {
    for (WindowAggregate partial : partials.values()) {
      out.send(partialsTopic, partial.key().getBytes(StandardCharsets.UTF_8), partial.toJson());
    }
    partials.clear();
  }

  public boolean isEmpty() {
    return partials.isEmpty();
  }

}
