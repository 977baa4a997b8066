package org.activitypipeline.speed.employees;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.activitypipeline.common.event.ChangeOp;
import org.activitypipeline.common.event.DepartmentChange;
import org.activitypipeline.common.event.EmployeeChange;
import org.activitypipeline.common.json.JsonCodec;
import org.activitypipeline.common.time.VersionHistory;

/**
 * Every employee and department as committed to {@code processed-employees} and the departments
 * topic: the in-memory table enrichment looks up, and the last applied LSN per key that the
 * transformer dedupes against. Each process holds one, fed by an {@link EmployeeDirectoryReader}.
 *
 * <p><b>Versions.</b> Besides each employee's current state it keeps the employee's versions, and
 * each department's, each valid from its PostgreSQL commit time ({@code source_time}), so enrichment
 * can join an activity to the employee as of its event time ({@link #employeeAt}) and name the
 * department as it was named then ({@link #departmentNameAt}: renames are history): the newest
 * version committed at or before the event time; before the first version, the first; after a
 * delete, the deleted row's last state. Versions superseded more than {@code history} before the
 * newest commit time seen (the CDC stream's progress, not the wall clock, so a replay of old changes
 * keeps what it needs) are dropped, so memory follows the workforce.
 * After a restart the versions are what {@code processed-employees} and the departments topic still
 * hold (compaction keeps the latest per key once a record is older than the topics'
 * {@code min.compaction.lag.ms}).
 *
 * <p>Thread-safe: one reader thread writes, all stream threads read.
 */
public final class EmployeeDirectory {
  private static final JsonCodec<EmployeeChange> CODEC = JsonCodec.of(EmployeeChange.class, EmployeeChange.SCHEMA_VERSION);
  /** Versions kept by default: one day of history, the longest lateness worth joining exactly. */
  public static final Duration DEFAULT_HISTORY = Duration.ofHours(24);

  private final long historyMillis;
  private volatile long newestCommitMillis = Long.MIN_VALUE;
  private final ConcurrentHashMap<Long, VersionHistory<EmployeeChange>> versions = new ConcurrentHashMap<>();
  private final AtomicLong versionCount = new AtomicLong();
  private final ConcurrentHashMap<Long, EmployeeChange> employees = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, Long> employeeLsn = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, VersionHistory<DepartmentChange>> departments = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, Long> departmentLsn = new ConcurrentHashMap<>();
  private volatile long completeThroughMillis = Long.MIN_VALUE;

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
    VersionHistory<EmployeeChange> h = versions.get(employeeId);
    return h == null ? null : h.at(eventMillis);
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
    VersionHistory<DepartmentChange> h = departmentId == null ? null : departments.get(departmentId);
    DepartmentChange d = h == null ? null : h.latest();
    return d == null || d.deleted() ? null : d.name();
  }

  /**
   * The department's name as of {@code eventMillis} (the newest state committed at or before it, else
   * the first kept; a deleted department keeps its last name), or null when the department is unknown,
   * its state has no name, or {@code departmentId} is null.
   */
  public String departmentNameAt(Long departmentId, long eventMillis) {
    VersionHistory<DepartmentChange> h = departmentId == null ? null : departments.get(departmentId);
    return h == null ? null : h.at(eventMillis).name();
  }

  /**
   * Every employee and department version committed at or before this time is applied (the CDC
   * stream's progress over all its partitions, see {@link org.activitypipeline.common.event.CdcProgress}),
   * or {@link Long#MIN_VALUE} while some cdc partition has not reported yet.
   */
  public long completeThroughMillis() {
    return completeThroughMillis;
  }

  /** Set by the reader once the changes before the progress records are applied; never moves back. */
  void completeThrough(long millis) {
    if (millis > completeThroughMillis) {
      completeThroughMillis = millis;
    }
  }

  /** Highest LSN committed for this employee (deletes included), or -1. */
  public long lastEmployeeLsn(long employeeId) {
    return employeeLsn.getOrDefault(employeeId, -1L);
  }

  /** Highest LSN committed for this department, or -1. */
  public long lastDepartmentLsn(long departmentId) {
    return departmentLsn.getOrDefault(departmentId, -1L);
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
    VersionHistory.Version<EmployeeChange> v = new VersionHistory.Version<>(millis(c.sourceTime()), c.sourceLsn(), c);
    long cutoff = cutoffAfter(v.sinceMillis());
    versions.compute(c.employeeId(), (id, old) -> {
      VersionHistory<EmployeeChange> now = old == null ? VersionHistory.of(v) : old.with(v, cutoff);
      versionCount.addAndGet(now.size() - (old == null ? 0 : old.size()));
      return now;
    });
  }

  /** Applies one departments-topic record (a {@link DepartmentChange}); a tombstone forgets the department. */
  void applyDepartment(byte[] key, byte[] value) {
    if (value == null || value.length == 0) {
      if (key != null) {
        long id = Long.parseLong(new String(key, StandardCharsets.UTF_8));
        departments.remove(id);
        departmentLsn.remove(id);
      }
      return;
    }
    DepartmentChange d = DepartmentChange.fromJson(value);
    departmentLsn.merge(d.departmentId(), d.sourceLsn(), Math::max);
    VersionHistory.Version<DepartmentChange> v = new VersionHistory.Version<>(millis(d.sourceTime()), d.sourceLsn(), d);
    long cutoff = cutoffAfter(v.sinceMillis());
    departments.compute(d.departmentId(), (id, old) -> old == null ? VersionHistory.of(v) : old.with(v, cutoff));
  }

  /** Moves the CDC stream's progress to {@code commitMillis}; returns the time before which versions may go. */
  private long cutoffAfter(long commitMillis) {
    newestCommitMillis = Math.max(newestCommitMillis, commitMillis);
    return newestCommitMillis == Long.MIN_VALUE ? Long.MIN_VALUE : newestCommitMillis - historyMillis;
  }

  private static long millis(Instant t) {
    return t == null ? Long.MIN_VALUE : t.toEpochMilli();
  }
}
