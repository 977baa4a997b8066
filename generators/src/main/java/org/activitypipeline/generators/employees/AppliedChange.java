package org.activitypipeline.generators.employees;

import java.util.Objects;
import org.activitypipeline.common.event.ChangeOp;

/**
 * One committed change to the {@code employees} table, as the CDC stream will see it.
 *
 * @param employeeId the changed row's {@code employee_id} (for a hire: the new id)
 * @param op {@link ChangeOp#CREATE} for a hire, {@link ChangeOp#DELETE} for a delete, else {@link ChangeOp#UPDATE}
 * @param kind what changed: {@code raise} (salary), {@code promotion} (job_title and salary),
 *     {@code department_move} (department_id and manager_id), {@code status_change} (status),
 *     {@code hire} (insert) or {@code delete}. Each change is exactly one row written in its own
 *     transaction; a delete never cascades (employees with reports are never deleted), so a change
 *     is exactly one CDC event.
 */
public record AppliedChange(long employeeId, ChangeOp op, String kind) {
  public AppliedChange {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(kind, "kind");
  }

  /** {@code employee_id,op,kind} with the Debezium op code, e.g. {@code 42,u,raise}: a journal line. */
  public String toCsv() {
    return employeeId + "," + op.debeziumCode() + "," + kind;
  }

  /** Parses {@link #toCsv()}. */
  public static AppliedChange fromCsv(String line) {
    String[] parts = line.strip().split(",", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException("expected employee_id,op,kind but was '" + line + "'");
    }
    return new AppliedChange(Long.parseLong(parts[0]), ChangeOp.fromDebezium(parts[1]), parts[2]);
  }
}
