package org.activitypipeline.speed.employees;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.activitypipeline.common.event.ChangeOp;
import org.activitypipeline.common.event.DepartmentChange;
import org.activitypipeline.common.event.EmployeeChange;
import org.activitypipeline.common.json.JsonCodec;

/**
 * Builds an {@link EmployeeDirectory} for tests in other packages, through the same package-private
 * entry points the directory reader uses (encoded {@code processed-employees} and departments-topic
 * values). Each applied change gets a fresh, increasing LSN.
 */
public final class TestDirectory {
  private static final JsonCodec<EmployeeChange> EMPLOYEES = JsonCodec.of(EmployeeChange.class, 1);

  private final EmployeeDirectory directory = new EmployeeDirectory();
  private final AtomicLong lsn = new AtomicLong(1000);

  public EmployeeDirectory directory() {
    return directory;
  }

  /**
   * Applies an employee state as a {@code processed-employees} record.
   *
   * @param departmentName the name carried on the employee record itself (may differ from the table)
   */
  public TestDirectory employee(long employeeId, Long departmentId, String departmentName, String jobTitle,
                                String location, String status) {
    EmployeeChange c = change(ChangeOp.CREATE, employeeId, departmentId, departmentName, jobTitle, location, status);
    directory.applyEmployee(key(employeeId), EMPLOYEES.encode(c));
    return this;
  }

  /** Applies a version of the employee committed at {@code committed} (a move, for instance). */
  public TestDirectory version(Instant committed, long employeeId, Long departmentId, String departmentName) {
    EmployeeChange c = change(ChangeOp.UPDATE, employeeId, departmentId, departmentName, "Developer", "Berlin",
        "active", committed);
    directory.applyEmployee(key(employeeId), EMPLOYEES.encode(c));
    return this;
  }

  /** Applies a delete committed at {@code committed}, carrying the row's last state as Debezium's delete does. */
  public TestDirectory delete(Instant committed, long employeeId, Long departmentId, String departmentName) {
    EmployeeChange c = change(ChangeOp.DELETE, employeeId, departmentId, departmentName, "Developer", "Berlin",
        "active", committed);
    directory.applyEmployee(key(employeeId), EMPLOYEES.encode(c));
    return this;
  }

  /** Records that every change committed up to {@code through} is applied (the CDC stream's progress). */
  public TestDirectory completeThrough(Instant through) {
    directory.completeThrough(through.toEpochMilli());
    return this;
  }

  /** Applies a department state as a departments-topic record. */
  public TestDirectory department(long departmentId, String name) {
    return department(Instant.parse("2026-01-05T09:00:00Z"), departmentId, name);
  }

  /** Applies a department state committed at {@code committed} (a rename, for instance). */
  public TestDirectory department(Instant committed, long departmentId, String name) {
    directory.applyDepartment(key(departmentId),
        new DepartmentChange(departmentId, name, false, lsn.incrementAndGet(), committed).toJson());
    return this;
  }

  private EmployeeChange change(ChangeOp op, long employeeId, Long departmentId, String departmentName,
                                String jobTitle, String location, String status) {
    return change(op, employeeId, departmentId, departmentName, jobTitle, location, status,
        Instant.parse("2026-01-05T09:00:00Z"));
  }

  private EmployeeChange change(ChangeOp op, long employeeId, Long departmentId, String departmentName,
                                String jobTitle, String location, String status, Instant t) {
    return new EmployeeChange(EmployeeChange.SCHEMA_VERSION, op, employeeId, "First" + employeeId,
        "Last" + employeeId, "e" + employeeId + "@example.com", departmentId, departmentName, jobTitle, location,
        null, LocalDate.of(2024, 3, 1), "50k-75k", status, t, t, List.of(), Map.of(), lsn.incrementAndGet(), t);
  }

  private static byte[] key(long id) {
    return Long.toString(id).getBytes(StandardCharsets.UTF_8);
  }
}
