package org.activitypipeline.speed.employees;

import static org.activitypipeline.speed.employees.DebeziumEvents.ada;
import static org.activitypipeline.speed.employees.DebeziumEvents.bytes;
import static org.activitypipeline.speed.employees.DebeziumEvents.employees;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmployeeEventRedactionTest {
  private final EmployeeEventRedaction redaction = new EmployeeEventRedaction(ColumnPolicy.of(
      ColumnPolicy.parseColumns(List.of("email:hash", "desk:allow")), ColumnPolicy.Action.DROP, "0123456789abcdef"));

  @Test
  void keepsOnlyColumnsPublishedAsTheyAreAndTheEnvelope() {
    byte[] event = employees("u", ada().put("ssn", "123-45-6789").put("desk", "D-1"),
        ada().put("salary", "987654.31").put("ssn", "123-45-6789").put("desk", "D-2"));

    EmployeeEventRedaction.Redacted r = redaction.redact(event);

    String json = new String(r.value(), StandardCharsets.UTF_8);
    for (String secret : List.of("81234", "987654", "123-45-6789", "ada.lovelace", "ssn", "salary", "email")) {
      assertFalse(json.contains(secret), secret + " in " + json);
    }
    JsonNode tree = DebeziumEvents.parse(json);
    assertEquals("D-2", tree.get("after").get("desk").textValue());
    assertEquals("Ada", tree.get("before").get("first_name").textValue());
    assertEquals("u", tree.get("op").textValue());
    assertEquals(DebeziumEvents.LSN, tree.get("source").get("lsn").longValue(), "the position stays for replays");
    assertEquals("employees", tree.get("source").get("table").textValue());
    assertEquals(List.of("before.email", "before.salary", "before.ssn", "after.email", "after.salary", "after.ssn"),
        List.of(r.removed().split(",")));
  }

  @Test
  void unknownOrMisshapenEnvelopeFieldsAreRemoved() {
    String event = "{\"op\":\"987654.31\",\"ts_ms\":\"987654.31\",\"salary\":\"987654.31\","
        + "\"source\":{\"lsn\":5,\"note\":{\"salary\":\"987654.31\"},\"extra\":\"987654.31\"},"
        + "\"after\":\"salary=987654.31\",\"before\":null}";

    EmployeeEventRedaction.Redacted r = redaction.redact(bytes(event));

    String json = new String(r.value(), StandardCharsets.UTF_8);
    assertFalse(json.contains("987654"), json);
    assertEquals("{\"source\":{\"lsn\":5},\"before\":null}", json);
    assertEquals(List.of("op", "ts_ms", "salary", "source.note", "source.extra", "after"),
        List.of(r.removed().split(",")));
  }

  @Test
  void aValueThatIsNotAJsonObjectIsWithheldWhole() {
    for (String value : List.of("{\"salary\": 987654x", "[\"987654.31\"]", "\"987654.31\"", "\u0000\u0001")) {
      EmployeeEventRedaction.Redacted r = redaction.redact(bytes(value));
      assertNull(r.value(), value);
      assertTrue(r.removed().startsWith("value"), r.removed());
    }
  }

  @Test
  void tombstonesStayTombstones() {
    assertNull(redaction.redact(null).value());
    assertNull(redaction.redact(null).removed());
  }
}
