package org.activitypipeline.speed.enrich;

import java.time.Instant;
import org.activitypipeline.common.event.Activity;
import org.activitypipeline.common.event.EmployeeChange;
import org.activitypipeline.common.event.EnrichedActivity;

/** Joins an activity with the employee's current state. Pure. */
final class Enrichment {
  /** Department of activities whose employee is still unknown after the wait. */
  static final String UNKNOWN_DEPARTMENT = "unknown";
  /** Department of known employees without one. */
  static final String NO_DEPARTMENT = "unassigned";

  private Enrichment() {
  }

  /**
   * @param employee       null when unknown: the result is flagged {@code employee_known=false}
   * @param departmentName the department's current name (from the department table), or null
   */
  static EnrichedActivity enrich(Activity a, EmployeeChange employee, String departmentName, Instant now) {
    if (employee == null) {
      return new EnrichedActivity(EnrichedActivity.SCHEMA_VERSION, a, false, null, null, null, null, null, now);
    }
    String dept = departmentName != null ? departmentName : employee.departmentName();
    return new EnrichedActivity(EnrichedActivity.SCHEMA_VERSION, a, true, employee.departmentId(), dept,
        employee.jobTitle(), employee.location(), employee.status(), now);
  }

  /** The department an enriched activity is aggregated under. */
  static String aggregationDepartment(EnrichedActivity e) {
    if (!e.employeeKnown()) {
      return UNKNOWN_DEPARTMENT;
    }
    return e.departmentName() != null ? e.departmentName() : NO_DEPARTMENT;
  }
}
