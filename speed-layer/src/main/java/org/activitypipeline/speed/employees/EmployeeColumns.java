package org.activitypipeline.speed.employees;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The columns of {@code public.employees} this code knows, in table order; any other is an extra column. */
final class EmployeeColumns {
  static final String EMPLOYEE_ID = "employee_id";
  static final String FIRST_NAME = "first_name";
  static final String LAST_NAME = "last_name";
  static final String EMAIL = "email";
  static final String DEPARTMENT_ID = "department_id";
  static final String JOB_TITLE = "job_title";
  static final String LOCATION = "location";
  static final String MANAGER_ID = "manager_id";
  static final String HIRE_DATE = "hire_date";
  static final String SALARY = "salary";
  static final String STATUS = "status";
  static final String CREATED_AT = "created_at";
  static final String UPDATED_AT = "updated_at";

  /** What {@link #SALARY} is called in the output: the raw salary is never published. */
  static final String SALARY_BAND = "salary_band";

  /** Table order (init-scripts/postgres/01-employees.sql): the order of {@code changed_fields}. */
  static final List<String> KNOWN = List.of(EMPLOYEE_ID, FIRST_NAME, LAST_NAME, EMAIL, DEPARTMENT_ID, JOB_TITLE,
      LOCATION, MANAGER_ID, HIRE_DATE, SALARY, STATUS, CREATED_AT, UPDATED_AT);

  private static final Set<String> KNOWN_SET = Set.copyOf(KNOWN);

  private EmployeeColumns() {
  }

  static boolean isKnown(String column) {
    return KNOWN_SET.contains(column);
  }

  /** The name a column has in {@code changed_fields}. */
  static String outputName(String column) {
    return SALARY.equals(column) ? SALARY_BAND : column;
  }

  /** The extra columns of the given rows (nulls skipped), sorted by name. */
  static Set<String> extraColumns(ObjectNode... rows) {
    Set<String> extras = new TreeSet<>();
    for (ObjectNode row : rows) {
      if (row == null) {
        continue;
      }
      for (Iterator<String> it = row.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!isKnown(name)) {
          extras.add(name);
        }
      }
    }
    return extras;
  }

  /**
   * An extra column's value as a plain Java value: String, Long (or BigInteger), Double (or
   * BigDecimal), Boolean, null; nested JSON (arrays, objects) as its JSON text, so the output
   * schema stays a flat map whatever the new column holds.
   */
  static Object plainValue(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isTextual()) {
      return n.textValue();
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    if (n.isIntegralNumber()) {
      // Long whatever size Jackson chose (int/long), so equal columns read equal across rows.
      return n.canConvertToLong() ? (Object) n.longValue() : n.bigIntegerValue();
    }
    if (n.isNumber()) {
      return n.numberValue();
    }
    return n.toString();
  }
}
