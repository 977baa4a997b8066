package org.activitypipeline.batch.views;

import com.carrotsearch.hppc.LongHashSet;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.activitypipeline.lakehouse.DailyDeviceAggRow;
import org.activitypipeline.lakehouse.HourlyActivityAggRow;
import org.apache.avro.generic.GenericRecord;

/**
 * The hourly and daily aggregates of one event date, computed from its activity rows: the same
 * definitions as the speed layer's windows (exact unique counts), with the department as of each
 * event's time.
 */
public final class ViewAggregates {

  private static final long HOUR_MS = 3_600_000L;

  /** One hourly window: department × activity type × hour. */
  public static final class Hourly {
    public final String department;
    public final String activityType;
    public final long windowStartMs;
    public long eventCount;
    public long totalDurationSeconds;
    public long firstEventMs = Long.MAX_VALUE;
    public long lastEventMs = Long.MIN_VALUE;
    final LongHashSet employees = new LongHashSet();

    Hourly(String department, String activityType, long windowStartMs) {
      this.department = department;
      this.activityType = activityType;
      this.windowStartMs = windowStartMs;
    }

    public long uniqueEmployees() {
      return employees.size();
    }

    /** Same key as the speed layer's hourly topic: {@code department|activity_type|window_start}. */
    public String key() {
      return HourlyActivityAggRow.key(department, activityType, windowStartMs);
    }
  }

  /** One daily window: device type × day. */
  public static final class Daily {
    public final String deviceType;
    public long eventCount;
    public final Map<String, Long> countsByActivityType = new TreeMap<>();
    final LongHashSet employees = new LongHashSet();

    Daily(String deviceType) {
      this.deviceType = deviceType;
    }

    public long uniqueEmployees() {
      return employees.size();
    }
  }

  private final String eventDate;
  private final PointInTimeDepartments departments;
  private final Map<String, Hourly> hourly = new HashMap<>();
  private final Map<String, Daily> daily = new HashMap<>();
  private long maxEventMs = Long.MIN_VALUE;

  public ViewAggregates(String eventDate, PointInTimeDepartments departments) {
    this.eventDate = eventDate;
    this.departments = departments;
  }

  /** Adds one {@code employee_activity} row. */
  public void add(GenericRecord activity) {
    long employee = (Long) activity.get("employee_id");
    long eventMs = (Long) activity.get("event_time_ms");
    String type = activity.get("activity_type").toString();
    Object device = activity.get("device_type");
    int duration = (Integer) activity.get("duration_seconds");
    maxEventMs = Math.max(maxEventMs, eventMs);

    String department = departments.departmentAt(employee, eventMs);
    long windowStart = Math.floorDiv(eventMs, HOUR_MS) * HOUR_MS;
    Hourly h = hourly.computeIfAbsent(department + "|" + type + "|" + windowStart,
        k -> new Hourly(department, type, windowStart));
    h.eventCount++;
    h.totalDurationSeconds += duration;
    h.firstEventMs = Math.min(h.firstEventMs, eventMs);
    h.lastEventMs = Math.max(h.lastEventMs, eventMs);
    h.employees.add(employee);

    String deviceType = device == null ? PointInTimeDepartments.UNKNOWN : device.toString();
    Daily d = daily.computeIfAbsent(deviceType, Daily::new);
    d.eventCount++;
    d.countsByActivityType.merge(type, 1L, Long::sum);
    d.employees.add(employee);
  }

  public String eventDate() {
    return eventDate;
  }

  public Iterable<Hourly> hourly() {
    return hourly.values();
  }

  public Iterable<Daily> daily() {
    return daily.values();
  }

  /** Key of a daily window, as on the speed layer's daily topic: {@code device_type|day}. */
  public String dailyKey(Daily d) {
    return DailyDeviceAggRow.key(d.deviceType, eventDate);
  }

  /** Newest event time seen, or {@link Long#MIN_VALUE} when empty. */
  public long maxEventMs() {
    return maxEventMs;
  }

  static String dateOf(long eventMs) {
    return Instant.ofEpochMilli(eventMs).atOffset(ZoneOffset.UTC).toLocalDate().toString();
  }
}
