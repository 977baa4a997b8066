package org.activitypipeline.speed.window;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.activitypipeline.common.event.DailyDeviceAggregate;
import org.activitypipeline.common.event.HourlyActivityAggregate;
import org.activitypipeline.common.time.EventWindows;
import org.activitypipeline.common.time.WindowContractTest;

/**
 * The speed layer's windows under the window contract, the way they are really built: events are
 * pre-aggregated into partials per "transaction" (runs of 500), each partial travels as JSON, the
 * window state merges the partials (and is itself stored and restored as JSON), and the values are
 * read from the output records under their compaction keys.
 */
class WindowAggregateContractTest extends WindowContractTest {
  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

  @Override
  protected Windows compute(List<Event> events) {
    Map<String, WindowAggregate> states = new HashMap<>();
    for (int from = 0; from < events.size(); from += 500) {
      Map<String, WindowAggregate> partials = new HashMap<>();
      for (Event e : events.subList(from, Math.min(events.size(), from + 500))) {
        long hour = EventWindows.hourStartMillis(e.eventMillis());
        partials.computeIfAbsent(WindowAggregate.hourlyKey(e.department(), e.activityType(), hour),
            k -> WindowAggregate.hourly(e.department(), e.activityType(), hour))
            .add(e.employeeId(), e.activityType(), e.durationSeconds(), e.eventMillis());
        long day = EventWindows.dayStartMillis(e.eventMillis());
        partials.computeIfAbsent(WindowAggregate.dailyKey(e.deviceType(), day),
            k -> WindowAggregate.daily(e.deviceType(), day))
            .add(e.employeeId(), e.activityType(), 0, e.eventMillis());
      }
      for (WindowAggregate partial : partials.values()) {
        WindowAggregate travelled = WindowAggregate.fromJson(partial.toJson());
        WindowAggregate state = states.get(travelled.key());
        if (state == null) {
          states.put(travelled.key(), travelled);
        } else {
          state.merge(travelled);
          states.put(state.key(), WindowAggregate.fromJson(state.toJson())); // as restored from the changelog
        }
      }
    }
    Map<String, Hourly> hourly = new HashMap<>();
    Map<String, Daily> daily = new HashMap<>();
    for (WindowAggregate w : new ArrayList<>(states.values())) {
      if (w.kind() == WindowKind.HOURLY) {
        HourlyActivityAggregate a = w.toHourly(false, NOW);
        hourly.put(a.key(), new Hourly(a.eventCount(), a.uniqueEmployees(), a.totalDurationSeconds(),
            a.firstEventTime().toEpochMilli(), a.lastEventTime().toEpochMilli()));
      } else {
        DailyDeviceAggregate a = w.toDaily(false, NOW);
        daily.put(a.key(), new Daily(a.eventCount(), a.uniqueEmployees(), a.countsByActivityType()));
      }
    }
    return new Windows(hourly, daily);
  }
}
