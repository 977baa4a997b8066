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
import java.util.function.Consumer;
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
 *   <li>Every column is published as its {@link ColumnPolicy} says: as it is, hashed, or not at all;
 *       the salary only as its {@link SalaryBands band} (or not at all). The raw salary appears
 *       nowhere in the output, nor in error messages.
 *   <li>Columns this code does not know (added by a later ALTER TABLE) and the policy allows pass
 *       through untyped in {@code extra_columns}, so a schema change needs no code change. A
 *       null-valued extra column is left out of the map ({@link EmployeeChange} holds an immutable
 *       map, which cannot hold null): absent means null. A column the policy does not list is
 *       reported to {@code onUnlistedColumn} (by name) each time a change carries it.
 * </ul>
 *
 * <p>Pure and thread-safe.
 */
public final class EmployeeChangeMapper {
  static final String TABLE = "employees";

  private final SalaryBands bands;
  private final ColumnPolicy policy;
  private final Consumer<String> onUnlistedColumn;

  /** A mapper using {@link SalaryBands#DEFAULT} and {@link ColumnPolicy#DEFAULT}. */
  public EmployeeChangeMapper() {
    this(SalaryBands.DEFAULT, ColumnPolicy.DEFAULT, column -> { });
  }

  /** @param onUnlistedColumn told the name of each column not in the policy a change carries (thread-safe) */
  public EmployeeChangeMapper(SalaryBands bands, ColumnPolicy policy, Consumer<String> onUnlistedColumn) {
    this.bands = Objects.requireNonNull(bands, "bands");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.onUnlistedColumn = Objects.requireNonNull(onUnlistedColumn, "onUnlistedColumn");
  }

  public ColumnPolicy policy() {
    return policy;
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
    // Every column is read (and so type-checked) whatever the policy, so a broken row is refused alike.
    String salaryBand = bands.bandOf(r.decimal(SALARY));
    Long managerId = r.optionalLong(MANAGER_ID);
    java.time.LocalDate hireDate = r.date(HIRE_DATE);
    List<String> changedFields = ChangedFields.of(event.op(), event.before(), event.after(), bands, policy);
    return new EmployeeChange(
        EmployeeChange.SCHEMA_VERSION,
        event.op(),
        employeeId,
        text(r, FIRST_NAME),
        text(r, LAST_NAME),
        text(r, EMAIL),
        departmentId,
        departmentName,
        text(r, JOB_TITLE),
        text(r, LOCATION),
        policy.publishes(MANAGER_ID) ? managerId : null,
        policy.publishes(HIRE_DATE) ? hireDate : null,
        policy.publishes(SALARY) ? salaryBand : null,
        r.text(STATUS),
        r.timestamp(CREATED_AT),
        r.timestamp(UPDATED_AT),
        changedFields,
        extraColumns(row),
        event.sourceLsn(),
        event.sourceTime());
  }

  /** A text column as the policy publishes it; its type is checked even when it is dropped. */
  private String text(RowReader r, String column) {
    return (String) policy.publishedValue(column, r.text(column));
  }

  private Map<String, Object> extraColumns(ObjectNode row) {
    Map<String, Object> extras = new HashMap<>();
    for (String column : EmployeeColumns.extraColumns(row)) {
      if (policy.isUnlisted(column)) {
        onUnlistedColumn.accept(column);
      }
      Object value = policy.publishedValue(column, EmployeeColumns.plainValue(row.get(column)));
      if (value != null) {
        extras.put(column, value);
      }
    }
    return extras;
  }
}
