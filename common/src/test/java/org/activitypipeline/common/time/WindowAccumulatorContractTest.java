package org.activitypipeline.common.time;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The shared accumulator and the shared boundaries and keys, with events split over merged parts. */
class WindowAccumulatorContractTest extends WindowContractTest {
  @Override
  protected Windows compute(List<Event> events) {
    Map<String, WindowAccumulator> hourly = new HashMap<>();
    Map<String, WindowAccumulator> daily = new HashMap<>();
    // Every third event goes into a separate part first, merged afterwards: add and merge must agree.
    Map<String, WindowAccumulator> hourlyParts = new HashMap<>();
    Map<String, WindowAccumulator> dailyParts = new HashMap<>();
    int i = 0;
    for (Event e : events) {
      boolean part = i++ % 3 == 0;
      String h = EventWindows.hourlyKey(e.department(), e.activityType(), EventWindows.hourStartMillis(e.eventMillis()));
      String d = EventWindows.dailyKey(e.deviceType(), EventWindows.utcDay(Instant.ofEpochMilli(e.eventMillis())));
      (part ? hourlyParts : hourly).computeIfAbsent(h, k -> new WindowAccumulator(false))
          .add(e.employeeId(), e.activityType(), e.durationSeconds(), e.eventMillis());
      (part ? dailyParts : daily).computeIfAbsent(d, k -> new WindowAccumulator(true))
          .add(e.employeeId(), e.activityType(), e.durationSeconds(), e.eventMillis());
    }
    hourlyParts.forEach((k, p) -> hourly.computeIfAbsent(k, x -> new WindowAccumulator(false)).merge(p));
    dailyParts.forEach((k, p) -> daily.computeIfAbsent(k, x -> new WindowAccumulator(true)).merge(p));
    Map<String, Hourly> h = new HashMap<>();
    hourly.forEach((k, a) -> h.put(k, new Hourly(a.count(), a.uniqueEmployees(), a.totalDurationSeconds(),
        a.firstEventMillis(), a.lastEventMillis())));
    Map<String, Daily> d = new HashMap<>();
    daily.forEach((k, a) -> d.put(k, new Daily(a.count(), a.uniqueEmployees(), a.countsByActivityType())));
    return new Windows(h, d);
  }
}
