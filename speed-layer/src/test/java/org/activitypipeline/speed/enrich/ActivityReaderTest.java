package org.activitypipeline.speed.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.activitypipeline.common.event.Activity;
import org.activitypipeline.common.json.InvalidRecordException;
import org.activitypipeline.common.json.Json;
import org.activitypipeline.common.json.JsonCodec;
import org.activitypipeline.speed.enrich.ActivityReader.ActivityFields;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fast path must decide exactly as the codec does: for each value, {@code read} and
 * {@code readWithCodec} both return the same fields or both fail with the same message.
 */
class ActivityReaderTest {
  private static final JsonCodec<Activity> CODEC = JsonCodec.of(Activity.class, Activity.SCHEMA_VERSION);
  private static final Activity A = new Activity(1, "00000000-0000-1000-8000-000000000001", 42, "login", "laptop",
      "linux", "10.0.0.1", "Zürich \"HQ\"", 35, Instant.parse("2026-11-24T10:15:30.123456Z"),
      Instant.parse("2026-11-24T10:15:31Z"), Map.of("app", "vpn", "build", "1.2"));
  private static final String CANONICAL = new String(CODEC.encode(A), StandardCharsets.UTF_8);

  @Test
  void theCanonicalValueTakesTheFastPath() {
    ActivityFields fast = ActivityReader.readCanonical(CODEC.encode(A));
    assertNotNull(fast);
    assertEquals(new ActivityFields(A.activityId(), 42, "login", "laptop", 35, A.eventTime().toEpochMilli(),
        A.ingestTime().toEpochMilli()), fast);
    assertNotNull(ActivityReader.readCanonical(bytes("{\"schema_version\":1,\"activity_id\":\"a\",\"employee_id\":1,"
        + "\"activity_type\":\"t\",\"device_type\":\"d\",\"duration_seconds\":0,\"event_time\":\"2026-01-01T00:00:00Z\","
        + "\"os\":null,\"ip\":null,\"location\":null,\"ingest_time\":null,\"metadata\":null,"
        + "\"added_later\":{\"nested\":[1,{\"x\":2}]}}")), "nulls and unknown fields stay on the fast path");
  }

  @Test
  void expectsTheFieldsInTheOrderTheCodecWritesThem() throws Exception {
    List<String> written = new ArrayList<>();
    Json.mapper().readTree(CODEC.encode(A)).fieldNames().forEachRemaining(written::add);
    assertEquals(written, ActivityReader.FIELD_ORDER);
  }

  @Test
  void fieldsInAnotherOrderOrUnknownOnesInBetweenAreReadAlike() {
    String shuffled = "{\"metadata\":{},\"event_time\":\"2026-11-24T10:15:30.5Z\",\"x\":[1],\"duration_seconds\":3,"
        + "\"device_type\":\"phone\",\"activity_type\":\"call\",\"employee_id\":7,\"y\":null,\"activity_id\":\"id\","
        + "\"schema_version\":1}";
    assertEquals(new ActivityFields("id", 7, "call", "phone", 3, Instant.parse("2026-11-24T10:15:30.5Z").toEpochMilli(),
        ActivityFields.NO_WRITE_TIME),
        ActivityReader.readCanonical(bytes(shuffled)));
    assertEquals(ActivityReader.readWithCodec(bytes(shuffled)), ActivityReader.readCanonical(bytes(shuffled)));
  }

  static Stream<String> values() {
    return Stream.of(
        CANONICAL,
        with("\"employee_id\":42", "\"employee_id\":\"42\""),
        with("\"employee_id\":42", "\"employee_id\":42.0"),
        with("\"employee_id\":42", "\"employee_id\":99999999999999999999999"),
        with("\"employee_id\":42", "\"employee_id\":null"),
        with("\"employee_id\":42,", ""),
        with("\"duration_seconds\":35", "\"duration_seconds\":-1"),
        with("\"duration_seconds\":35", "\"duration_seconds\":3000000000"),
        with("\"duration_seconds\":35", "\"duration_seconds\":\"35\""),
        with("\"duration_seconds\":35,", ""),
        with("\"schema_version\":1", "\"schema_version\":2"),
        with("\"schema_version\":1", "\"schema_version\":0"),
        with("\"schema_version\":1", "\"schema_version\":\"1\""),
        with("\"schema_version\":1,", ""),
        with("\"activity_id\":\"00000000-0000-1000-8000-000000000001\"", "\"activity_id\":\"  \""),
        with("\"activity_id\":\"00000000-0000-1000-8000-000000000001\"", "\"activity_id\":17"),
        with("\"activity_type\":\"login\"", "\"activity_type\":null"),
        with("\"activity_type\":\"login\"", "\"activity_type\":[\"login\"]"),
        with("\"device_type\":\"laptop\"", "\"device_type\":\"\""),
        with("\"device_type\":\"laptop\"", "\"device_type\":true"),
        with("\"os\":\"linux\"", "\"os\":{\"name\":\"linux\"}"),
        with("\"os\":\"linux\"", "\"os\":5"),
        with("\"event_time\":\"2026-11-24T10:15:30.123456Z\"", "\"event_time\":\"2026-11-24T11:15:30.123+01:00\""),
        with("\"event_time\":\"2026-11-24T10:15:30.123456Z\"", "\"event_time\":\"2026-02-30T10:15:30Z\""),
        with("\"event_time\":\"2026-11-24T10:15:30.123456Z\"", "\"event_time\":\"yesterday\""),
        with("\"event_time\":\"2026-11-24T10:15:30.123456Z\"", "\"event_time\":1764000000"),
        with("\"event_time\":\"2026-11-24T10:15:30.123456Z\"", "\"event_time\":null"),
        with("\"event_time\":\"2026-11-24T10:15:30.123456Z\",", ""),
        with("\"ingest_time\":\"2026-11-24T10:15:31Z\"", "\"ingest_time\":\"not a time\""),
        with("\"ingest_time\":\"2026-11-24T10:15:31Z\"", "\"ingest_time\":\"2026-11-24T10:15:31.5-02:00\""),
        with("\"metadata\":{", "\"metadata\":{\"n\":5,"),
        with("\"metadata\":{", "\"metadata\":{\"n\":null,"),
        with("\"metadata\":{", "\"metadata\":{\"n\":{\"deep\":\"x\"},"),
        with("\"metadata\":{", "\"metadata\":[],\"x\":{"),
        CANONICAL + " trailing",
        CANONICAL.substring(0, CANONICAL.length() - 1),
        "[1,2,3]",
        "42",
        "null",
        "",
        "not json at all");
  }

  @ParameterizedTest
  @MethodSource("values")
  void decidesAsTheCodec(String value) {
    byte[] v = bytes(value);
    ActivityFields expected;
    try {
      expected = ActivityReader.readWithCodec(v);
    } catch (InvalidRecordException e) {
      InvalidRecordException got = assertThrows(InvalidRecordException.class, () -> ActivityReader.read(v), value);
      assertEquals(e.getMessage(), got.getMessage());
      return;
    }
    assertEquals(expected, ActivityReader.read(v), value);
  }

  @Test
  void nullValueIsATombstoneError() {
    InvalidRecordException e = assertThrows(InvalidRecordException.class, () -> ActivityReader.read(null));
    assertEquals(true, e.getMessage().contains("tombstone"), e.getMessage());
  }

  @Test
  void nonCanonicalButValueForTheCodecIsStillRead() {
    String v = with("\"employee_id\":42", "\"employee_id\":\"42\"");
    assertNull(ActivityReader.readCanonical(bytes(v)));
    assertEquals(42, ActivityReader.read(bytes(v)).employeeId());
  }

  private static String with(String part, String replacement) {
    if (!CANONICAL.contains(part)) {
      throw new IllegalArgumentException(part + " not in " + CANONICAL);
    }
    return CANONICAL.replace(part, replacement);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
