package org.activitypipeline.common.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.uuid.Uuids;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.activitypipeline.common.json.Json;
import org.junit.jupiter.api.Test;

/** The poller's validity rule: every required column present, nothing coerced. */
class ActivityRowTest {
  private static final UUID ID = Uuids.startOf(Instant.parse("2026-12-07T10:00:00Z").toEpochMilli());
  private static final Instant EVENT = Instant.parse("2026-12-07T09:59:58Z");

  private static ActivityRow row(Long employee, String type, String device, Integer duration, Instant event) {
    return ActivityRow.of(ID, employee, type, device, "linux", "10.0.0.1", "Berlin", duration, event, Map.of("k", "v"));
  }

  @Test
  void aCompleteRowIsAnActivityWithItsWriteTimeAsIngestTime() {
    ActivityRow r = row(42L, "login", "laptop", 0, EVENT);
    assertTrue(r.isValid());
    assertNull(r.invalidReason());
    assertEquals(42L, r.activity().employeeId());
    assertEquals(0, r.activity().durationSeconds(), "zero is a duration, not a missing one");
    assertEquals(Instant.parse("2026-12-07T10:00:00Z"), r.activity().ingestTime());
    assertEquals(ID.toString(), r.activity().activityId());
  }

  @Test
  void eachMissingOrBadColumnIsNamedNeverCoerced() {
    assertEquals("employee_id is missing", row(null, "login", "laptop", 5, EVENT).invalidReason());
    assertEquals("event_time is missing", row(42L, "login", "laptop", 5, null).invalidReason());
    assertEquals("activity_type is missing or empty", row(42L, "", "laptop", 5, EVENT).invalidReason());
    assertEquals("activity_type is missing or empty", row(42L, null, "laptop", 5, EVENT).invalidReason());
    assertEquals("device_type is missing or empty", row(42L, "login", " ", 5, EVENT).invalidReason());
    assertEquals("duration_seconds is missing", row(42L, "login", "laptop", null, EVENT).invalidReason());
    assertEquals("duration_seconds is negative (-3)", row(42L, "login", "laptop", -3, EVENT).invalidReason());
    assertFalse(row(null, "login", "laptop", 5, EVENT).isValid());
    assertNull(row(null, "login", "laptop", 5, EVENT).activity());
  }

  @Test
  void theDeadLetterCarriesTheColumnsAndLeavesOutLargeMetadata() throws Exception {
    JsonNode small = Json.mapper().readTree(row(null, "login", "laptop", 5, EVENT).deadLetterValue());
    assertEquals(ID.toString(), small.get("activity_id").asText());
    assertTrue(small.get("employee_id").isNull());
    assertEquals("v", small.get("metadata").get("k").asText());

    String big = "x".repeat(1_500_000);
    ActivityRow huge = ActivityRow.of(ID, null, "login", "laptop", "linux", "10.0.0.1", "Berlin", 5, EVENT,
        Map.of("blob", big));
    byte[] value = huge.deadLetterValue();
    assertTrue(value.length < 2_000, "a bounded reference: " + value.length + " bytes");
    JsonNode node = Json.mapper().readTree(value);
    assertFalse(node.has("metadata"));
    assertTrue(node.get("metadata_omitted_bytes").asInt() > 1_500_000);
  }
}
