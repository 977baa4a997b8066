package org.activitypipeline.speed.employees;

import static org.activitypipeline.speed.employees.DebeziumEvents.bytes;
import static org.activitypipeline.speed.employees.DebeziumEvents.departments;
import static org.activitypipeline.speed.employees.DebeziumEvents.engineering;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.activitypipeline.common.event.DepartmentChange;
import org.activitypipeline.common.json.InvalidRecordException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DepartmentChangeTest {
  /** The commit time ({@code source.ts_ms}) of every event {@link DebeziumEvents} builds. */
  static final Instant COMMITTED = Instant.ofEpochMilli(DebeziumEvents.COMMIT_MS);

  @Test
  void createAndSnapshotCarryTheName() {
    assertEquals(new DepartmentChange(7, "Engineering", false, 500, COMMITTED),
        DepartmentChanges.parse(departments("c", null, engineering(), 500)));
    assertEquals(new DepartmentChange(7, "Engineering", false, 501, COMMITTED),
        DepartmentChanges.parse(departments("r", null, engineering(), 501)));
  }

  @Test
  void renameTakesTheNewName() {
    ObjectNode after = engineering().put("name", "Platform Engineering").put("updated_at", "2026-11-25T09:00:00Z");
    assertEquals(new DepartmentChange(7, "Platform Engineering", false, 600, COMMITTED),
        DepartmentChanges.parse(departments("u", engineering(), after, 600)));
  }

  @Test
  void deleteUsesTheBeforeImage() {
    assertEquals(new DepartmentChange(7, "Engineering", true, 700, COMMITTED),
        DepartmentChanges.parse(departments("d", engineering(), null, 700)));
  }

  @Test
  void deleteWithOnlyTheKeyHasNoName() {
    ObjectNode keyOnly = (ObjectNode) DebeziumEvents.parse("{\"department_id\":7,\"name\":null}");
    assertEquals(new DepartmentChange(7, null, true, 700, COMMITTED),
        DepartmentChanges.parse(departments("d", keyOnly, null, 700)));
  }

  @Test
  void tombstoneIsNull() {
    assertNull(DepartmentChanges.parse(null));
    assertNull(DepartmentChanges.parse(new byte[0]));
  }

  @Test
  void badInputIsInvalid() {
    assertTrue(message(departments("d", null, null, 1)).contains("delete without before image"));
    assertTrue(message(departments("x", null, engineering(), 1)).contains("'x'"));
    ObjectNode noName = engineering();
    noName.remove("name");
    assertTrue(message(departments("c", null, noName, 1)).contains("after.name"));
    ObjectNode noId = engineering();
    noId.remove("department_id");
    assertTrue(message(departments("c", null, noId, 1)).contains("after.department_id"));
    String noLsn = new String(departments("c", null, engineering(), 1), StandardCharsets.UTF_8)
        .replace(",\"lsn\":1", "");
    assertEquals("missing source.lsn", message(bytes(noLsn)));
    assertTrue(message(DebeziumEvents.employees("d", DebeziumEvents.ada(), null)).contains("'employees'"),
        "an employee delete must not read as a department delete");
    assertThrows(InvalidRecordException.class, () -> DepartmentChanges.parse(bytes("not json")));
    assertThrows(InvalidRecordException.class, () -> DepartmentChanges.parse(bytes("[]")));
  }

  private static String message(byte[] value) {
    return assertThrows(InvalidRecordException.class, () -> DepartmentChanges.parse(value)).getMessage();
  }

  @Test
  void jsonRoundTrip() {
    for (DepartmentChange d : new DepartmentChange[] {
        new DepartmentChange(7, "Engineering", false, 24023128L, COMMITTED),
        new DepartmentChange(8, "R&D \"Labs\"", true, Long.MAX_VALUE, null),
        new DepartmentChange(9, null, true, 0, Instant.EPOCH)}) {
      assertEquals(d, DepartmentChange.fromJson(d.toJson()));
    }
  }

  @Test
  void jsonIsSnakeCaseWithSchemaVersion() {
    JsonNode json = DebeziumEvents.parse(new String(new DepartmentChange(7, "Engineering", false, 42, COMMITTED).toJson(),
        StandardCharsets.UTF_8));
    assertEquals(1, json.get("schema_version").intValue());
    assertEquals(7, json.get("department_id").longValue());
    assertEquals("Engineering", json.get("name").textValue());
    assertFalse(json.get("deleted").booleanValue());
    assertEquals(42, json.get("source_lsn").longValue());
    assertEquals(COMMITTED.toString(), json.get("source_time").textValue());
    assertEquals(6, json.size(), json.toString());
  }

  @Test
  void fromJsonOfNothingIsNull() {
    assertNull(DepartmentChange.fromJson(null));
    assertNull(DepartmentChange.fromJson(new byte[0]));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"schema_version\":1,\"name\":\"Engineering\",\"deleted\":false,\"source_lsn\":42}",
      "{\"schema_version\":1,\"department_id\":7,\"name\":\"Engineering\",\"deleted\":false}",
      "{\"schema_version\":1,\"department_id\":7,\"name\":\"Engineering\",\"source_lsn\":42}",
      "{\"schema_version\":1,\"department_id\":null,\"name\":\"Engineering\",\"deleted\":false,\"source_lsn\":42}",
      "{\"department_id\":7,\"name\":\"Engineering\",\"deleted\":false,\"source_lsn\":42}",
      "{\"schema_version\":2,\"department_id\":7,\"name\":\"Engineering\",\"deleted\":false,\"source_lsn\":42}",
      "not json",
  })
  void fromJsonRejectsIncompleteState(String json) {
    assertThrows(InvalidRecordException.class, () -> DepartmentChange.fromJson(bytes(json)));
  }
}
