package org.activitypipeline.batch.views;

import java.util.HashMap;
import java.util.Map;
import org.activitypipeline.common.time.EventWindows;
import org.activitypipeline.common.time.WindowAccumulator;
import org.activitypipeline.lakehouse.DailyDeviceAggRow;
import org.activitypipeline.lakehouse.HourlyActivityAggRow;
import org.apache.avro.generic.GenericRecord;

/**
 * The hourly and daily aggregates of one event date, computed from its activity rows with the window
 * contract's boundaries and values ({@link EventWindows}, {@link WindowAccumulator}, as the speed
 * layer), and the department as of each event's time.
 */
public final class ViewAggregates {

  /** One hourly window: department × activity type × hour. */
  public static final class Hourly {
    public final String department;
    public final String activityType;
    public final long windowStartMs;
    public final WindowAccumulator values = new WindowAccumulator(false);

    Hourly(String department, String activityType, long windowStartMs) {
      this.department = department;
      this.activityType = activityType;
      this.windowStartMs = windowStartMs;
    }

    /** Same key as the speed layer's hourly topic: {@code department|activity_type|window_start}. */
    public String key() {
      return HourlyActivityAggRow.key(department, activityType, windowStartMs);
    }
  }

  /** One daily window: device type × day. */
  public static final class Daily {
    public final String deviceType;
    public final WindowAccumulator values = new WindowAccumulator(true);

    Daily(String deviceType) {
      this.deviceType = deviceType;
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
    long windowStart = EventWindows.hourStartMillis(eventMs);
    hourly.computeIfAbsent(department + "|" + type + "|" + windowStart, k -> new Hourly(department, type, windowStart))
        .values.add(employee, type, duration, eventMs);

    String deviceType = device == null ? PointInTimeDepartments.UNKNOWN : device.toString();
    daily.computeIfAbsent(deviceType, Daily::new).values.add(employee, type, duration, eventMs);
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
}
