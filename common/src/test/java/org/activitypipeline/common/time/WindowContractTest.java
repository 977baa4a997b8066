package org.activitypipeline.common.time;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The window contract, run over every implementation (as Caffeine's cache tests run over every
 * cache): the speed layer's window aggregates, the batch views' aggregates and the shared
 * {@link WindowAccumulator} each extend this class and say how they compute windows. The expected
 * values come from the definition, computed here independently of {@link EventWindows} and
 * {@link WindowAccumulator} (calendar arithmetic and plain sets).
 *
 * <p>The department of an event is an input here (the join is another contract); it is a function of
 * the employee, so implementations that join by employee can reproduce it.
 */
public abstract class WindowContractTest {

  /** One valid activity, its department already decided. */
  public record Event(long employeeId, String department, String activityType, String deviceType,
                      int durationSeconds, long eventMillis) {
  }

  /** An hourly window's values. */
  public record Hourly(long count, long uniqueEmployees, long totalDurationSeconds, long firstEventMillis,
                       long lastEventMillis) {
  }

  /** A daily window's values. */
  public record Daily(long count, long uniqueEmployees, Map<String, Long> countsByActivityType) {
    public Daily {
      countsByActivityType = new TreeMap<>(countsByActivityType);
    }
  }

  /** Every window of some events, under the names {@link EventWindows} gives them. */
  public record Windows(Map<String, Hourly> hourly, Map<String, Daily> daily) {
    public Windows {
      hourly = new TreeMap<>(hourly);
      daily = new TreeMap<>(daily);
    }
  }

  /** The implementation under test. */
  protected abstract Windows compute(List<Event> events);

  public static String departmentOf(long employeeId) {
    return employeeId % 11 == 0 ? "unassigned" : "dept-" + employeeId % 5;
  }

  private static long t(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  private static Event event(long employee, String type, String device, int duration, String at) {
    return new Event(employee, departmentOf(employee), type, device, duration, t(at));
  }

  /** The definition, written out: hour = calendar hour of the UTC time, day = UTC date, plain sets. */
  static Windows definition(List<Event> events) {
    Map<String, List<Event>> byHour = new HashMap<>();
    Map<String, List<Event>> byDay = new HashMap<>();
    for (Event e : events) {
      ZonedDateTime utc = Instant.ofEpochMilli(e.eventMillis()).atZone(ZoneOffset.UTC);
      ZonedDateTime hour = utc.withMinute(0).withSecond(0).withNano(0);
      byHour.computeIfAbsent(e.department() + "|" + e.activityType() + "|" + hour.toInstant(), k -> new ArrayList<>())
          .add(e);
      byDay.computeIfAbsent(e.deviceType() + "|" + utc.toLocalDate(), k -> new ArrayList<>()).add(e);
    }
    Map<String, Hourly> hourly = new HashMap<>();
    byHour.forEach((k, list) -> {
      Set<Long> who = new HashSet<>();
      long total = 0;
      long first = Long.MAX_VALUE;
      long last = Long.MIN_VALUE;
      for (Event e : list) {
        who.add(e.employeeId());
        total += e.durationSeconds();
        first = Math.min(first, e.eventMillis());
        last = Math.max(last, e.eventMillis());
      }
      hourly.put(k, new Hourly(list.size(), who.size(), total, first, last));
    });
    Map<String, Daily> daily = new HashMap<>();
    byDay.forEach((k, list) -> {
      Set<Long> who = new HashSet<>();
      Map<String, Long> byType = new HashMap<>();
      for (Event e : list) {
        who.add(e.employeeId());
        byType.merge(e.activityType(), 1L, Long::sum);
      }
      daily.put(k, new Daily(list.size(), who.size(), byType));
    });
    return new Windows(hourly, daily);
  }

  @Test
  void anEventAtABoundaryBelongsToTheWindowItStarts() {
    List<Event> events = List.of(
        event(1, "login", "laptop", 10, "2026-11-24T09:59:59.999Z"),
        event(1, "login", "laptop", 20, "2026-11-24T10:00:00Z"),
        event(2, "login", "phone", 30, "2026-11-24T23:59:59.999Z"),
        event(2, "login", "phone", 40, "2026-11-25T00:00:00Z"));
    Windows w = compute(events);
    String d1 = departmentOf(1);
    String d2 = departmentOf(2);
    assertEquals(Map.of(
        d1 + "|login|2026-11-24T09:00:00Z", new Hourly(1, 1, 10, t("2026-11-24T09:59:59.999Z"), t("2026-11-24T09:59:59.999Z")),
        d1 + "|login|2026-11-24T10:00:00Z", new Hourly(1, 1, 20, t("2026-11-24T10:00:00Z"), t("2026-11-24T10:00:00Z")),
        d2 + "|login|2026-11-24T23:00:00Z", new Hourly(1, 1, 30, t("2026-11-24T23:59:59.999Z"), t("2026-11-24T23:59:59.999Z")),
        d2 + "|login|2026-11-25T00:00:00Z", new Hourly(1, 1, 40, t("2026-11-25T00:00:00Z"), t("2026-11-25T00:00:00Z"))),
        w.hourly());
    assertEquals(Map.of(
        "laptop|2026-11-24", new Daily(2, 1, Map.of("login", 2L)),
        "phone|2026-11-24", new Daily(1, 1, Map.of("login", 1L)),
        "phone|2026-11-25", new Daily(1, 1, Map.of("login", 1L))), w.daily());
  }

  @Test
  void uniqueEmployeesAreExactAndValuesAddUp() {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      events.add(event(5 + (i % 3) * 5, "email", "desktop", i % 7, "2026-11-24T10:00:00Z"));
    }
    Windows w = compute(events);
    Hourly h = w.hourly().get(departmentOf(5) + "|email|2026-11-24T10:00:00Z");
    long total = 0;
    for (int i = 0; i < 1_000; i++) {
      total += i % 7;
    }
    assertEquals(new Hourly(1_000, 3, total, t("2026-11-24T10:00:00Z"), t("2026-11-24T10:00:00Z")), h);
    assertEquals(new Daily(1_000, 3, Map.of("email", 1_000L)), w.daily().get("desktop|2026-11-24"));
  }

  @Test
  void manyEventsOverDaysEqualTheDefinitionInAnyOrder() {
    Random r = new Random(42);
    String[] types = {"login", "email", "meeting", "file_access"};
    String[] devices = {"laptop", "phone", "tablet"};
    long start = t("2026-11-23T22:00:00Z");
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      long employee = 1 + r.nextInt(300);
      long at = start + (long) (r.nextDouble() * 3 * EventWindows.DAY_MILLIS);
      if (i % 97 == 0) {
        at = EventWindows.hourStartMillis(at); // plenty of events exactly on a boundary
      }
      events.add(new Event(employee, departmentOf(employee), types[r.nextInt(types.length)],
          devices[r.nextInt(devices.length)], r.nextInt(3_600), at));
    }
    Windows expected = definition(events);
    assertEquals(expected, compute(events));
    List<Event> shuffled = new ArrayList<>(events);
    Collections.shuffle(shuffled, new Random(7));
    assertEquals(expected, compute(shuffled), "the order of arrival changes nothing");
  }

  @Test
  void theDefinitionItselfSplitsHoursAndUtcDays() {
    Windows w = definition(List.of(event(3, "login", "laptop", 1, "2026-11-24T23:30:00Z")));
    assertEquals(List.of(departmentOf(3) + "|login|2026-11-24T23:00:00Z"), List.copyOf(w.hourly().keySet()));
    assertEquals(List.of("laptop|" + LocalDate.of(2026, 11, 24)), List.copyOf(w.daily().keySet()));
  }
}
