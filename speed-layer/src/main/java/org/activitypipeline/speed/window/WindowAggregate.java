package org.activitypipeline.speed.window;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;
import org.activitypipeline.common.event.DailyDeviceAggregate;
import org.activitypipeline.common.event.HourlyActivityAggregate;
import org.activitypipeline.common.json.InvalidRecordException;
import org.activitypipeline.common.json.Json;
import org.activitypipeline.common.time.EventWindows;
import org.activitypipeline.common.time.WindowAccumulator;

/**
 * The running aggregate of one window: an hourly window of (department, activity type) or a daily
 * window of a device type. The same shape travels as a partial (what one enrich task saw in one
 * transaction) and is kept as window state (the merge of all partials); its values are the window
 * contract's {@link WindowAccumulator}, whose merge is associative.
 *
 * <p>Mutable and not thread-safe: owned by one task.
 */
public final class WindowAggregate {
  private final WindowKind kind;
  private final String group;
  private final String activityType;
  private final long start;
  private final WindowAccumulator values;

  private WindowAggregate(WindowKind kind, String group, String activityType, long start, WindowAccumulator values) {
    this.kind = kind;
    this.group = group;
    this.activityType = activityType;
    this.start = start;
    this.values = values;
  }

  /** An empty hourly window of {@code department} and {@code activityType} starting at {@code startMillis}. */
  static WindowAggregate hourly(String department, String activityType, long startMillis) {
    return new WindowAggregate(WindowKind.HOURLY, department, activityType, startMillis, new WindowAccumulator(false));
  }

  /** An empty daily window of {@code deviceType} for the UTC day starting at {@code startMillis}. */
  static WindowAggregate daily(String deviceType, long startMillis) {
    return new WindowAggregate(WindowKind.DAILY, deviceType, null, startMillis, new WindowAccumulator(true));
  }

  /** The routing and state key; equal for every partial of the same window. */
  static String hourlyKey(String department, String activityType, long startMillis) {
    return "H|" + department + "|" + activityType + "|" + startMillis;
  }

  static String dailyKey(String deviceType, long startMillis) {
    return "D|" + deviceType + "|" + startMillis;
  }

  String key() {
    return kind == WindowKind.HOURLY ? hourlyKey(group, activityType, start) : dailyKey(group, start);
  }

  void add(long employeeId, String type, long durationSeconds, long eventMillis) {
    values.add(employeeId, type, durationSeconds, eventMillis);
  }

  void merge(WindowAggregate other) {
    if (other.kind != kind || other.start != start || !other.group.equals(group)
        || !java.util.Objects.equals(other.activityType, activityType)) {
      throw new IllegalArgumentException("cannot merge " + other.key() + " into " + key());
    }
    values.merge(other.values);
  }

  WindowKind kind() {
    return kind;
  }

  long start() {
    return start;
  }

  /** First instant after the window. */
  long end() {
    return kind == WindowKind.HOURLY ? EventWindows.hourEndMillis(start) : EventWindows.dayEndMillis(start);
  }

  long count() {
    return values.count();
  }

  long uniqueEmployees() {
    return values.uniqueEmployees();
  }

  HourlyActivityAggregate toHourly(boolean isFinal, Instant now) {
    return new HourlyActivityAggregate(HourlyActivityAggregate.SCHEMA_VERSION, group, activityType,
        Instant.ofEpochMilli(start), Instant.ofEpochMilli(end()), values.count(), values.uniqueEmployees(),
        values.totalDurationSeconds(), values.avgDurationSeconds(), Instant.ofEpochMilli(values.firstEventMillis()),
        Instant.ofEpochMilli(values.lastEventMillis()), isFinal, now);
  }

  DailyDeviceAggregate toDaily(boolean isFinal, Instant now) {
    return new DailyDeviceAggregate(DailyDeviceAggregate.SCHEMA_VERSION, group,
        EventWindows.utcDay(Instant.ofEpochMilli(start)), values.count(), values.uniqueEmployees(),
        values.countsByActivityType(), isFinal, now);
  }

  byte[] toJson() {
    State s = new State(kind, group, activityType, start, values.count(), values.totalDurationSeconds(),
        values.firstEventMillis(), values.lastEventMillis(), values.employeeIds(),
        kind == WindowKind.DAILY ? values.countsByActivityType() : null);
    return Json.write(s);
  }

  /** @throws InvalidRecordException when {@code bytes} is not a window aggregate */
  static WindowAggregate fromJson(byte[] bytes) {
    State s = Json.read(bytes, State.class, "window aggregate");
    if (s.kind == null || s.group == null || (s.kind == WindowKind.HOURLY && s.activityType == null)) {
      throw new InvalidRecordException("window aggregate without kind, group or activity type");
    }
    return new WindowAggregate(s.kind, s.group, s.activityType, s.start, WindowAccumulator.of(
        s.kind == WindowKind.DAILY, s.count, s.totalDurationSeconds, s.firstEventMillis, s.lastEventMillis,
        s.employees, s.countsByActivityType));
  }

  /** The JSON shape of partials and changelog entries. */
  record State(WindowKind kind, String group, String activityType, long start, long count,
               long totalDurationSeconds, long firstEventMillis, long lastEventMillis, long[] employees,
               Map<String, Long> countsByActivityType) {
    @JsonCreator
    State(@JsonProperty("kind") WindowKind kind, @JsonProperty("group") String group,
          @JsonProperty("activity_type") String activityType, @JsonProperty("start") long start,
          @JsonProperty("count") long count, @JsonProperty("total_duration_seconds") long totalDurationSeconds,
          @JsonProperty("first_event_millis") long firstEventMillis,
          @JsonProperty("last_event_millis") long lastEventMillis, @JsonProperty("employees") long[] employees,
          @JsonProperty("counts_by_activity_type") Map<String, Long> countsByActivityType) {
      this.kind = kind;
      this.group = group;
      this.activityType = activityType;
      this.start = start;
      this.count = count;
      this.totalDurationSeconds = totalDurationSeconds;
      this.firstEventMillis = firstEventMillis;
      this.lastEventMillis = lastEventMillis;
      this.employees = employees;
      this.countsByActivityType = countsByActivityType;
    }
  }
}
