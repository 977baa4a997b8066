package org.activitypipeline.batch.testing;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.activitypipeline.common.event.Activity;
import org.activitypipeline.common.event.ChangeOp;
import org.activitypipeline.common.event.DepartmentChange;
import org.activitypipeline.common.event.EmployeeChange;
import org.activitypipeline.common.event.EnrichedActivity;

/**
 * The source data of a batch-layer test, as the processor would publish it, and the reference
 * results computed directly from it (not through any batch-layer code).
 */
public final class BatchScenario {

  public static final Instant DAY0 = Instant.parse("2026-11-20T00:00:00Z");
  private static final long HOUR = 3_600_000L;

  public final List<EmployeeChange> changes = new ArrayList<>();
  public final List<EnrichedActivity> activities = new ArrayList<>();
  /** Department states (names by commit time), as {@code processed-departments} carries them. */
  public final List<DepartmentChange> departments = new ArrayList<>();
  private final Random random;
  private long lsn = 1000;

  public BatchScenario(long seed) {
    this.random = new Random(seed);
  }

  public static String dept(int d) {
    return "dept-" + d;
  }

  /** Employees 1..n created before DAY0; a third move department on day 1; the last 5 are deleted on day 2. */
  public BatchScenario employees(int n) {
    for (int id = 1; id <= n; id++) {
      Long dept = id % 13 == 0 ? null : (long) (id % 5);
      changes.add(change(ChangeOp.SNAPSHOT, id, dept, DAY0.minusSeconds(86_400 * 10), Map.of()));
    }
    for (int id = 1; id <= n; id += 3) {
      changes.add(change(ChangeOp.UPDATE, id, (long) ((id + 1) % 5), DAY0.plusSeconds(86_400 + 60L * id), Map.of()));
    }
    for (int id = n - 4; id <= n; id++) {
      changes.add(change(ChangeOp.DELETE, id, (long) (id % 5), DAY0.plusSeconds(2 * 86_400 + id), Map.of()));
    }
    return this;
  }

  /** A state of department {@code id} named {@code name}, committed at {@code at}. */
  public DepartmentChange department(long id, String name, Instant at) {
    lsn += 10;
    DepartmentChange d = new DepartmentChange(id, name, false, lsn, at);
    departments.add(d);
    return d;
  }

  public EmployeeChange change(ChangeOp op, long id, Long dept, Instant at, Map<String, Object> extra) {
    lsn += 10;
    return new EmployeeChange(EmployeeChange.SCHEMA_VERSION, op, id, "First" + id, "Last" + id,
        "e" + id + "@example.com", dept, dept == null ? null : dept((int) (long) dept), "title-" + (id % 7),
        "site-" + (id % 3), null, LocalDate.of(2020, 1, 1), "50k-75k", "active", at, at, List.of("department_id"),
        extra, lsn, at);
  }

  /** {@code count} activities spread over {@code days} days from {@code firstDay}, employees 1..maxEmployee. */
  public List<EnrichedActivity> activities(int count, int firstDay, int days, int maxEmployee, String idPrefix) {
    String[] types = {"login", "email", "meeting", "document"};
    String[] devices = {"laptop", "phone", "tablet"};
    List<EnrichedActivity> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long employee = 1 + random.nextInt(maxEmployee);
      Instant event = DAY0.plusMillis((long) firstDay * 24 * HOUR + (long) (random.nextDouble() * days * 24 * HOUR));
      Activity a = new Activity(Activity.SCHEMA_VERSION, idPrefix + i, employee, types[random.nextInt(types.length)],
          devices[random.nextInt(devices.length)], "linux", "10.0.0." + (i % 250), "office", random.nextInt(600),
          event, event.plusSeconds(2), Map.of("source", "it"));
      out.add(new EnrichedActivity(EnrichedActivity.SCHEMA_VERSION, a, employee <= 1000, (long) (employee % 5),
          dept((int) (employee % 5)), "title-" + (employee % 7), "site", "active", event.plusSeconds(3)));
    }
    activities.addAll(out);
    return out;
  }

  /** Distinct activities by id (replays of the same activity collapse). */
  public Map<String, EnrichedActivity> distinctActivities() {
    Map<String, EnrichedActivity> out = new LinkedHashMap<>();
    activities.forEach(e -> out.put(e.activity().activityId(), e));
    return out;
  }

  /** Latest state per employee by LSN; deleted employees absent. */
  public Map<Long, EmployeeChange> currentEmployees() {
    Map<Long, EmployeeChange> last = new HashMap<>();
    for (EmployeeChange c : changes) {
      last.merge(c.employeeId(), c, (a, b) -> b.sourceLsn() > a.sourceLsn() ? b : a);
    }
    last.values().removeIf(c -> c.op() == ChangeOp.DELETE);
    return last;
  }

  /** The department at event time: newest change at or before it, else the first; unknown / unassigned as the speed layer names them. */
  public String departmentAt(long employee, Instant event) {
    List<EmployeeChange> history = changes.stream().filter(c -> c.employeeId() == employee)
        .sorted(Comparator.comparing(EmployeeChange::sourceTime).thenComparingLong(EmployeeChange::sourceLsn)).toList();
    if (history.isEmpty()) {
      return "unknown";
    }
    EmployeeChange at = history.get(0);
    for (EmployeeChange c : history) {
      if (!c.sourceTime().isAfter(event)) {
        at = c;
      }
    }
    if (at.departmentId() == null) {
      return "unassigned";
    }
    // The department's name as of the event: its newest state committed at or before it, else its first.
    long id = at.departmentId();
    List<DepartmentChange> names = departments.stream().filter(d -> d.departmentId() == id)
        .sorted(Comparator.comparing(DepartmentChange::sourceTime).thenComparingLong(DepartmentChange::sourceLsn))
        .toList();
    if (names.isEmpty()) {
      return at.departmentName();
    }
    DepartmentChange named = names.get(0);
    for (DepartmentChange d : names) {
      if (!d.sourceTime().isAfter(event)) {
        named = d;
      }
    }
    return named.name();
  }

  /** Reference hourly window: key → [count, unique, total duration, first ms, last ms]. */
  public Map<String, long[]> hourlyReference() {
    Map<String, long[]> out = new TreeMap<>();
    Map<String, Set<Long>> employees = new HashMap<>();
    for (EnrichedActivity e : distinctActivities().values()) {
      Activity a = e.activity();
      long start = Math.floorDiv(a.eventTime().toEpochMilli(), HOUR) * HOUR;
      String key = departmentAt(a.employeeId(), a.eventTime()) + "|" + a.activityType() + "|" + Instant.ofEpochMilli(start);
      long[] v = out.computeIfAbsent(key, k -> new long[] {0, 0, 0, Long.MAX_VALUE, Long.MIN_VALUE});
      v[0]++;
      v[2] += a.durationSeconds();
      v[3] = Math.min(v[3], a.eventTime().toEpochMilli());
      v[4] = Math.max(v[4], a.eventTime().toEpochMilli());
      employees.computeIfAbsent(key, k -> new HashSet<>()).add(a.employeeId());
    }
    out.forEach((k, v) -> v[1] = employees.get(k).size());
    return out;
  }

  /** Reference daily window: key device|day → [count, unique] plus counts by type. */
  public Map<String, String> dailyReference() {
    Map<String, long[]> counts = new TreeMap<>();
    Map<String, Set<Long>> employees = new HashMap<>();
    Map<String, Map<String, Long>> byType = new HashMap<>();
    for (EnrichedActivity e : distinctActivities().values()) {
      Activity a = e.activity();
      String key = a.deviceType() + "|" + a.eventTime().atOffset(ZoneOffset.UTC).toLocalDate();
      counts.computeIfAbsent(key, k -> new long[1])[0]++;
      employees.computeIfAbsent(key, k -> new HashSet<>()).add(a.employeeId());
      byType.computeIfAbsent(key, k -> new TreeMap<>()).merge(a.activityType(), 1L, Long::sum);
    }
    Map<String, String> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v[0] + "/" + employees.get(k).size() + "/" + byType.get(k)));
    return out;
  }
}
