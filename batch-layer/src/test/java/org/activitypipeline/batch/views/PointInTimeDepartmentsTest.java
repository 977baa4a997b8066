package org.activitypipeline.batch.views;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.activitypipeline.lakehouse.Tables;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** The batch views' as-of join: the employee's department, and that department's name, as of the event time. */
class PointInTimeDepartmentsTest {
  private static final Schema CHANGES = Tables.employeeChanges(List.of());
  private static final Schema STATES = Tables.departmentChanges();

  private static long t(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  private static GenericRecord version(long employee, Long department, String name, String at, long lsn) {
    GenericRecord r = new GenericData.Record(CHANGES);
    r.put("employee_id", employee);
    r.put("department_id", department);
    r.put("department_name", name);
    r.put("source_time_ms", t(at));
    r.put("source_lsn", lsn);
    return r;
  }

  private static GenericRecord state(long department, String name, String at, long lsn) {
    GenericRecord r = new GenericData.Record(STATES);
    r.put("department_id", department);
    r.put("name", name);
    r.put("deleted", false);
    r.put("source_time_ms", at == null ? null : t(at));
    r.put("source_lsn", lsn);
    return r;
  }

  @Test
  void theDepartmentIsNamedAsItWasNamedAtTheEventTime() {
    PointInTimeDepartments d = PointInTimeDepartments.of(
        List.of(version(1, 7L, "Engineering", "2026-11-01T00:00:00Z", 10)),
        List.of(state(7, "Engineering", "2026-11-01T00:00:00Z", 5),
            state(7, "Platform Engineering", "2026-11-24T10:30:00Z", 20)));
    assertEquals("Engineering", d.departmentAt(1, t("2026-11-24T10:29:59.999Z")));
    assertEquals("Platform Engineering", d.departmentAt(1, t("2026-11-24T10:30:00Z")),
        "the employee's own version still says Engineering: the department's history wins");
    assertEquals("Engineering", d.departmentAt(1, t("2026-10-01T00:00:00Z")), "before the first state: the first");
  }

  @Test
  void withoutAStateOfTheDepartmentTheNameOnTheEmployeesVersionIsUsed() {
    PointInTimeDepartments d = PointInTimeDepartments.of(
        List.of(version(1, 7L, "Engineering", "2026-11-01T00:00:00Z", 10),
            version(2, null, null, "2026-11-01T00:00:00Z", 11)),
        List.of(state(8, "Sales", "2026-11-01T00:00:00Z", 5)));
    assertEquals("Engineering", d.departmentAt(1, t("2026-11-24T10:00:00Z")));
    assertEquals(PointInTimeDepartments.UNASSIGNED, d.departmentAt(2, t("2026-11-24T10:00:00Z")));
    assertEquals(PointInTimeDepartments.UNKNOWN, d.departmentAt(3, t("2026-11-24T10:00:00Z")));
  }

  @Test
  void aStateWithoutCommitTimeIsValidSinceEver() {
    PointInTimeDepartments d = PointInTimeDepartments.of(
        List.of(version(1, 7L, "Old", "2026-11-01T00:00:00Z", 10)),
        List.of(state(7, "Engineering", null, 5), state(7, "Platform", "2026-11-24T10:30:00Z", 20)));
    assertEquals("Engineering", d.departmentAt(1, t("2026-11-24T10:00:00Z")));
    assertEquals("Platform", d.departmentAt(1, t("2026-11-24T11:00:00Z")));
  }
}
