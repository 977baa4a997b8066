package org.activitypipeline.speed.employees;

import static org.activitypipeline.speed.employees.EmployeeColumns.CREATED_AT;
import static org.activitypipeline.speed.employees.EmployeeColumns.DEPARTMENT_ID;
import static org.activitypipeline.speed.employees.EmployeeColumns.EMAIL;
import static org.activitypipeline.speed.employees.EmployeeColumns.EMPLOYEE_ID;
import static org.activitypipeline.speed.employees.EmployeeColumns.FIRST_NAME;
import static org.activitypipeline.speed.employees.EmployeeColumns.HIRE_DATE;
import static org.activitypipeline.speed.employees.EmployeeColumns.JOB_TITLE;
import static org.activitypipeline.speed.employees.EmployeeColumns.LAST_NAME;
import static org.activitypipeline.speed.employees.EmployeeColumns.LOCATION;
import static org.activitypipeline.speed.employees.EmployeeColumns.MANAGER_ID;
import static org.activitypipeline.speed.employees.EmployeeColumns.SALARY;
import static org.activitypipeline.speed.employees.EmployeeColumns.STATUS;
import static org.activitypipeline.speed.employees.EmployeeColumns.UPDATED_AT;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongFunction;
import org.activitypipeline.common.event.EmployeeChange;
import org.activitypipeline.common.json.InvalidRecordException;

/**
 * Turns a Debezium change event of {@code public.employees} (PostgreSQL connector, JSON converter
 * with schemas disabled) into an {@link EmployeeChange}.
 *
 * <ul>
 *   <li>The state is {@code after} for creates, updates and snapshots, {@code before} for deletes
 *       (the table has REPLICA IDENTITY FULL).
 *   <li>The salary is replaced by its {@link SalaryBands band}; the raw value appears nowhere in
 *       the output, nor in error messages.
 *   <li>Columns this code does not know (added by a later ALTER TABLE) pass through untyped in
 *       {@code extra_columns}, so a schema change needs no code change. A null-valued extra column is
 *       left out of the map ({@link EmployeeChange} holds an immutable map, which cannot hold null):
 *       absent means null.
 * </ul>
 *
 * <p>Pure and thread-safe.
 */
public final class EmployeeChangeMapper {
  static final String TABLE = "employees";

  private final SalaryBands bands;

  /** A mapper using {@link SalaryBands#DEFAULT}. */
  public EmployeeChangeMapper() {
    this(SalaryBands.DEFAULT);
  }

  public EmployeeChangeMapper(SalaryBands bands) {
    this.bands = Objects.requireNonNull(bands, "bands");
  }

  /**
   * @param debeziumValue    the Kafka record value of the change event
   * @param departmentNames  the department name for a department id, or null when unknown
   * @return the change, or null for a tombstone (null or empty value), which the caller skips
   * @throws InvalidRecordException when the value is not JSON, not an employees change event, has
   *     an unknown op, lacks the row image of its op, {@code employee_id} or {@code source.lsn}, or
   *     a column has the wrong type; the message names the field
   */
  public EmployeeChange map(byte[] debeziumValue, LongFunction<String> departmentNames) {
    Objects.requireNonNull(departmentNames, "departmentNames");
    DebeziumEnvelope event = DebeziumEnvelope.parse(debeziumValue, TABLE);
    if (event == null) {
      return null;
    }
    ObjectNode row = event.stateRow();
    RowReader r = new RowReader(row, event.stateImage());
    long employeeId = r.requiredLong(EMPLOYEE_ID);
    Long departmentId = r.optionalLong(DEPARTMENT_ID);
    String departmentName = departmentId == null ? null : departmentNames.apply(departmentId);
    String salaryBand = bands.bandOf(r.decimal(SALARY));
    List<String> changedFields = ChangedFields.of(event.op(), event.before(), event.after(), bands);
    return new EmployeeChange(
        EmployeeChange.SCHEMA_VERSION,
        event.op(),
        employeeId,
        r.text(FIRST_NAME),
        r.text(LAST_NAME),
        r.text(EMAIL),
        departmentId,
        departmentName,
        r.text(JOB_TITLE),
        r.text(LOCATION),
        r.optionalLong(MANAGER_ID),
        r.date(HIRE_DATE),
        salaryBand,
        r.text(STATUS),
        r.timestamp(CREATED_AT),
        r.timestamp(UPDATED_AT),
        changedFields,
        extraColumns(row),
        event.sourceLsn(),
        event.sourceTime());
  }

  private static Map<String, Object> extraColumns(ObjectNode row) {
    Map<String, Object> extras = new HashMap<>();
    for (String column : EmployeeColumns.extraColumns(row)) {
      Object value = EmployeeColumns.plainValue(row.get(column));
      if (value != null) {
        extras.put(column, value);
      }
    }
    return extras;
  }
}
