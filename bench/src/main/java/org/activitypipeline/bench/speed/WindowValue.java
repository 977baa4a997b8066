package org.activitypipeline.bench.speed;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.activitypipeline.common.event.DailyDeviceAggregate;
import org.activitypipeline.common.event.HourlyActivityAggregate;
import org.activitypipeline.common.json.JsonCodec;

/**
 * The value of one window that both implementations must agree on: everything of the aggregate but
 * {@code is_final} and {@code updated_at} (and the average duration, which follows from the rest).
 * Hourly windows carry duration and first/last event time; daily ones carry counts per activity type.
 */
record WindowValue(long count, long uniqueEmployees, long totalDurationSeconds, long firstEventMillis,
                   long lastEventMillis, Map<String, Long> countsByActivityType) {
  private static final JsonCodec<HourlyActivityAggregate> HOURLY =
      JsonCodec.of(HourlyActivityAggregate.class, HourlyActivityAggregate.SCHEMA_VERSION);
  private static final JsonCodec<DailyDeviceAggregate> DAILY =
      JsonCodec.of(DailyDeviceAggregate.class, DailyDeviceAggregate.SCHEMA_VERSION);

  static WindowValue ofHourly(byte[] json) {
    HourlyActivityAggregate a = HOURLY.decode(json);
    return new WindowValue(a.eventCount(), a.uniqueEmployees(), a.totalDurationSeconds(),
        a.firstEventTime().toEpochMilli(), a.lastEventTime().toEpochMilli(), Map.of());
  }

  static WindowValue ofDaily(byte[] json) {
    DailyDeviceAggregate a = DAILY.decode(json);
    return new WindowValue(a.eventCount(), a.uniqueEmployees(), 0, 0, 0, new TreeMap<>(a.countsByActivityType()));
  }

  /** Latest hourly values by key, decoded from a {@link BenchKafka#latest} map. */
  static Map<String, WindowValue> hourly(Map<String, byte[]> latest) {
    Map<String, WindowValue> out = new HashMap<>();
    latest.forEach((k, v) -> out.put(k, ofHourly(v)));
    return out;
  }

  static Map<String, WindowValue> daily(Map<String, byte[]> latest) {
    Map<String, WindowValue> out = new HashMap<>();
    latest.forEach((k, v) -> out.put(k, ofDaily(v)));
    return out;
  }

  static long totalCount(Map<String, WindowValue> windows) {
    return windows.values().stream().mapToLong(WindowValue::count).sum();
  }

  /**
   * The hourly windows of {@code in} as computed directly from the generator's record, leaving out
   * the events in {@code excluded}; keys as in the hourly topic ({@code department|type|start}).
   */
  static Map<String, WindowValue> referenceHourly(Input in, BitSet excluded) {
    Map<String, Acc> acc = new HashMap<>();
    for (int i = 0; i < in.size; i++) {
      if (excluded.get(i)) {
        continue;
      }
      String key = in.department(i) + "|" + in.type[i] + "|" + Instant.ofEpochMilli(Input.hourStart(in.eventMillis[i]));
      acc.computeIfAbsent(key, k -> new Acc()).add(in, i, false);
    }
    Map<String, WindowValue> out = new HashMap<>();
    acc.forEach((k, a) -> out.put(k, a.value(false)));
    return out;
  }

  /** The daily windows ({@code device|day}) of {@code in} without the events in {@code excluded}. */
  static Map<String, WindowValue> referenceDaily(Input in, BitSet excluded) {
    Map<String, Acc> acc = new HashMap<>();
    for (int i = 0; i < in.size; i++) {
      if (excluded.get(i)) {
        continue;
      }
      String key = in.device[i] + "|" + LocalDate.ofInstant(Instant.ofEpochMilli(in.eventMillis[i]), ZoneOffset.UTC);
      acc.computeIfAbsent(key, k -> new Acc()).add(in, i, true);
    }
    Map<String, WindowValue> out = new HashMap<>();
    acc.forEach((k, a) -> out.put(k, a.value(true)));
    return out;
  }

  private static final class Acc {
    long count;
    long duration;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    final Set<Integer> employees = new HashSet<>();
    final Map<String, Long> byType = new TreeMap<>();

    void add(Input in, int i, boolean daily) {
      count++;
      duration += in.duration[i];
      first = Math.min(first, in.eventMillis[i]);
      last = Math.max(last, in.eventMillis[i]);
      employees.add(in.employee[i]);
      if (daily) {
        byType.merge(in.type[i], 1L, Long::sum);
      }
    }

    WindowValue value(boolean daily) {
      return daily ? new WindowValue(count, employees.size(), 0, 0, 0, byType)
          : new WindowValue(count, employees.size(), duration, first, last, Map.of());
    }
  }
}
