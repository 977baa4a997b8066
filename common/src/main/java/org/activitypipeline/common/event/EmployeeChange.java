package org.activitypipeline.common.event;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The flattened current state of one employee after a source change ({@code processed-employees},
 * compacted, keyed by employee id). Raw salary never appears here, only {@link #salaryBand}.
 *
 * @param changedFields  columns whose value differs from the previous state (all columns on create)
 * @param extraColumns   columns added to the source table after this schema was written; they flow
 *                       through untyped until the schema catches up (schema evolution without restart)
 * @param sourceLsn      PostgreSQL log sequence number of the change; replays carry an LSN already seen
 */
public record EmployeeChange(
    int schemaVersion,
    ChangeOp op,
    long employeeId,
    String firstName,
    String lastName,
    String email,
    Long departmentId,
    String departmentName,
    String jobTitle,
    String location,
    Long managerId,
    LocalDate hireDate,
    String salaryBand,
    String status,
    Instant createdAt,
    Instant updatedAt,
    List<String> changedFields,
    Map<String, Object> extraColumns,
    long sourceLsn,
    Instant sourceTime) implements Versioned {

  public static final int SCHEMA_VERSION = 1;

  public EmployeeChange {
    changedFields = changedFields == null ? List.of() : List.copyOf(changedFields);
    extraColumns = extraColumns == null ? Map.of() : Map.copyOf(extraColumns);
  }
}
