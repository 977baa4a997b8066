package org.activitypipeline.speed.processor;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.activitypipeline.common.event.Activity;
import org.activitypipeline.common.json.JsonCodec;

/**
 * Deterministic processor input for tests, and the reference results computed directly from it:
 * departments and employees as Debezium change events, activities with in-order, out-of-order and
 * late event times on a synthetic timeline, activities of an employee that never exists, and poison
 * records. The reference applies the documented rules: an activity is late for a window when the
 * window's end plus grace is at or below the highest event time seen before it in its partition.
 */
final class Scenario {
  static final long T0 = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli();
  static final long UNKNOWN_EMPLOYEE = 999_999;
  /** Commit time of the employees and departments the scenario starts with (2026-01-01). */
  static final long COMMITTED = 1767225600000L;
  static final String[] TYPES = {"login", "logout", "email", "meeting", "file_access", "code_commit"};
  static final String[] DEVICES = {"laptop", "desktop", "mobile", "tablet"};
  private static final JsonCodec<Activity> CODEC = JsonCodec.of(Activity.class, Activity.SCHEMA_VERSION);

  final int partitions;
  final long graceMillis;
  final List<Department> departments = new ArrayList<>();
  final List<Employee> employees = new ArrayList<>();
  /** Activities in send order; each goes to partition {@code employeeId % partitions}. */
  final List<Activity> activities = new ArrayList<>();
  private final Map<Long, Employee> byId = new HashMap<>();

  record Department(long id, String name) {
  }

  record Employee(long id, long departmentId, String jobTitle, String location, String status) {
  }

  /** Expected latest value of one hourly window. */
  record Hourly(long count, long unique, long totalDuration, Instant first, Instant last) {
  }

  /** Expected latest value of one daily window. */
  record Daily(long count, long unique, Map<String, Long> byType) {
  }

  Scenario(int partitions, long graceMillis, int employeeCount, int activityCount, long seed) {
    this.partitions = partitions;
    this.graceMillis = graceMillis;
    Random r = new Random(seed);
    String[] names = {"Engineering", "Sales", "Marketing", "Finance", "Support", "People", "Legal", "Research"};
    for (int d = 0; d < names.length; d++) {
      departments.add(new Department(d + 1, names[d]));
    }
    String[] titles = {"Engineer", "Manager", "Analyst", "Designer", "Director"};
    String[] cities = {"Berlin", "London", "Lisbon", "Austin", "Tokyo"};
    for (int i = 1; i <= employeeCount; i++) {
      Employee e = new Employee(i, 1 + r.nextInt(names.length), titles[r.nextInt(titles.length)],
          cities[r.nextInt(cities.length)], r.nextInt(10) == 0 ? "on_leave" : "active");
      employees.add(e);
      byId.put(e.id, e);
    }
    for (int i = 0; i < activityCount; i++) {
      long base = T0 + i * 40L;
      long lag;
      double draw = r.nextDouble();
      if (draw < 0.03) {
        lag = 300_000 + (long) (r.nextDouble() * 6 * 3_600_000); // late upload: 5 min to 6 h
      } else if (draw < 0.10) {
        lag = 30_000 + (long) (r.nextDouble() * 150_000);        // out of order: 30 s to 3 min
      } else {
        lag = (long) (r.nextDouble() * 30_000);
      }
      long employee = r.nextInt(1000) == 0 ? UNKNOWN_EMPLOYEE : 1 + r.nextInt(employeeCount);
      String type = TYPES[r.nextInt(TYPES.length)];
      String device = DEVICES[r.nextInt(DEVICES.length)];
      String id = String.format("00000000-0000-1000-8000-%012d", seed * 10_000_000L + i);
      activities.add(new Activity(1, id, employee, type, device, "linux", "10.0.0.1", "Berlin", r.nextInt(600),
          Instant.ofEpochMilli(base - lag), Instant.ofEpochMilli(base), Map.of("app", "it")));
    }
  }

  int partitionOf(Activity a) {
    return (int) (a.employeeId() % partitions);
  }

  static byte[] key(long id) {
    return Long.toString(id).getBytes(StandardCharsets.UTF_8);
  }

  static byte[] activityValue(Activity a) {
    return CODEC.encode(a);
  }

  Employee employee(long id) {
    return byId.get(id);
  }

  String departmentName(long departmentId) {
    return departments.get((int) departmentId - 1).name;
  }

  /** The department an activity is aggregated under (as the processor documents it). */
  String aggregationDepartment(Activity a) {
    Employee e = byId.get(a.employeeId());
    return e == null ? "unknown" : departmentName(e.departmentId);
  }

  // ---- Debezium change events ----

  byte[] departmentEvent(Department d, long lsn) {
    String row = "{\"department_id\":" + d.id + ",\"name\":\"" + d.name + "\",\"cost_center\":\"CC-" + d.id
        + "\",\"location\":\"Berlin\",\"created_at\":\"2026-01-01T00:00:00.000001Z\","
        + "\"updated_at\":\"2026-01-01T00:00:00.000001Z\"}";
    return debezium("departments", "c", "null", row, lsn, COMMITTED);
  }

  byte[] employeeEvent(Employee e, long lsn) {
    return debezium("employees", "c", "null", employeeRow(e, e.departmentId), lsn, COMMITTED);
  }

  /** The employee moved to {@code departmentId}, committed at {@code committedMillis}. */
  byte[] employeeMoved(Employee e, long departmentId, long lsn, long committedMillis) {
    return debezium("employees", "u", employeeRow(e, e.departmentId), employeeRow(e, departmentId), lsn,
        committedMillis);
  }

  /** The employee deleted at {@code committedMillis}, the old row in {@code before} (REPLICA IDENTITY FULL). */
  byte[] employeeDeleted(Employee e, long lsn, long committedMillis) {
    return debezium("employees", "d", employeeRow(e, e.departmentId), "null", lsn, committedMillis);
  }

  private static String employeeRow(Employee e, long departmentId) {
    return "{\"employee_id\":" + e.id + ",\"first_name\":\"First" + e.id + "\",\"last_name\":\"Last\","
        + "\"email\":\"e" + e.id + "@example.com\",\"department_id\":" + departmentId + ",\"job_title\":\""
        + e.jobTitle + "\",\"location\":\"" + e.location + "\",\"manager_id\":null,\"hire_date\":20089,"
        + "\"salary\":\"" + (40_000 + e.id * 97 % 120_000) + ".00\",\"status\":\"" + e.status + "\","
        + "\"created_at\":\"2026-01-01T00:00:00.000001Z\",\"updated_at\":\"2026-01-01T00:00:00.000001Z\"}";
  }

  static byte[] departmentKey(long id) {
    return ("{\"department_id\":" + id + "}").getBytes(StandardCharsets.UTF_8);
  }

  static byte[] employeeKey(long id) {
    return ("{\"employee_id\":" + id + "}").getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] debezium(String table, String op, String before, String after, long lsn,
                                 long committedMillis) {
    String json = "{\"before\":" + before + ",\"after\":" + after + ",\"source\":{\"version\":\"3.6.1.Final\","
        + "\"connector\":\"postgresql\",\"name\":\"cdc\",\"ts_ms\":" + committedMillis + ",\"snapshot\":\"false\",\"db\":\"hr\","
        + "\"schema\":\"public\",\"table\":\"" + table + "\",\"txId\":1,\"lsn\":" + lsn + ",\"xmin\":null},"
        + "\"op\":\"" + op + "\",\"ts_ms\":1767225600001}";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  // ---- the reference ----

  /** What the processor must produce for {@link #activities}, by the documented rules. */
  final class Reference {
    final Map<String, Hourly> hourly = new TreeMap<>();
    final Map<String, Daily> daily = new TreeMap<>();
    /** activity id → "hourly", "daily" or "hourly,daily". */
    final Map<String, String> late = new LinkedHashMap<>();
    /** Watermark of the window stage once everything is processed: the minimum over partitions. */
    final long finalWatermark;

    Reference() {
      long[] max = new long[partitions];
      java.util.Arrays.fill(max, Long.MIN_VALUE);
      Map<String, long[]> h = new HashMap<>();
      Map<String, Set<Long>> hEmp = new HashMap<>();
      Map<String, long[]> d = new HashMap<>();
      Map<String, Set<Long>> dEmp = new HashMap<>();
      Map<String, Map<String, Long>> dTypes = new HashMap<>();
      for (Activity a : activities) {
        int p = partitionOf(a);
        long t = a.eventTime().toEpochMilli();
        long hourStart = Math.floorDiv(t, 3_600_000L) * 3_600_000L;
        long dayStart = Math.floorDiv(t, 86_400_000L) * 86_400_000L;
        boolean lateH = hourStart + 3_600_000L + graceMillis <= max[p];
        boolean lateD = dayStart + 86_400_000L + graceMillis <= max[p];
        max[p] = Math.max(max[p], t);
        if (lateH || lateD) {
          late.put(a.activityId(), lateH && lateD ? "hourly,daily" : lateH ? "hourly" : "daily");
        }
        if (!lateH) {
          String k = aggregationDepartment(a) + "|" + a.activityType() + "|" + Instant.ofEpochMilli(hourStart);
          long[] v = h.computeIfAbsent(k, x -> new long[] {0, 0, Long.MAX_VALUE, Long.MIN_VALUE});
          v[0]++;
          v[1] += a.durationSeconds();
          v[2] = Math.min(v[2], t);
          v[3] = Math.max(v[3], t);
          hEmp.computeIfAbsent(k, x -> new HashSet<>()).add(a.employeeId());
        }
        if (!lateD) {
          String k = a.deviceType() + "|" + LocalDate.ofEpochDay(dayStart / 86_400_000L);
          d.computeIfAbsent(k, x -> new long[1])[0]++;
          dEmp.computeIfAbsent(k, x -> new HashSet<>()).add(a.employeeId());
          dTypes.computeIfAbsent(k, x -> new TreeMap<>()).merge(a.activityType(), 1L, Long::sum);
        }
      }
      h.forEach((k, v) -> hourly.put(k, new Hourly(v[0], hEmp.get(k).size(), v[1], Instant.ofEpochMilli(v[2]),
          Instant.ofEpochMilli(v[3]))));
      d.forEach((k, v) -> daily.put(k, new Daily(v[0], dEmp.get(k).size(), dTypes.get(k))));
      long min = Long.MAX_VALUE;
      for (long m : max) {
        min = Math.min(min, m);
      }
      finalWatermark = min;
    }

    boolean hourlyClosed(Instant windowStart) {
      return windowStart.toEpochMilli() + 3_600_000L + graceMillis <= finalWatermark;
    }

    boolean dailyClosed(LocalDate day) {
      return day.plusDays(1).toEpochDay() * 86_400_000L + graceMillis <= finalWatermark;
    }
  }
}
