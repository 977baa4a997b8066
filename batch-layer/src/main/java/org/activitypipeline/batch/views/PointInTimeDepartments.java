package org.activitypipeline.batch.views;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.activitypipeline.common.time.VersionHistory;
import org.apache.avro.generic.GenericRecord;

/**
 * The department an employee belonged to at a given moment, from the {@code employee_changes}
 * history: the newest change at or before the event time. Activities older than the employee's
 * first change (rows captured by the initial snapshot carry the snapshot time) use the first
 * change. The department is named as it was named at that moment, from the {@code department_changes}
 * history by the same rule (renames are history); without a state of that department the name on the
 * employee's version is used. Same names as the speed layer: {@value #UNKNOWN} for an employee never
 * seen, {@value #UNASSIGNED} for one without a department.
 */
public final class PointInTimeDepartments {

  public static final String UNKNOWN = "unknown";
  public static final String UNASSIGNED = "unassigned";

  /** What an employee version says about the department. */
  private record Membership(Long departmentId, String departmentName) {}

  private final Map<Long, VersionHistory<Membership>> history = new HashMap<>();
  private final Map<Long, VersionHistory<String>> names = new HashMap<>();

  /** Builds the index from {@code employee_changes} rows alone (department names as the employees carry them). */
  public static PointInTimeDepartments of(Iterable<GenericRecord> changes) {
    return of(changes, List.of());
  }

  /** Builds the index from {@code employee_changes} and {@code department_changes} rows. */
  public static PointInTimeDepartments of(Iterable<GenericRecord> changes, Iterable<GenericRecord> departmentStates) {
    Map<Long, List<VersionHistory.Version<Membership>>> byEmployee = new HashMap<>();
    for (GenericRecord r : changes) {
      byEmployee.computeIfAbsent((Long) r.get("employee_id"), k -> new ArrayList<>()).add(new VersionHistory.Version<>(
          (Long) r.get("source_time_ms"), (Long) r.get("source_lsn"),
          new Membership((Long) r.get("department_id"), text(r.get("department_name")))));
    }
    Map<Long, List<VersionHistory.Version<String>>> byDepartment = new HashMap<>();
    for (GenericRecord r : departmentStates) {
      Object since = r.get("source_time_ms");
      byDepartment.computeIfAbsent((Long) r.get("department_id"), k -> new ArrayList<>()).add(new VersionHistory.Version<>(
          since == null ? Long.MIN_VALUE : (Long) since, (Long) r.get("source_lsn"), text(r.get("name"))));
    }
    PointInTimeDepartments index = new PointInTimeDepartments();
    byEmployee.forEach((id, versions) -> index.history.put(id, VersionHistory.of(versions)));
    byDepartment.forEach((id, versions) -> index.names.put(id, VersionHistory.of(versions)));
    return index;
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }

  public String departmentAt(long employeeId, long eventTimeMs) {
    VersionHistory<Membership> versions = history.get(employeeId);
    if (versions == null) {
      return UNKNOWN;
    }
    Membership v = versions.at(eventTimeMs);
    if (v.departmentId() == null) {
      return UNASSIGNED;
    }
    VersionHistory<String> named = names.get(v.departmentId());
    String name = named == null ? null : named.at(eventTimeMs);
    if (name != null) {
      return name;
    }
    return v.departmentName() != null ? v.departmentName() : UNKNOWN;
  }

  public int employees() {
    return history.size();
  }
}
