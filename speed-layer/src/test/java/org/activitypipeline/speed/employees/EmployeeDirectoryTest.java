package org.activitypipeline.speed.employees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.activitypipeline.common.event.ChangeOp;
import org.activitypipeline.common.event.DepartmentChange;
import org.activitypipeline.common.event.EmployeeChange;
import org.activitypipeline.common.json.JsonCodec;
import org.junit.jupiter.api.Test;

/** The directory's versions: the employee as of an event time, as the batch layer's point-in-time join. */
class EmployeeDirectoryTest {
  private static final JsonCodec<EmployeeChange> CODEC = JsonCodec.of(EmployeeChange.class, 1);
  private final EmployeeDirectory directory = new EmployeeDirectory(Duration.ofHours(24));

  private static long t(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  private void apply(ChangeOp op, long lsn, String committed, Long department) {
    Instant at = committed == null ? null : Instant.parse(committed);
    EmployeeChange c = new EmployeeChange(1, op, 7, "F", "L", "e@example.com", department, "dept-" + department,
        "Dev", "Berlin", null, LocalDate.of(2024, 1, 1), "50k-75k", "active", at, at, List.of(), Map.of(), lsn, at);
    directory.applyEmployee("7".getBytes(StandardCharsets.UTF_8), CODEC.encode(c));
  }

  private Long departmentAt(String eventTime) {
    EmployeeChange e = directory.employeeAt(7, t(eventTime));
    return e == null ? null : e.departmentId();
  }

  @Test
  void theVersionCommittedAtOrBeforeTheEventTimeBeforeTheFirstTheFirst() {
    apply(ChangeOp.CREATE, 10, "2026-11-24T09:00:00Z", 1L);
    apply(ChangeOp.UPDATE, 20, "2026-11-24T10:30:00Z", 2L);
    assertEquals(1L, departmentAt("2026-11-24T08:00:00Z"), "before the first version: the first");
    assertEquals(1L, departmentAt("2026-11-24T10:29:59.999Z"));
    assertEquals(2L, departmentAt("2026-11-24T10:30:00Z"), "committed at the event time: already valid");
    assertEquals(2L, departmentAt("2026-11-24T11:00:00Z"));
    assertEquals(2L, directory.employee(7).departmentId(), "the current state is the newest version");
    assertEquals(2, directory.versionCount());
  }

  @Test
  void versionsArrivingOutOfOrderOrTwiceGiveTheSameAnswers() {
    apply(ChangeOp.UPDATE, 20, "2026-11-24T10:30:00Z", 2L);
    apply(ChangeOp.CREATE, 10, "2026-11-24T09:00:00Z", 1L);
    apply(ChangeOp.UPDATE, 20, "2026-11-24T10:30:00Z", 2L); // a replay
    assertEquals(1L, departmentAt("2026-11-24T10:00:00Z"));
    assertEquals(2L, departmentAt("2026-11-24T10:45:00Z"));
    assertEquals(2, directory.versionCount());
  }

  @Test
  void afterADeleteTheDeletedRowsLastState() {
    apply(ChangeOp.CREATE, 10, "2026-11-24T09:00:00Z", 1L);
    apply(ChangeOp.DELETE, 20, "2026-11-24T10:30:00Z", 1L);
    assertNull(directory.employee(7), "no longer a current employee");
    EmployeeChange late = directory.employeeAt(7, t("2026-11-24T11:00:00Z"));
    assertEquals(ChangeOp.DELETE, late.op());
    assertEquals(1L, late.departmentId(), "a late upload after the delete keeps the last department");
    assertNull(directory.employeeAt(8, t("2026-11-24T11:00:00Z")), "never seen");
  }

  @Test
  void versionsSupersededLongerAgoThanTheHistoryAreDropped() {
    apply(ChangeOp.CREATE, 10, "2026-11-20T09:00:00Z", 1L);
    apply(ChangeOp.UPDATE, 20, "2026-11-21T09:00:00Z", 2L);
    assertEquals(2, directory.versionCount(), "history is measured from the newest commit, not the wall clock");
    apply(ChangeOp.UPDATE, 30, "2026-11-24T11:00:00Z", 3L); // now the first is superseded more than 24 h back
    assertEquals(2, directory.versionCount(), "the first version is gone, the one valid at the cutoff stays");
    assertEquals(2L, departmentAt("2026-11-20T10:00:00Z"), "older than the history: the oldest version kept");
    assertEquals(2L, departmentAt("2026-11-24T10:00:00Z"));
    assertEquals(3L, departmentAt("2026-11-24T11:30:00Z"));
  }

  @Test
  void aVersionWithoutCommitTimeIsValidFromTheBeginning() {
    apply(ChangeOp.SNAPSHOT, 10, null, 1L);
    apply(ChangeOp.UPDATE, 20, "2026-11-24T10:30:00Z", 2L);
    assertEquals(1L, departmentAt("2000-01-01T00:00:00Z"));
    assertEquals(2L, departmentAt("2026-11-24T10:31:00Z"));
  }

  private void department(long lsn, String committed, String name, boolean deleted) {
    directory.applyDepartment("3".getBytes(StandardCharsets.UTF_8),
        new DepartmentChange(3, name, deleted, lsn, committed == null ? null : Instant.parse(committed)).toJson());
  }

  @Test
  void aDepartmentIsNamedAsItWasAtTheEventTimeRenamesAreHistory() {
    department(100, "2026-11-24T09:00:00Z", "Engineering", false);
    department(200, "2026-11-24T10:30:00Z", "Platform Engineering", false);
    department(200, "2026-11-24T10:30:00Z", "Platform Engineering", false); // a replay
    assertEquals("Engineering", directory.departmentNameAt(3L, t("2026-11-24T08:00:00Z")), "before the first: the first");
    assertEquals("Engineering", directory.departmentNameAt(3L, t("2026-11-24T10:29:59.999Z")));
    assertEquals("Platform Engineering", directory.departmentNameAt(3L, t("2026-11-24T10:30:00Z")));
    assertEquals("Platform Engineering", directory.departmentName(3L), "the current name is the newest");
    assertEquals(200, directory.lastDepartmentLsn(3));
    assertNull(directory.departmentNameAt(4L, t("2026-11-24T10:30:00Z")), "never seen");
    assertNull(directory.departmentNameAt(null, t("2026-11-24T10:30:00Z")));
  }

  @Test
  void aDeletedDepartmentHasNoCurrentNameButKeepsItsNamesForEarlierAndLateEvents() {
    department(100, "2026-11-24T09:00:00Z", "Engineering", false);
    department(300, "2026-11-24T12:00:00Z", "Engineering", true);
    assertNull(directory.departmentName(3L));
    assertEquals("Engineering", directory.departmentNameAt(3L, t("2026-11-24T11:00:00Z")));
    assertEquals("Engineering", directory.departmentNameAt(3L, t("2026-11-24T13:00:00Z")));
    directory.applyDepartment("3".getBytes(StandardCharsets.UTF_8), null); // the compacted topic's tombstone
    assertNull(directory.departmentNameAt(3L, t("2026-11-24T11:00:00Z")));
    assertEquals(-1, directory.lastDepartmentLsn(3));
  }

  @Test
  void departmentStatesArrivingOutOfOrderGiveTheSameAnswers() {
    department(200, "2026-11-24T10:30:00Z", "Platform Engineering", false);
    department(100, "2026-11-24T09:00:00Z", "Engineering", false);
    assertEquals("Engineering", directory.departmentNameAt(3L, t("2026-11-24T10:00:00Z")));
    assertEquals("Platform Engineering", directory.departmentName(3L));
    assertEquals(200, directory.lastDepartmentLsn(3));
  }
}
