package org.activitypipeline.batch.views;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.activitypipeline.common.time.AsOf;
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

  private record Version(long sinceMs, long lsn, Long departmentId, String departmentName) {}

  private record NameVersion(long sinceMs, long lsn, String name) {}

  private final Map<Long, Version[]> history = new HashMap<>();
  private final Map<Long, NameVersion[]> names = new HashMap<>();

  /** Builds the index from {@code employee_changes} rows alone (department names as the employees carry them). */
  public static PointInTimeDepartments of(Iterable<GenericRecord> changes) {
    return of(changes, List.of());
  }

  /** Builds the index from {@code employee_changes} and {@code department_changes} rows. */
  public static PointInTimeDepartments of(Iterable<GenericRecord> changes, Iterable<GenericRecord> departmentStates) {
    Map<Long, List<Version>> byEmployee = new HashMap<>();
    for (GenericRecord r : changes) {
      Object dept = r.get("department_name");
      byEmployee.computeIfAbsent((Long) r.get("employee_id"), k -> new ArrayList<>()).add(new Version(
          (Long) r.get("source_time_ms"), (Long) r.get("source_lsn"), (Long) r.get("department_id"),
          dept == null ? null : dept.toString()));
    }
    PointInTimeDepartments index = new PointInTimeDepartments();
    byEmployee.forEach((id, versions) -> {
      versions.sort(Comparator.comparingLong(Version::sinceMs).thenComparingLong(Version::lsn));
      index.history.put(id, versions.toArray(new Version[0]));
    });
    Map<Long, List<NameVersion>> byDepartment = new HashMap<>();
    for (GenericRecord r : departmentStates) {
      Object name = r.get("name");
      Object since = r.get("source_time_ms");
      byDepartment.computeIfAbsent((Long) r.get("department_id"), k -> new ArrayList<>()).add(new NameVersion(
          since == null ? Long.MIN_VALUE : (Long) since, (Long) r.get("source_lsn"), name == null ? null : name.toString()));
    }
    byDepartment.forEach((id, versions) -> {
      versions.sort(Comparator.comparingLong(NameVersion::sinceMs).thenComparingLong(NameVersion::lsn));
      index.names.put(id, versions.toArray(new NameVersion[0]));
    });
    return index;
  }

  public String departmentAt(long employeeId, long eventTimeMs) {
    Version[] versions = history.get(employeeId);
    if (versions == null) {
      return UNKNOWN;
    }
    Version v = versions[AsOf.index(versions.length, i -> versions[i].sinceMs(), eventTimeMs)];
    if (v.departmentId() == null) {
      return UNASSIGNED;
    }
    NameVersion[] named = names.get(v.departmentId());
    String name = named == null ? null : named[AsOf.index(named.length, i -> named[i].sinceMs(), eventTimeMs)].name();
    if (name != null) {
      return name;
    }
    return v.departmentName() != null ? v.departmentName() : UNKNOWN;
  }

  public int employees() {
    return history.size();
  }
}
