package org.activitypipeline.speed.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.activitypipeline.common.event.DailyDeviceAggregate;
import org.activitypipeline.common.event.HourlyActivityAggregate;
import org.activitypipeline.common.json.InvalidRecordException;
import org.activitypipeline.common.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WindowAggregateTest {
  private static final long HOUR = 3_600_000L;
  private static final long H10 = Instant.parse("2026-11-24T10:00:00Z").toEpochMilli();
  private static final long DAY24 = Instant.parse("2026-11-24T00:00:00Z").toEpochMilli();
  private static final Instant NOW = Instant.parse("2026-11-24T12:34:56Z");

  /** employee, type, duration, minute of the hour (second 0). */
  private record Ev(long employee, String type, long duration, long offsetMillis) {
  }

  private static final List<Ev> EVENTS = List.of(
      new Ev(1, "login", 10, 5 * 60_000L),
      new Ev(2, "login", 20, 59 * 60_000L + 59_999),
      new Ev(1, "logout", 30, 0),
      new Ev(3, "login", 40, 30 * 60_000L),
      new Ev(2, "upload", 50, 45 * 60_000L),
      new Ev(4, "login", 60, 1));

  private static WindowAggregate hourlyOf(List<Ev> events) {
    WindowAggregate a = WindowAggregate.hourly("Engineering", "login", H10);
    events.forEach(e -> a.add(e.employee(), e.type(), e.duration(), H10 + e.offsetMillis()));
    return a;
  }

  private static WindowAggregate dailyOf(List<Ev> events) {
    WindowAggregate a = WindowAggregate.daily("laptop", DAY24);
    // Spread over the day: offsets times 20 stay inside 24 h.
    events.forEach(e -> a.add(e.employee(), e.type(), 0, DAY24 + e.offsetMillis() * 20));
    return a;
  }

  /** The state JSON with the employee set sorted, so equal aggregates compare equal. */
  private static JsonNode canonical(WindowAggregate a) {
    try {
      ObjectNode n = (ObjectNode) Json.mapper().readTree(a.toJson());
      List<Long> ids = new ArrayList<>();
      n.get("employees").forEach(id -> ids.add(id.asLong()));
      ids.sort(null);
      ArrayNode sorted = n.putArray("employees");
      ids.forEach(sorted::add);
      return n;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void mergingPartialsEqualsAddingEveryEventToOneAggregate() {
    WindowAggregate whole = hourlyOf(EVENTS);
    WindowAggregate p1 = hourlyOf(EVENTS.subList(0, 2));
    WindowAggregate p2 = hourlyOf(EVENTS.subList(2, 4));
    WindowAggregate p3 = hourlyOf(EVENTS.subList(4, 6));
    p1.merge(p2);
    p1.merge(p3);
    assertEquals(canonical(whole), canonical(p1));
    assertEquals(whole.toHourly(false, NOW), p1.toHourly(false, NOW));
  }

  @Test
  void mergeIsAssociativeAndCommutative() {
    // (a + b) + c
    WindowAggregate left = dailyOf(EVENTS.subList(0, 2));
    left.merge(dailyOf(EVENTS.subList(2, 4)));
    left.merge(dailyOf(EVENTS.subList(4, 6)));
    // a + (b + c)
    WindowAggregate bc = dailyOf(EVENTS.subList(2, 4));
    bc.merge(dailyOf(EVENTS.subList(4, 6)));
    WindowAggregate right = dailyOf(EVENTS.subList(0, 2));
    right.merge(bc);
    // c + b + a
    WindowAggregate reversed = dailyOf(EVENTS.subList(4, 6));
    reversed.merge(dailyOf(EVENTS.subList(2, 4)));
    reversed.merge(dailyOf(EVENTS.subList(0, 2)));

    assertEquals(canonical(dailyOf(EVENTS)), canonical(left));
    assertEquals(canonical(left), canonical(right));
    assertEquals(canonical(left), canonical(reversed));
  }

  @Test
  void mergingAnEmptyPartialChangesNothing() {
    WindowAggregate a = hourlyOf(EVENTS);
    a.merge(WindowAggregate.hourly("Engineering", "login", H10));
    assertEquals(canonical(hourlyOf(EVENTS)), canonical(a));
  }

  @Test
  void uniqueEmployeesAreExactAcrossPartialsNotSummed() {
    WindowAggregate p1 = WindowAggregate.hourly("Engineering", "login", H10);
    p1.add(1, "login", 1, H10);
    p1.add(2, "login", 1, H10 + 1);
    p1.add(3, "login", 1, H10 + 2);
    WindowAggregate p2 = WindowAggregate.hourly("Engineering", "login", H10);
    p2.add(3, "login", 1, H10 + 3);
    p2.add(4, "login", 1, H10 + 4);
    p2.add(4, "login", 1, H10 + 5);
    assertEquals(3, p1.uniqueEmployees());
    assertEquals(2, p2.uniqueEmployees());

    p1.merge(p2);
    assertEquals(6, p1.count());
    assertEquals(4, p1.uniqueEmployees(), "employee 3 is in both partials and must count once");
    assertEquals(4, p1.toHourly(false, NOW).uniqueEmployees());
  }

  @Test
  void firstAndLastEventAreMinAndMaxOverAllPartials() {
    WindowAggregate late = WindowAggregate.hourly("Engineering", "login", H10);
    late.add(1, "login", 1, H10 + 40 * 60_000L);
    late.add(1, "login", 1, H10 + 20 * 60_000L);
    WindowAggregate early = WindowAggregate.hourly("Engineering", "login", H10);
    early.add(2, "login", 1, H10 + 5 * 60_000L);
    early.add(2, "login", 1, H10 + 30 * 60_000L);

    HourlyActivityAggregate single = late.toHourly(false, NOW);
    assertEquals(Instant.ofEpochMilli(H10 + 20 * 60_000L), single.firstEventTime());
    assertEquals(Instant.ofEpochMilli(H10 + 40 * 60_000L), single.lastEventTime());

    late.merge(early); // the later-arriving partial holds the earliest event
    HourlyActivityAggregate merged = late.toHourly(false, NOW);
    assertEquals(Instant.ofEpochMilli(H10 + 5 * 60_000L), merged.firstEventTime());
    assertEquals(Instant.ofEpochMilli(H10 + 40 * 60_000L), merged.lastEventTime());
  }

  @Test
  void dailyCountsEventsPerActivityTypeAndAddsThemOnMerge() {
    WindowAggregate p1 = WindowAggregate.daily("laptop", DAY24);
    p1.add(1, "login", 0, DAY24 + 1);
    p1.add(2, "login", 0, DAY24 + 2);
    p1.add(1, "logout", 0, DAY24 + 3);
    assertEquals(Map.of("login", 2L, "logout", 1L), p1.toDaily(false, NOW).countsByActivityType());

    WindowAggregate p2 = WindowAggregate.daily("laptop", DAY24);
    p2.add(3, "logout", 0, DAY24 + 4);
    p2.add(3, "upload", 0, DAY24 + 5);
    p1.merge(p2);
    DailyDeviceAggregate d = p1.toDaily(true, NOW);
    assertEquals(Map.of("login", 2L, "logout", 2L, "upload", 1L), d.countsByActivityType());
    assertEquals(5, d.eventCount());
    assertEquals(3, d.uniqueEmployees());
    assertEquals(d.eventCount(), d.countsByActivityType().values().stream().mapToLong(Long::longValue).sum());
  }

  @Test
  void hourlyJsonRoundTripKeepsEveryField() {
    WindowAggregate a = hourlyOf(EVENTS);
    WindowAggregate back = WindowAggregate.fromJson(a.toJson());
    assertEquals(canonical(a), canonical(back));
    assertEquals(a.key(), back.key());
    assertEquals(a.toHourly(true, NOW), back.toHourly(true, NOW));
  }

  @Test
  void dailyJsonRoundTripKeepsCountsByTypeAndTheEmployeeSet() {
    WindowAggregate a = dailyOf(EVENTS);
    WindowAggregate back = WindowAggregate.fromJson(a.toJson());
    assertEquals(canonical(a), canonical(back));
    assertEquals(a.toDaily(false, NOW), back.toDaily(false, NOW));
    // The employee set itself survived (not just its size): merging the same employees adds none.
    back.merge(dailyOf(EVENTS));
    assertEquals(4, back.uniqueEmployees());
    assertEquals(2L * EVENTS.size(), back.count());
  }

  @Test
  void stateJsonIsSnakeCaseWithTheWindowIdentity() throws IOException {
    JsonNode n = Json.mapper().readTree(hourlyOf(EVENTS).toJson());
    assertEquals("HOURLY", n.get("kind").asText());
    assertEquals("Engineering", n.get("group").asText());
    assertEquals("login", n.get("activity_type").asText());
    assertEquals(H10, n.get("start").asLong());
    assertEquals(EVENTS.size(), n.get("count").asLong());
    assertEquals(210, n.get("total_duration_seconds").asLong());
    assertTrue(n.has("first_event_millis") && n.has("last_event_millis"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "not json",
      "{\"kind\":\"HOURLY\"",
      "[1,2,3]",
      "{}",
      "{\"kind\":\"WEEKLY\",\"group\":\"g\",\"start\":0}",
      "{\"kind\":\"DAILY\",\"start\":0,\"count\":1}",
      "{\"kind\":\"HOURLY\",\"group\":\"Engineering\",\"start\":0,\"count\":1}",
      "{\"kind\":\"HOURLY\",\"group\":\"g\",\"activity_type\":\"a\"}",
      "{\"kind\":\"HOURLY\",\"group\":\"g\",\"activity_type\":\"a\",\"start\":\"yesterday\"}",
      "{\"kind\":\"DAILY\",\"group\":\"g\",\"start\":0,\"employees\":[\"x\"]}"})
  void fromJsonOfGarbageIsAnInvalidRecord(String json) {
    assertThrows(InvalidRecordException.class, () -> WindowAggregate.fromJson(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void fromJsonOfJsonNullIsAnInvalidRecord() {
    assertThrows(InvalidRecordException.class, () -> WindowAggregate.fromJson("null".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void toHourlyComputesAverageDurationWindowBoundsAndKey() {
    WindowAggregate a = WindowAggregate.hourly("Engineering", "login", H10);
    a.add(1, "login", 10, H10 + 60_000);
    a.add(2, "login", 20, H10 + 120_000);
    a.add(2, "login", 31, H10 + 180_000);
    HourlyActivityAggregate h = a.toHourly(true, NOW);
    assertEquals(HourlyActivityAggregate.SCHEMA_VERSION, h.schemaVersion());
    assertEquals("Engineering", h.department());
    assertEquals("login", h.activityType());
    assertEquals(Instant.parse("2026-11-24T10:00:00Z"), h.windowStart());
    assertEquals(Instant.parse("2026-11-24T11:00:00Z"), h.windowEnd());
    assertEquals(3, h.eventCount());
    assertEquals(2, h.uniqueEmployees());
    assertEquals(61, h.totalDurationSeconds());
    assertEquals(61.0 / 3, h.avgDurationSeconds(), 1e-9);
    assertEquals(Instant.parse("2026-11-24T10:01:00Z"), h.firstEventTime());
    assertEquals(Instant.parse("2026-11-24T10:03:00Z"), h.lastEventTime());
    assertTrue(h.isFinal());
    assertEquals(NOW, h.updatedAt());
    assertEquals("Engineering|login|2026-11-24T10:00:00Z", h.key());
    assertFalse(a.toHourly(false, NOW).isFinal());
    assertEquals(H10 + HOUR, a.end());
  }

  @Test
  void toDailyGivesTheUtcDayAndEndsTheWindowAtMidnight() {
    WindowAggregate a = WindowAggregate.daily("phone", DAY24);
    a.add(7, "login", 99, DAY24 + 86_400_000L - 1); // 23:59:59.999 UTC is still the same day
    DailyDeviceAggregate d = a.toDaily(false, NOW);
    assertEquals(DailyDeviceAggregate.SCHEMA_VERSION, d.schemaVersion());
    assertEquals("phone", d.deviceType());
    assertEquals(LocalDate.of(2026, 11, 24), d.day());
    assertEquals(1, d.eventCount());
    assertEquals(1, d.uniqueEmployees());
    assertEquals(Map.of("login", 1L), d.countsByActivityType());
    assertFalse(d.isFinal());
    assertEquals(NOW, d.updatedAt());
    assertEquals("phone|2026-11-24", d.key());
    assertEquals(DAY24 + 86_400_000L, a.end());
    assertEquals(WindowKind.DAILY, a.kind());
  }

  @Test
  void keysIdentifyTheWindowAndDifferByKind() {
    assertEquals("H|Engineering|login|" + H10, WindowAggregate.hourly("Engineering", "login", H10).key());
    assertEquals("D|laptop|" + DAY24, WindowAggregate.daily("laptop", DAY24).key());
    assertNotEquals(WindowAggregate.hourlyKey("x", "login", H10), WindowAggregate.hourlyKey("x", "logout", H10));
    assertFalse(WindowAggregate.hourlyKey("x", "y", 0).startsWith(WatermarkMarker.KEY));
  }

  @Test
  void mergingADifferentWindowIsRejectedAndLeavesTheTargetUnchanged() {
    WindowAggregate target = hourlyOf(EVENTS);
    JsonNode before = canonical(target);
    WindowAggregate otherHour = WindowAggregate.hourly("Engineering", "login", H10 + HOUR);
    otherHour.add(9, "login", 1, H10 + HOUR);
    WindowAggregate otherDepartment = WindowAggregate.hourly("Sales", "login", H10);
    otherDepartment.add(9, "login", 1, H10);
    WindowAggregate daily = WindowAggregate.daily("Engineering", H10);
    daily.add(9, "login", 1, H10);

    assertThrows(IllegalArgumentException.class, () -> target.merge(otherHour));
    assertThrows(IllegalArgumentException.class, () -> target.merge(otherDepartment));
    assertThrows(IllegalArgumentException.class, () -> target.merge(daily));
    assertThrows(IllegalArgumentException.class, () -> daily.merge(target));
    assertEquals(before, canonical(target));
  }

  @Test
  void mergingAnHourlyWindowOfAnotherActivityTypeIsRejected() {
    WindowAggregate login = WindowAggregate.hourly("Engineering", "login", H10);
    WindowAggregate logout = WindowAggregate.hourly("Engineering", "logout", H10);
    logout.add(9, "logout", 1, H10);
    assertThrows(IllegalArgumentException.class, () -> login.merge(logout));
  }
}
