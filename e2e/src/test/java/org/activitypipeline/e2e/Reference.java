package org.activitypipeline.e2e;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The expected answer, computed directly from the sources by the contract (docs/ARCHITECTURE.md §5b):
 * every valid activity row in Cassandra (an event time more than {@link #MAX_FUTURE_SKEW} after the
 * row's write time is invalid) joined to its employee's department as of the event time, from the
 * history PostgreSQL recorded ({@link SourceHistory}), aggregated into hourly windows by department
 * and activity type and daily windows by device type, with exact unique employees. Values are
 * rendered as strings so a mismatch prints readably.
 */
final class Reference {
  static final java.time.Duration MAX_FUTURE_SKEW = java.time.Duration.ofMinutes(5);
  final Map<String, String> hourly = new TreeMap<>();
  final Map<String, String> daily = new TreeMap<>();
  long activities;
  /** Rows left out as invalid: a required column missing or blank, a negative duration. */
  long invalid;
  /** Rows left out as invalid (dated too far after their write time). */
  long futureDated;
  Instant minEvent = Instant.MAX;
  Instant maxEvent = Instant.MIN;

  private static final class Hourly {
    long count;
    final Set<Long> employees = new HashSet<>();
    long duration;
    Instant first = Instant.MAX;
    Instant last = Instant.MIN;
  }

  private static final class Daily {
    long count;
    final Set<Long> employees = new HashSet<>();
    final Map<String, Long> byType = new TreeMap<>();
  }

  static String hourlyValue(long count, long unique, long duration, Instant first, Instant last) {
    return count + "/" + unique + "/" + duration + "/" + first + "/" + last;
  }

  static String dailyValue(long count, long unique, Map<String, Long> byType) {
    return count + "/" + unique + "/" + new TreeMap<>(byType);
  }

  static Reference compute(SourceHistory history, String cassandra) {
    Reference ref = new Reference();
    Map<String, Hourly> hourly = new HashMap<>();
    Map<String, Daily> daily = new HashMap<>();
    String[] hostPort = cassandra.split(":");
    try (CqlSession session = CqlSession.builder()
        .addContactPoint(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])))
        .withLocalDatacenter("datacenter1").build()) {
      for (Row r : session.execute(SimpleStatement.newInstance("SELECT activity_id, employee_id, activity_type,"
          + " device_type, duration_seconds, event_time FROM activity.employee_activity").setPageSize(5000))) {
        String type = r.getString("activity_type");
        String device = r.getString("device_type");
        Instant at = r.getInstant("event_time");
        if (r.isNull("employee_id") || at == null || type == null || type.isBlank() || device == null
            || device.isBlank() || r.isNull("duration_seconds") || r.getInt("duration_seconds") < 0) {
          ref.invalid++;
          continue;
        }
        long employee = r.getLong("employee_id");
        long writeMs = com.datastax.oss.driver.api.core.uuid.Uuids.unixTimestamp(r.getUuid("activity_id"));
        if (at.toEpochMilli() - writeMs > MAX_FUTURE_SKEW.toMillis()) {
          ref.futureDated++;
          continue;
        }
        String dept = history.departmentAt(employee, at);
        Hourly h = hourly.computeIfAbsent(dept + "|" + type + "|" + at.truncatedTo(ChronoUnit.HOURS), k -> new Hourly());
        h.count++;
        h.employees.add(employee);
        h.duration += r.getInt("duration_seconds");
        h.first = at.isBefore(h.first) ? at : h.first;
        h.last = at.isAfter(h.last) ? at : h.last;
        Daily d = daily.computeIfAbsent(r.getString("device_type") + "|" + at.toString().substring(0, 10),
            k -> new Daily());
        d.count++;
        d.employees.add(employee);
        d.byType.merge(type, 1L, Long::sum);
        ref.activities++;
        ref.minEvent = at.isBefore(ref.minEvent) ? at : ref.minEvent;
        ref.maxEvent = at.isAfter(ref.maxEvent) ? at : ref.maxEvent;
      }
    }
    hourly.forEach((k, h) -> ref.hourly.put(k, hourlyValue(h.count, h.employees.size(), h.duration, h.first, h.last)));
    daily.forEach((k, d) -> ref.daily.put(k, dailyValue(d.count, d.employees.size(), d.byType)));
    return ref;
  }

  /** Up to {@code max} lines describing how {@code actual} differs from {@code expected}. */
  static String diff(Map<String, String> expected, Map<String, String> actual, int max) {
    StringBuilder sb = new StringBuilder();
    int n = 0;
    Set<String> keys = new java.util.TreeSet<>(expected.keySet());
    keys.addAll(actual.keySet());
    for (String k : keys) {
      String e = expected.get(k);
      String a = actual.get(k);
      if (!java.util.Objects.equals(e, a) && n++ < max) {
        sb.append("  ").append(k).append(": expected ").append(e).append(", served ").append(a).append('\n');
      }
    }
    return n == 0 ? "" : n + " windows differ:\n" + sb;
  }
}
