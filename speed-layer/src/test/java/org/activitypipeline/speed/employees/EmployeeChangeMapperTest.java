package org.activitypipeline.speed.employees;

import static org.activitypipeline.speed.employees.DebeziumEvents.COMMIT_MS;
import static org.activitypipeline.speed.employees.DebeziumEvents.LSN;
import static org.activitypipeline.speed.employees.DebeziumEvents.ada;
import static org.activitypipeline.speed.employees.DebeziumEvents.bytes;
import static org.activitypipeline.speed.employees.DebeziumEvents.employees;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.activitypipeline.common.event.ChangeOp;
import org.activitypipeline.common.event.EmployeeChange;
import org.activitypipeline.common.json.InvalidRecordException;
import org.activitypipeline.common.json.JsonCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmployeeChangeMapperTest {
  private static final List<String> ALL_FIELDS = List.of("employee_id", "first_name", "last_name", "email",
      "department_id", "job_title", "location", "manager_id", "hire_date", "salary_band", "status", "created_at",
      "updated_at");
  private static final LongFunction<String> DEPARTMENTS = id -> id == 7 ? "Engineering" : null;
  private static final JsonCodec<EmployeeChange> CODEC = JsonCodec.of(EmployeeChange.class, 1);

  private final EmployeeChangeMapper mapper = new EmployeeChangeMapper();
  /** Columns the schema-evolution tests add, allowed by policy (a column not listed is dropped: see below). */
  private final List<String> unlisted = new ArrayList<>();
  private final EmployeeChangeMapper allowing = new EmployeeChangeMapper(SalaryBands.DEFAULT, ColumnPolicy.of(
      ColumnPolicy.parseColumns(List.of("badge_color:allow", "desk:allow", "zone:allow", "big:allow",
          "remote:allow", "fte:allow", "nickname:allow", "prefs:allow")), ColumnPolicy.Action.DROP, null),
      unlisted::add);

  private EmployeeChange mapAllowing(byte[] value) {
    return allowing.map(value, DEPARTMENTS);
  }

  private EmployeeChange map(byte[] value) {
    return mapper.map(value, DEPARTMENTS);
  }

  private InvalidRecordException invalid(byte[] value) {
    return assertThrows(InvalidRecordException.class, () -> map(value));
  }

  private static ObjectNode adaWith(String field, Object value) {
    ObjectNode row = ada();
    row.putPOJO(field, value);
    return (ObjectNode) DebeziumEvents.parse(row.toString()); // POJO -> plain JSON node
  }

  // --- create and snapshot

  @Test
  void createMapsEveryColumn() {
    // The value exactly as the connector writes it (schemas disabled).
    String value = "{\"before\":null,\"after\":{\"employee_id\":1042,\"first_name\":\"Ada\",\"last_name\":\"Lovelace\","
        + "\"email\":\"ada.lovelace@example.com\",\"department_id\":7,\"job_title\":\"Data Engineer\","
        + "\"location\":\"London\",\"manager_id\":1001,\"hire_date\":20089,\"salary\":\"81234.50\","
        + "\"status\":\"active\",\"created_at\":\"2026-11-24T10:15:30.123456Z\","
        + "\"updated_at\":\"2026-11-24T10:15:30.123456Z\"},"
        + "\"source\":{\"version\":\"3.6.1.Final\",\"connector\":\"postgresql\",\"name\":\"cdc\","
        + "\"ts_ms\":1764000000123,\"snapshot\":\"false\",\"db\":\"hr\",\"sequence\":\"[null,\\\"24023128\\\"]\","
        + "\"ts_us\":1764000000123456,\"ts_ns\":1764000000123456000,\"schema\":\"public\",\"table\":\"employees\","
        + "\"txId\":812,\"lsn\":24023128,\"xmin\":null},"
        + "\"transaction\":{\"id\":\"812:24023128\",\"total_order\":1,\"data_collection_order\":1},"
        + "\"op\":\"c\",\"ts_ms\":1764000000456}";

    EmployeeChange e = map(bytes(value));

    assertEquals(EmployeeChange.SCHEMA_VERSION, e.schemaVersion());
    assertEquals(ChangeOp.CREATE, e.op());
    assertEquals(1042L, e.employeeId());
    assertEquals("Ada", e.firstName());
    assertEquals("Lovelace", e.lastName());
    assertEquals("ada.lovelace@example.com", e.email());
    assertEquals(7L, e.departmentId());
    assertEquals("Engineering", e.departmentName());
    assertEquals("Data Engineer", e.jobTitle());
    assertEquals("London", e.location());
    assertEquals(1001L, e.managerId());
    assertEquals(LocalDate.of(2025, 1, 1), e.hireDate());
    assertEquals("75k-100k", e.salaryBand());
    assertEquals("active", e.status());
    assertEquals(Instant.parse("2026-11-24T10:15:30.123456Z"), e.createdAt());
    assertEquals(Instant.parse("2026-11-24T10:15:30.123456Z"), e.updatedAt());
    assertEquals(ALL_FIELDS, e.changedFields());
    assertEquals(Map.of(), e.extraColumns());
    assertEquals(24023128L, e.sourceLsn());
    assertEquals(Instant.ofEpochMilli(1764000000123L), e.sourceTime());
  }

  @Test
  void snapshotReadsLikeACreate() {
    EmployeeChange e = map(employees("r", null, ada()));
    assertEquals(ChangeOp.SNAPSHOT, e.op());
    assertEquals(ALL_FIELDS, e.changedFields());
    assertEquals("Ada", e.firstName());
    assertEquals(LSN, e.sourceLsn());
  }

  @Test
  void createReportsOnlyTheColumnsPresentInTheRow() {
    ObjectNode row = ada();
    row.remove(List.of("location", "manager_id"));
    EmployeeChange e = map(employees("c", null, row));
    List<String> expected = new ArrayList<>(ALL_FIELDS);
    expected.removeAll(List.of("location", "manager_id"));
    assertEquals(expected, e.changedFields());
    assertNull(e.location());
  }

  // --- update

  @Test
  void titleChangeIsTheOnlyChangedField() {
    ObjectNode after = ada().put("job_title", "Staff Data Engineer")
        .put("updated_at", "2026-11-25T09:00:00.000001Z");
    EmployeeChange e = map(employees("u", ada(), after));
    assertEquals(ChangeOp.UPDATE, e.op());
    assertEquals(List.of("job_title"), e.changedFields());
    assertEquals("Staff Data Engineer", e.jobTitle());
    assertEquals(Instant.parse("2026-11-25T09:00:00.000001Z"), e.updatedAt(), "state comes from after");
  }

  @Test
  void raiseWithinTheBandIsNotReported() {
    ObjectNode after = ada().put("salary", "95000.00").put("updated_at", "2026-11-25T09:00:00Z");
    EmployeeChange e = map(employees("u", ada(), after));
    assertEquals(List.of(), e.changedFields(), "81234.50 -> 95000.00 stays in 75k-100k");
    assertEquals("75k-100k", e.salaryBand());
  }

  @Test
  void raiseAcrossABandIsReportedAsSalaryBand() {
    ObjectNode after = ada().put("salary", "100000.00").put("status", "on_leave")
        .put("updated_at", "2026-11-25T09:00:00Z");
    EmployeeChange e = map(employees("u", ada(), after));
    assertEquals(List.of("salary_band", "status"), e.changedFields(), "table order");
    assertEquals("100k-150k", e.salaryBand());
  }

  @Test
  void rewritingTheSameSalaryWithAnotherScaleIsNoChange() {
    ObjectNode after = ada().put("salary", "81234.5");
    assertEquals(List.of(), map(employees("u", ada(), after)).changedFields());
  }

  @Test
  void updatedAtAloneIsNoChange() {
    ObjectNode after = ada().put("updated_at", "2026-11-25T09:00:00.000001Z");
    EmployeeChange e = map(employees("u", ada(), after));
    assertEquals(List.of(), e.changedFields());
  }

  @Test
  void severalChangesComeInTableOrder() {
    ObjectNode after = ada().put("status", "terminated").put("email", "ada@example.org").putNull("manager_id")
        .put("department_id", 8);
    EmployeeChange e = map(employees("u", ada(), after));
    assertEquals(List.of("email", "department_id", "manager_id", "status"), e.changedFields());
    assertNull(e.managerId());
    assertNull(e.departmentName(), "department 8 is unknown");
  }

  @Test
  void updateWithoutBeforeCountsEveryColumnAsChanged() {
    EmployeeChange e = map(employees("u", null, ada()));
    List<String> expected = new ArrayList<>(ALL_FIELDS);
    expected.remove("updated_at"); // never a change of its own
    assertEquals(expected, e.changedFields());
  }

  @Test
  void updateWithoutAfterIsInvalid() {
    InvalidRecordException e = invalid(employees("u", ada(), null));
    assertTrue(e.getMessage().contains("update without after image"), e.getMessage());
  }

  // --- delete

  @Test
  void deleteCarriesTheBeforeImageAndNoChangedFields() {
    EmployeeChange e = map(employees("d", ada(), null));
    assertEquals(ChangeOp.DELETE, e.op());
    assertEquals(1042L, e.employeeId());
    assertEquals("Ada", e.firstName());
    assertEquals("Engineering", e.departmentName());
    assertEquals("75k-100k", e.salaryBand());
    assertEquals(List.of(), e.changedFields());
    assertEquals(LSN, e.sourceLsn());
  }

  @Test
  void deleteWithOnlyTheKeyStillMaps() {
    // What REPLICA IDENTITY DEFAULT would give: key set, every other column null.
    ObjectNode before = ada();
    for (String column : EmployeeColumns.KNOWN) {
      if (!column.equals("employee_id")) {
        before.putNull(column);
      }
    }
    EmployeeChange e = map(employees("d", before, null));
    assertEquals(1042L, e.employeeId());
    assertNull(e.salaryBand());
    assertNull(e.hireDate());
    assertNull(e.departmentName());
  }

  @Test
  void deleteWithoutBeforeIsInvalid() {
    InvalidRecordException e = invalid(employees("d", null, null));
    assertTrue(e.getMessage().contains("delete without before image"), e.getMessage());
  }

  @Test
  void createWithoutAfterIsInvalid() {
    InvalidRecordException e = invalid(employees("c", null, null));
    assertTrue(e.getMessage().contains("create without after image"), e.getMessage());
  }

  // --- extra columns (schema evolution)

  @Test
  void extraColumnFlowsThroughOnCreate() {
    EmployeeChange e = mapAllowing(employees("c", null, adaWith("badge_color", "teal")));
    assertEquals(Map.of("badge_color", "teal"), e.extraColumns());
    assertEquals(ALL_FIELDS, e.changedFields(), "create reports the known columns");
  }

  @Test
  void changedExtraColumnIsReportedAfterTheKnownOnes() {
    ObjectNode before = adaWith("badge_color", "teal");
    ObjectNode after = adaWith("badge_color", "orange").put("job_title", "Lead");
    EmployeeChange e = mapAllowing(employees("u", before, after));
    assertEquals(List.of("job_title", "badge_color"), e.changedFields());
    assertEquals(Map.of("badge_color", "orange"), e.extraColumns());
  }

  @Test
  void unchangedExtraColumnIsNotReported() {
    ObjectNode row = adaWith("badge_color", "teal");
    EmployeeChange e = mapAllowing(employees("u", row, row.deepCopy().put("location", "Paris")));
    assertEquals(List.of("location"), e.changedFields());
    assertEquals(Map.of("badge_color", "teal"), e.extraColumns());
  }

  @Test
  void extraColumnsAreSortedByNameInChangedFields() {
    ObjectNode before = ada();
    ObjectNode after = ada().put("zone", "B").put("badge_color", "teal").put("desk", 12);
    assertEquals(List.of("badge_color", "desk", "zone"), mapAllowing(employees("u", before, after)).changedFields(),
        "columns added since the before image count as changed");
  }

  @Test
  void extraColumnsBecomePlainJavaValues() {
    ObjectNode after = ada();
    after.put("badge_color", "teal");
    after.put("desk", 12);
    after.put("big", 12345678901234L);
    after.put("remote", true);
    after.put("fte", 0.8);
    after.putNull("nickname");
    after.set("prefs", DebeziumEvents.parse("{\"theme\":\"dark\",\"tags\":[1,2]}"));

    Map<String, Object> extras = mapAllowing(employees("c", null, after)).extraColumns();

    assertEquals("teal", extras.get("badge_color"));
    assertEquals(12L, extras.get("desk"));
    assertEquals(12345678901234L, extras.get("big"));
    assertEquals(Boolean.TRUE, extras.get("remote"));
    assertEquals(0.8, ((Number) extras.get("fte")).doubleValue());
    assertEquals("{\"theme\":\"dark\",\"tags\":[1,2]}", extras.get("prefs"), "nested JSON as its text");
    assertFalse(extras.containsKey("nickname"), "null extras are left out: absent means null");
    assertFalse(extras.containsKey("salary"));
    assertEquals(6, extras.size());
  }

  @Test
  void extraColumnSetToNullIsReportedAsChanged() {
    ObjectNode after = ada();
    after.putNull("badge_color");
    EmployeeChange e = mapAllowing(employees("u", adaWith("badge_color", "teal"), after));
    assertEquals(List.of("badge_color"), e.changedFields());
    assertEquals(Map.of(), e.extraColumns());
  }

  @Test
  void listedExtraColumnsAreNotReportedAsUnlisted() {
    mapAllowing(employees("u", adaWith("badge_color", "teal"), adaWith("badge_color", "orange")));
    assertEquals(List.of(), unlisted);
  }

  // --- the column policy

  @Test
  void unlistedColumnIsDroppedAndReported() {
    List<String> seen = new ArrayList<>();
    EmployeeChangeMapper defaults = new EmployeeChangeMapper(SalaryBands.DEFAULT, ColumnPolicy.DEFAULT, seen::add);
    ObjectNode before = adaWith("ssn", "123-45-6789");
    ObjectNode after = adaWith("ssn", "987-65-4321").put("job_title", "Lead");
    EmployeeChange e = defaults.map(employees("u", before, after), DEPARTMENTS);
    assertEquals(Map.of(), e.extraColumns());
    assertEquals(List.of("job_title"), e.changedFields(), "that a dropped column changed is not published either");
    assertEquals(List.of("ssn"), seen);
    String json = new String(CODEC.encode(e), StandardCharsets.UTF_8);
    assertFalse(json.contains("ssn") || json.contains("6789") || json.contains("4321"), json);
    EmployeeChange created = defaults.map(employees("c", null, after), DEPARTMENTS);
    assertEquals(Map.of(), created.extraColumns());
    assertEquals(ALL_FIELDS, created.changedFields());
  }

  @Test
  void hashedColumnsAreTheKeyedHmacOfTheirText() throws Exception {
    String key = "0123456789abcdef-secret";
    EmployeeChangeMapper hashing = new EmployeeChangeMapper(SalaryBands.DEFAULT, ColumnPolicy.of(
        ColumnPolicy.parseColumns(List.of("email:hash", "badge_id:hash")), ColumnPolicy.Action.DROP, key), c -> { });
    ObjectNode row = ada().put("badge_id", 4711);
    EmployeeChange e = hashing.map(employees("c", null, row), DEPARTMENTS);
    assertEquals(hmac(key, row.get("email").textValue()), e.email());
    assertEquals(hmac(key, "4711"), e.extraColumns().get("badge_id"));
    assertTrue(e.changedFields().contains("email"), "a hashed column's change is published: " + e.changedFields());
    assertEquals(row.get("first_name").textValue(), e.firstName(), "other columns as they are");
    EmployeeChange otherKey = new EmployeeChangeMapper(SalaryBands.DEFAULT, ColumnPolicy.of(
        ColumnPolicy.parseColumns(List.of("email:hash")), ColumnPolicy.Action.DROP, key + "2"), c -> { })
        .map(employees("c", null, row), DEPARTMENTS);
    assertNotEquals(e.email(), otherKey.email(), "the hash depends on the key");
  }

  private static String hmac(String key, String text) throws Exception {
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return java.util.HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void droppedKnownColumnsAndSalaryAreNotPublished() {
    EmployeeChangeMapper dropping = new EmployeeChangeMapper(SalaryBands.DEFAULT, ColumnPolicy.of(
        ColumnPolicy.parseColumns(List.of("email:drop", "salary:drop", "hire_date:drop")), ColumnPolicy.Action.DROP,
        null), c -> { });
    ObjectNode after = ada().put("email", "new@example.com").put("salary", "151000.00");
    EmployeeChange e = dropping.map(employees("u", ada(), after), DEPARTMENTS);
    assertNull(e.email());
    assertNull(e.salaryBand());
    assertNull(e.hireDate());
    assertEquals(List.of(), e.changedFields(), "neither the e-mail nor the band change is published");
    assertEquals(ALL_FIELDS.stream().filter(f -> !List.of("email", "salary_band", "hire_date").contains(f)).toList(),
        dropping.map(employees("c", null, after), DEPARTMENTS).changedFields());
  }

  @Test
  void aDroppedColumnOfTheWrongTypeIsStillInvalid() {
    EmployeeChangeMapper dropping = new EmployeeChangeMapper(SalaryBands.DEFAULT, ColumnPolicy.of(
        ColumnPolicy.parseColumns(List.of("email:drop")), ColumnPolicy.Action.DROP, null), c -> { });
    assertThrows(InvalidRecordException.class,
        () -> dropping.map(employees("c", null, ada().put("email", 42)), DEPARTMENTS));
    EmployeeChangeMapper noSalary = new EmployeeChangeMapper(SalaryBands.DEFAULT, ColumnPolicy.of(
        ColumnPolicy.parseColumns(List.of("salary:drop", "hire_date:drop")), ColumnPolicy.Action.DROP, null), c -> { });
    assertThrows(InvalidRecordException.class,
        () -> noSalary.map(employees("c", null, ada().put("salary", "n/a")), DEPARTMENTS));
    assertThrows(InvalidRecordException.class,
        () -> noSalary.map(employees("c", null, ada().put("hire_date", "soon")), DEPARTMENTS));
  }

  @Test
  void policiesThatWouldPublishTooMuchOrBreakTheOutputAreRefused() {
    for (String bad : List.of("salary:allow", "salary:hash", "employee_id:drop", "department_id:hash",
        "status:drop", "manager_id:hash", "hire_date:hash", "email:band", "desk:band")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ColumnPolicy.of(
          ColumnPolicy.parseColumns(List.of(bad)), ColumnPolicy.Action.DROP, "0123456789abcdef"), bad);
      assertTrue(e.getMessage().contains("'" + bad.substring(0, bad.indexOf(':')) + "'"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> ColumnPolicy.of(Map.of(), ColumnPolicy.Action.ALLOW, null),
        "new columns can never be published as they are by default");
    assertThrows(IllegalArgumentException.class, () -> ColumnPolicy.of(
        ColumnPolicy.parseColumns(List.of("email:hash")), ColumnPolicy.Action.DROP, null), "hash needs a key");
    assertThrows(IllegalArgumentException.class, () -> ColumnPolicy.of(Map.of(), ColumnPolicy.Action.HASH, "short"));
    for (String bad : List.of("email", "email:", ":allow", "Email:allow", "email:publish")) {
      assertThrows(IllegalArgumentException.class, () -> ColumnPolicy.parseColumns(List.of(bad)), bad);
    }
    assertThrows(IllegalArgumentException.class, () -> ColumnPolicy.parseColumns(List.of("desk:allow", "desk:drop")));
  }

  @Test
  void invalidJsonIsReportedWithoutTheOffendingText() {
    byte[] value = ("{\"op\":\"c\",\"after\":{\"employee_id\":1,\"salary\":987654x}}").getBytes(StandardCharsets.UTF_8);
    InvalidRecordException e = invalid(value);
    assertTrue(e.getMessage().startsWith("not valid JSON (line 1, column"), e.getMessage());
    assertFalse(e.getMessage().contains("987654"), e.getMessage());
    assertNull(e.getCause(), "a logged cause would quote it");
  }

  // --- nulls and department names

  @Test
  void nullManagerAndDepartment() {
    ObjectNode row = ada().putNull("manager_id").putNull("department_id").putNull("location");
    EmployeeChange e = mapper.map(employees("c", null, row), id -> fail("no lookup without a department"));
    assertNull(e.managerId());
    assertNull(e.departmentId());
    assertNull(e.departmentName());
    assertNull(e.location());
  }

  @Test
  void unknownDepartmentHasNoName() {
    EmployeeChange e = map(employees("c", null, ada().put("department_id", 99)));
    assertEquals(99L, e.departmentId());
    assertNull(e.departmentName());
  }

  @Test
  void departmentNameComesFromTheLookup() {
    List<Long> asked = new ArrayList<>();
    EmployeeChange e = mapper.map(employees("c", null, ada()), id -> {
      asked.add(id);
      return "Research";
    });
    assertEquals("Research", e.departmentName());
    assertEquals(List.of(7L), asked);
  }

  // --- salary never leaves

  @Test
  void serializedChangeContainsNoRawSalary() {
    ObjectNode before = adaWith("badge_color", "teal");
    ObjectNode after = adaWith("badge_color", "orange").put("salary", "151234.75");
    for (byte[] value : List.of(employees("c", null, before), employees("r", null, before),
        employees("u", before, after), employees("d", before, null))) {
      byte[] encoded = CODEC.encode(mapAllowing(value));
      String json = new String(encoded, StandardCharsets.UTF_8);
      assertFalse(json.contains("81234"), json);
      assertFalse(json.contains("151234"), json);
      assertSalaryOnlyAsBand(DebeziumEvents.parse(json), json);
      assertTrue(json.contains("\"salary_band\":"), json);
    }
  }

  private static void assertSalaryOnlyAsBand(JsonNode node, String json) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (field.getKey().contains("salary")) {
          assertEquals("salary_band", field.getKey(), json);
        }
        assertSalaryOnlyAsBand(field.getValue(), json);
      }
    } else if (node.isArray()) {
      node.forEach(n -> assertSalaryOnlyAsBand(n, json));
    } else if (node.isTextual() && node.textValue().contains("salary")) {
      assertEquals("salary_band", node.textValue(), json); // changed_fields entries
    }
  }

  @Test
  void malformedSalaryIsReportedWithoutItsValue() {
    InvalidRecordException e = invalid(employees("c", null, ada().put("salary", "81234,50")));
    assertTrue(e.getMessage().contains("salary"), e.getMessage());
    assertFalse(e.getMessage().contains("81234"), e.getMessage());
  }

  @Test
  void malformedBeforeSalaryOfAnUpdateIsInvalid() {
    InvalidRecordException e = invalid(employees("u", ada().put("salary", "n/a"), ada()));
    assertTrue(e.getMessage().contains("before.salary"), e.getMessage());
  }

  @Test
  void numericSalaryIsAccepted() {
    // decimal.handling.mode=double would write a number.
    ObjectNode row = ada();
    row.put("salary", 150000.0);
    assertEquals(">=150k", map(employees("c", null, row)).salaryBand());
  }

  @Test
  void encodedChangeDecodesWithTheCodec() {
    EmployeeChange e = map(employees("u", ada(), ada().put("job_title", "Lead")));
    assertEquals(e, CODEC.decode(CODEC.encode(e)));
  }

  // --- dates and timestamps

  @Test
  void isoDateAndTimestampWithOffsetAreAccepted() {
    ObjectNode row = ada().put("hire_date", "2024-02-29").put("created_at", "2026-11-24T12:15:30.5+02:00");
    EmployeeChange e = map(employees("c", null, row));
    assertEquals(LocalDate.of(2024, 2, 29), e.hireDate());
    assertEquals(Instant.parse("2026-11-24T10:15:30.500Z"), e.createdAt());
  }

  @Test
  void hireDateBeforeTheEpochIsNegative() {
    assertEquals(LocalDate.of(1969, 12, 31), map(employees("c", null, ada().put("hire_date", -1))).hireDate());
  }

  @Test
  void badHireDateIsInvalidNamingTheField() {
    InvalidRecordException e = invalid(employees("c", null, ada().put("hire_date", "abc")));
    assertTrue(e.getMessage().contains("after.hire_date"), e.getMessage());
  }

  @Test
  void hireDateOutOfRangeIsInvalid() {
    InvalidRecordException e = invalid(employees("c", null, ada().put("hire_date", Long.MAX_VALUE)));
    assertTrue(e.getMessage().contains("hire_date"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"yesterday\"", "\"2026-11-24 10:15:30\"", "1764000000123", "true"})
  void badTimestampIsInvalidNamingTheField(String updatedAt) {
    ObjectNode row = ada();
    row.set("updated_at", DebeziumEvents.parse(updatedAt));
    InvalidRecordException e = invalid(employees("c", null, row));
    assertTrue(e.getMessage().contains("after.updated_at"), e.getMessage());
  }

  @Test
  void wrongColumnTypesAreInvalidNamingTheField() {
    assertTrue(invalid(employees("c", null, ada().put("department_id", "7"))).getMessage()
        .contains("after.department_id"));
    assertTrue(invalid(employees("c", null, ada().put("manager_id", 1.5))).getMessage()
        .contains("after.manager_id"));
    assertTrue(invalid(employees("c", null, ada().put("first_name", 42))).getMessage()
        .contains("after.first_name"));
  }

  // --- required fields and envelope

  @Test
  void missingEmployeeIdIsInvalid() {
    ObjectNode row = ada();
    row.remove("employee_id");
    assertTrue(invalid(employees("c", null, row)).getMessage().contains("missing field 'after.employee_id'"));
    assertTrue(invalid(employees("d", ada().putNull("employee_id"), null)).getMessage()
        .contains("missing field 'before.employee_id'"));
  }

  @Test
  void missingLsnIsInvalid() {
    String value = new String(employees("c", null, ada()), StandardCharsets.UTF_8)
        .replace(",\"lsn\":" + LSN, "");
    InvalidRecordException e = invalid(bytes(value));
    assertEquals("missing source.lsn", e.getMessage());

    String nullLsn = new String(employees("c", null, ada()), StandardCharsets.UTF_8)
        .replace("\"lsn\":" + LSN, "\"lsn\":null");
    assertEquals("missing source.lsn", invalid(bytes(nullLsn)).getMessage());

    String noSource = "{\"before\":null,\"after\":" + ada() + ",\"op\":\"c\",\"ts_ms\":1}";
    assertEquals("missing source.lsn", invalid(bytes(noSource)).getMessage());
  }

  @Test
  void missingCommitTimeLeavesSourceTimeNull() {
    String value = new String(employees("c", null, ada()), StandardCharsets.UTF_8)
        .replace("\"ts_ms\":" + COMMIT_MS + ",", "");
    EmployeeChange e = map(bytes(value));
    assertNull(e.sourceTime());
    assertEquals(LSN, e.sourceLsn());
  }

  @ParameterizedTest
  @ValueSource(strings = {"t", "m", "x", "C"})
  void unknownOpIsInvalidNamingIt(String op) {
    InvalidRecordException e = invalid(employees(op, null, ada()));
    assertTrue(e.getMessage().contains("'" + op + "'"), e.getMessage());
  }

  @Test
  void missingOpIsInvalid() {
    String value = new String(employees("c", null, ada()), StandardCharsets.UTF_8).replace("\"op\":\"c\",", "");
    assertEquals("missing field 'op'", invalid(bytes(value)).getMessage());
  }

  @Test
  void changeOfAnotherTableIsInvalid() {
    InvalidRecordException e = invalid(DebeziumEvents.departments("c", null, DebeziumEvents.engineering(), LSN));
    assertTrue(e.getMessage().contains("'departments'"), e.getMessage());
  }

  @Test
  void afterThatIsNotAnObjectIsInvalid() {
    String value = new String(employees("c", null, ada()), StandardCharsets.UTF_8)
        .replaceFirst("\"after\":\\{[^}]*}", "\"after\":[1,2]");
    assertTrue(invalid(bytes(value)).getMessage().contains("'after'"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"not json", "{\"op\":\"c\"", "[1,2]", "\"c\"", "null", "42", "   ", "{\"op\":\"c\"} trailing"})
  void notAJsonObjectIsInvalid(String value) {
    assertThrows(InvalidRecordException.class, () -> map(bytes(value)));
  }

  @Test
  void tombstoneIsSkipped() {
    assertNull(map(null));
    assertNull(map(new byte[0]));
  }

  @Test
  void mapperRequiresALookup() {
    assertThrows(NullPointerException.class, () -> mapper.map(employees("c", null, ada()), null));
  }

  @Test
  void customBandsAreUsed() {
    EmployeeChangeMapper coarse = new EmployeeChangeMapper(SalaryBands.parse("100000"), ColumnPolicy.DEFAULT, c -> { });
    EmployeeChange e = coarse.map(employees("c", null, ada()), DEPARTMENTS);
    assertNotNull(e);
    assertEquals("<100k", e.salaryBand());
  }
}
