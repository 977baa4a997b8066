package org.activitypipeline.speed.employees;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import org.activitypipeline.common.event.ChangeOp;
import org.activitypipeline.common.event.EmployeeChange;
import org.activitypipeline.common.json.JsonCodec;

/**
 * Every employee and department as last committed to {@code processed-employees} and the departments
 * topic: the in-memory table enrichment looks up, and the last applied LSN per key that the
 * transformer dedupes against. Each process holds one, fed by an {@link EmployeeDirectoryReader}.
 *
 * <p>Thread-safe: one reader thread writes, all stream threads read.
 */
public final class EmployeeDirectory {
  private static final JsonCodec<EmployeeChange> CODEC = JsonCodec.of(EmployeeChange.class, EmployeeChange.SCHEMA_VERSION);

  private final ConcurrentHashMap<Long, EmployeeChange> employees = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, Long> employeeLsn = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, DepartmentChange> departments = new ConcurrentHashMap<>();

  /** The employee's current state, or null when not known (never seen, or deleted). */
  public EmployeeChange employee(long employeeId) {
    return employees.get(employeeId);
  }

  /** The department's current name, or null when unknown, deleted or {@code departmentId} is null. */
  public String departmentName(Long departmentId) {
    if (departmentId == null) {
      return null;
    }
    DepartmentChange d = departments.get(departmentId);
    return d == null || d.deleted() ? null : d.name();
  }

  /** Highest LSN committed for this employee (deletes included), or -1. */
  public long lastEmployeeLsn(long employeeId) {
    return employeeLsn.getOrDefault(employeeId, -1L);
  }

  /** Highest LSN committed for this department, or -1. */
  public long lastDepartmentLsn(long departmentId) {
    DepartmentChange d = departments.get(departmentId);
    return d == null ? -1 : d.sourceLsn();
  }

  public int employeeCount() {
    return employees.size();
  }

  /** Applies one {@code processed-employees} record; tombstones (after a delete event) change nothing. */
  void applyEmployee(byte[] key, byte[] value) {
    if (value == null || value.length == 0) {
      return;
    }
    EmployeeChange c = CODEC.decode(value);
    employeeLsn.merge(c.employeeId(), c.sourceLsn(), Math::max);
    if (c.op() == ChangeOp.DELETE) {
      employees.remove(c.employeeId());
    } else {
      employees.put(c.employeeId(), c);
    }
  }

  /** Applies one departments-topic record (the latest {@link DepartmentChange} of a department). */
  void applyDepartment(byte[] key, byte[] value) {
    if (value == null || value.length == 0) {
      if (key != null) {
        departments.remove(Long.parseLong(new String(key, StandardCharsets.UTF_8)));
      }
      return;
    }
    DepartmentChange d = DepartmentChange.fromJson(value);
    departments.merge(d.departmentId(), d, (a, b) -> b.sourceLsn() >= a.sourceLsn() ? b : a);
  }
}
