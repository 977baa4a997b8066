package org.activitypipeline.speed.employees;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.activitypipeline.common.event.ChangeOp;
import org.activitypipeline.common.event.EmployeeChange;
import org.activitypipeline.common.json.JsonCodec;
import org.activitypipeline.common.time.AsOf;

/**
 * Every employee and department as committed to {@code processed-employees} and the departments
 * topic: the in-memory table enrichment looks up, and the last applied LSN per key that the
 * transformer dedupes against. Each process holds one, fed by an {@link EmployeeDirectoryReader}.
 *
 * <p><b>Versions.</b> Besides each employee's current state it keeps the employee's versions, each
 * valid from its PostgreSQL commit time ({@code source_time}), so enrichment can join an activity to
 * the employee as of its event time ({@link #employeeAt}): the newest version committed at or before
 * the event time; before the first version, the first; after a delete, the deleted row's last state.
 * Versions superseded more than {@code history} before the newest commit time seen (the CDC stream's
 * progress, not the wall clock, so a replay of old changes keeps what it needs) are dropped, so memory
 * follows the workforce.
 * After a restart the versions are what {@code processed-employees} still holds (compaction keeps
 * the latest per employee).
 *
 * <p>Thread-safe: one reader thread writes, all stream threads read.
 */
public final class EmployeeDirectory {
  private static final JsonCodec<EmployeeChange> CODEC = JsonCodec.of(EmployeeChange.class, EmployeeChange.SCHEMA_VERSION);
  /** Versions kept by default: one day of history, the longest lateness worth joining exactly. */
  public static final Duration DEFAULT_HISTORY = Duration.ofHours(24);

  /** One version of an employee, valid from {@code sinceMillis} (its commit time). */
  private record Version(long sinceMillis, long lsn, EmployeeChange change) {
  }

  private static final Comparator<Version> ORDER =
      Comparator.comparingLong(Version::sinceMillis).thenComparingLong(Version::lsn);

  private final long historyMillis;
  private volatile long newestCommitMillis = Long.MIN_VALUE;
  private final ConcurrentHashMap<Long, Version[]> versions = new ConcurrentHashMap<>();
  private final AtomicLong versionCount = new AtomicLong();
  private final ConcurrentHashMap<Long, EmployeeChange> employees = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, Long> employeeLsn = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, DepartmentChange> departments = new ConcurrentHashMap<>();

  public EmployeeDirectory() {
    this(DEFAULT_HISTORY);
  }

  /** @param history how long a superseded version is kept (the join's reach into the past) */
  public EmployeeDirectory(Duration history) {
    this.historyMillis = history.toMillis();
  }

  /**
   * The employee as of {@code eventMillis}: the newest version committed at or before it, else the
   * first version kept; after a delete, the deleted row's last state (op {@code DELETE}). Null when
   * the employee was never seen.
   */
  public EmployeeChange employeeAt(long employeeId, long eventMillis) {
    Version[] vs = versions.get(employeeId);
    if (vs == null) {
      return null;
    }
    return vs[AsOf.index(vs.length, i -> vs[i].sinceMillis(), eventMillis)].change();
  }

  /** Versions held over all employees (the state-size metric). */
  public long versionCount() {
    return versionCount.get();
  }

  /** The employee's current state, or null when not known (never seen, or deleted). */
  public EmployeeChange employee(long employeeId) {
    return employees.get(employeeId);
  }

  /** The department's current name, or null when unknown, deleted or {@code departmentId} is null. */
  public String departmentName(Long departmentId) {
    if (departmentId == null) {
      return null;
    }
    DepartmentChange d = departments.get(departmentId);
    return d == null || d.deleted() ? null : d.name();
  }

  /** Highest LSN committed for this employee (deletes included), or -1. */
  public long lastEmployeeLsn(long employeeId) {
    return employeeLsn.getOrDefault(employeeId, -1L);
  }

  /** Highest LSN committed for this department, or -1. */
  public long lastDepartmentLsn(long departmentId) {
    DepartmentChange d = departments.get(departmentId);
    return d == null ? -1 : d.sourceLsn();
  }

  public int employeeCount() {
    return employees.size();
  }

  /** Applies one {@code processed-employees} record; tombstones (after a delete event) change nothing. */
  void applyEmployee(byte[] key, byte[] value) {
    if (value == null || value.length == 0) {
      return;
    }
    EmployeeChange c = CODEC.decode(value);
    employeeLsn.merge(c.employeeId(), c.sourceLsn(), Math::max);
    if (c.op() == ChangeOp.DELETE) {
      employees.remove(c.employeeId());
    } else {
      employees.put(c.employeeId(), c);
    }
    addVersion(c);
  }

  /** Inserts a version in commit-time order (a replayed one is ignored) and drops long-superseded ones. */
  private void addVersion(EmployeeChange c) {
    Version v = new Version(c.sourceTime() == null ? Long.MIN_VALUE : c.sourceTime().toEpochMilli(), c.sourceLsn(), c);
    newestCommitMillis = Math.max(newestCommitMillis, v.sinceMillis());
    long cutoff = newestCommitMillis == Long.MIN_VALUE ? Long.MIN_VALUE : newestCommitMillis - historyMillis;
    versions.compute(c.employeeId(), (id, old) -> {
      List<Version> list = new ArrayList<>(old == null ? 1 : old.length + 1);
      if (old != null) {
        for (Version o : old) {
          if (o.lsn() == v.lsn()) {
            return old;
          }
          list.add(o);
        }
      }
      list.add(v);
      list.sort(ORDER);
      int drop = 0;
      while (drop + 1 < list.size() && list.get(drop + 1).sinceMillis() <= cutoff) {
        drop++;
      }
      versionCount.addAndGet(list.size() - drop - (old == null ? 0 : old.length));
      return list.subList(drop, list.size()).toArray(new Version[0]);
    });
  }

  /** Applies one departments-topic record (the latest {@link DepartmentChange} of a department). */
  void applyDepartment(byte[] key, byte[] value) {
    if (value == null || value.length == 0) {
      if (key != null) {
        departments.remove(Long.parseLong(new String(key, StandardCharsets.UTF_8)));
      }
      return;
    }
    DepartmentChange d = DepartmentChange.fromJson(value);
    departments.merge(d.departmentId(), d, (a, b) -> b.sourceLsn() >= a.sourceLsn() ? b : a);
  }
}
