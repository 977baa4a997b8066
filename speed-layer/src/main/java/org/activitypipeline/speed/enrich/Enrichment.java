package org.activitypipeline.speed.enrich;

import org.activitypipeline.common.event.EmployeeChange;

/** Which department an activity counts for. Pure. */
final class Enrichment {
  /** Department of activities whose employee is still unknown after the wait. */
  static final String UNKNOWN_DEPARTMENT = "unknown";
  /** Department of known employees without one. */
  static final String NO_DEPARTMENT = "unassigned";

  private Enrichment() {
  }

  /**
   * The department an activity is aggregated under: the department's name as of the event, else the
   * name on the employee record; {@value #UNKNOWN_DEPARTMENT} for an unknown employee.
   */
  static String aggregationDepartment(EmployeeChange employee, String departmentName) {
    if (employee == null) {
      return UNKNOWN_DEPARTMENT;
    }
    String name = departmentName != null ? departmentName : employee.departmentName();
    return name != null ? name : NO_DEPARTMENT;
  }
}
