package org.activitypipeline.common.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.activitypipeline.common.event.Activity;
import org.activitypipeline.common.event.ChangeOp;
import org.activitypipeline.common.event.DailyDeviceAggregate;
import org.activitypipeline.common.event.EmployeeChange;
import org.activitypipeline.common.event.EnrichedActivity;
import org.activitypipeline.common.event.HourlyActivityAggregate;
import org.junit.jupiter.api.Test;

class JsonCodecTest {
  static final Activity ACTIVITY = new Activity(1, "5b6f0c1e-0d1a-11ef-8000-000000000001", 42L, "login", "laptop",
      "linux", "10.0.0.7", "Berlin", 35, Instant.parse("2026-11-24T10:15:30.123Z"),
      Instant.parse("2026-11-24T10:16:00Z"), Map.of("app", "vpn"));

  @Test
  void activityRoundTripsWithSnakeCaseAndVersion() {
    JsonCodec<Activity> codec = JsonCodec.of(Activity.class, Activity.SCHEMA_VERSION);
    byte[] bytes = codec.encode(ACTIVITY);
    String json = new String(bytes, StandardCharsets.UTF_8);
    assertTrue(json.contains("\"schema_version\":1") && json.contains("\"event_time\":\"2026-11-24T10:15:30.123Z\"")
        && json.contains("\"employee_id\":42"), json);
    assertEquals(ACTIVITY, codec.decode(bytes));
  }

  @Test
  void everyEventTypeRoundTrips() {
    Instant t = Instant.parse("2026-11-24T10:00:00Z");
    EmployeeChange change = new EmployeeChange(1, ChangeOp.UPDATE, 7, "Ada", "L", "ada@x", 3L, "Eng", "Dev", "Paris",
        null, LocalDate.of(2020, 1, 2), "50k-75k", "active", t, t, List.of("job_title"), Map.of("badge", "b-1"),
        123456789L, t);
    roundTrip(EmployeeChange.class, change);
    roundTrip(EnrichedActivity.class, new EnrichedActivity(1, ACTIVITY, true, 3L, "Eng", "Dev", "Paris", "active", t));
    roundTrip(HourlyActivityAggregate.class, new HourlyActivityAggregate(1, "Eng", "login", t,
        t.plusSeconds(3600), 10, 4, 300, 30.0, t, t.plusSeconds(10), false, t));
    roundTrip(DailyDeviceAggregate.class, new DailyDeviceAggregate(1, "laptop", LocalDate.of(2026, 11, 24), 10, 4,
        Map.of("login", 6L, "email", 4L), true, t));
  }

  @Test
  void notJsonIsAClearReason() {
    JsonCodec<Activity> codec = JsonCodec.of(Activity.class, 1);
    InvalidRecordException e = assertThrows(InvalidRecordException.class,
        () -> codec.decode("{not json".getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().startsWith("not valid JSON"), e.getMessage());
  }

  @Test
  void missingVersionIsRejected() {
    JsonCodec<Activity> codec = JsonCodec.of(Activity.class, 1);
    InvalidRecordException e = assertThrows(InvalidRecordException.class,
        () -> codec.decode("{\"employee_id\":1}".getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("schema_version"), e.getMessage());
  }

  @Test
  void newerVersionIsRejected() {
    JsonCodec<Activity> codec = JsonCodec.of(Activity.class, 1);
    InvalidRecordException e = assertThrows(InvalidRecordException.class,
        () -> codec.decode("{\"schema_version\":2}".getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("unsupported schema_version 2"), e.getMessage());
  }

  @Test
  void wrongFieldTypeNamesTheField() {
    JsonCodec<Activity> codec = JsonCodec.of(Activity.class, 1);
    InvalidRecordException e = assertThrows(InvalidRecordException.class,
        () -> codec.decode("{\"schema_version\":1,\"employee_id\":\"abc\"}".getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("employee_id"), e.getMessage());
  }

  @Test
  void missingPrimitiveIsNotReadAsZero() {
    JsonCodec<Activity> codec = JsonCodec.of(Activity.class, 1);
    InvalidRecordException e = assertThrows(InvalidRecordException.class,
        () -> codec.decode("{\"schema_version\":1,\"activity_id\":\"a\"}".getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("employee_id") || e.getMessage().contains("duration_seconds"), e.getMessage());
  }

  @Test
  void tombstoneIsRejectedNotNullPointer() {
    JsonCodec<Activity> codec = JsonCodec.of(Activity.class, 1);
    assertThrows(InvalidRecordException.class, () -> codec.decode(null));
  }

  private static <T extends org.activitypipeline.common.event.Versioned> void roundTrip(Class<T> type, T value) {
    JsonCodec<T> codec = JsonCodec.of(type, 1);
    assertEquals(value, codec.decode(codec.encode(value)));
  }
}
