package org.activitypipeline.generators.employees;

import java.math.BigDecimal;

/** A change chosen by {@link ChangePlanner}, valid against the {@link Workforce} it was planned on. */
sealed interface PlannedChange {
  ChangeKind kind();

  /** The row changed; 0 for a {@link Hire} (the database assigns the id). */
  long employeeId();

  record Raise(long employeeId, BigDecimal salary) implements PlannedChange {
    @Override
    public ChangeKind kind() {
      return ChangeKind.RAISE;
    }
  }

  record Promotion(long employeeId, String jobTitle, BigDecimal salary) implements PlannedChange {
    @Override
    public ChangeKind kind() {
      return ChangeKind.PROMOTION;
    }
  }

  record DepartmentMove(long employeeId, long departmentId, Long managerId) implements PlannedChange {
    @Override
    public ChangeKind kind() {
      return ChangeKind.DEPARTMENT_MOVE;
    }
  }

  record StatusChange(long employeeId, Status status) implements PlannedChange {
    @Override
    public ChangeKind kind() {
      return ChangeKind.STATUS_CHANGE;
    }
  }

  /** {@code employee} has id 0. */
  record Hire(Employee employee) implements PlannedChange {
    @Override
    public ChangeKind kind() {
      return ChangeKind.HIRE;
    }

    @Override
    public long employeeId() {
      return 0;
    }
  }

  record Delete(long employeeId) implements PlannedChange {
    @Override
    public ChangeKind kind() {
      return ChangeKind.DELETE;
    }
  }
}
