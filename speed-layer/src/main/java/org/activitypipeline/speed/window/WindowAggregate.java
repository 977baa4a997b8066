package org.activitypipeline.speed.window;

import com.carrotsearch.hppc.LongHashSet;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.activitypipeline.common.event.DailyDeviceAggregate;
import org.activitypipeline.common.event.HourlyActivityAggregate;
import org.activitypipeline.common.json.InvalidRecordException;
import org.activitypipeline.common.json.Json;
import org.activitypipeline.common.time.EventWindows;

/**
 * The running aggregate of one window: an hourly window of (department, activity type) or a daily
 * window of a device type. The same shape travels as a partial (what one enrich task saw in one
 * transaction) and is kept as window state (the merge of all partials), so merging is associative:
 * counts and durations add, employee sets union (exact unique counts), first/last take min/max.
 *
 * <p>Mutable and not thread-safe: owned by one task.
 */
public final class WindowAggregate {
  private final WindowKind kind;
  private final String group;
  private final String activityType;
  private final long start;
  private long count;
  private long totalDurationSeconds;
  private long firstEventMillis = Long.MAX_VALUE;
  private long lastEventMillis = Long.MIN_VALUE;
  private final LongHashSet employees;
  private final Map<String, Long> countsByActivityType;

  private WindowAggregate(WindowKind kind, String group, String activityType, long start) {
    this.kind = kind;
    this.group = group;
    this.activityType = activityType;
    this.start = start;
    this.employees = new LongHashSet();
    this.countsByActivityType = new HashMap<>();
  }

  /** An empty hourly window of {@code department} and {@code activityType} starting at {@code startMillis}. */
  static WindowAggregate hourly(String department, String activityType, long startMillis) {
    return new WindowAggregate(WindowKind.HOURLY, department, activityType, startMillis);
  }

  /** An empty daily window of {@code deviceType} for the UTC day starting at {@code startMillis}. */
  static WindowAggregate daily(String deviceType, long startMillis) {
    return new WindowAggregate(WindowKind.DAILY, deviceType, null, startMillis);
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
    count++;
    totalDurationSeconds += durationSeconds;
    firstEventMillis = Math.min(firstEventMillis, eventMillis);
    lastEventMillis = Math.max(lastEventMillis, eventMillis);
    employees.add(employeeId);
    if (kind == WindowKind.DAILY) {
      countsByActivityType.merge(type, 1L, Long::sum);
    }
  }

  void merge(WindowAggregate other) {
    if (other.kind != kind || other.start != start || !other.group.equals(group)
        || !java.util.Objects.equals(other.activityType, activityType)) {
      throw new IllegalArgumentException("cannot merge " + other.key() + " into " + key());
    }
    count += other.count;
    totalDurationSeconds += other.totalDurationSeconds;
    firstEventMillis = Math.min(firstEventMillis, other.firstEventMillis);
    lastEventMillis = Math.max(lastEventMillis, other.lastEventMillis);
    employees.addAll(other.employees);
    other.countsByActivityType.forEach((t, n) -> countsByActivityType.merge(t, n, Long::sum));
  }

  WindowKind kind() {
    return kind;
  }

  long start() {
    return start;
  }

  /** First instant after the window. */
  long end() {
    return kind == WindowKind.HOURLY ? start + 3_600_000L : start + 86_400_000L;
  }

  long count() {
    return count;
  }

  int uniqueEmployees() {
    return employees.size();
  }

  HourlyActivityAggregate toHourly(boolean isFinal, Instant now) {
    double avg = count == 0 ? 0 : (double) totalDurationSeconds / count;
    return new HourlyActivityAggregate(HourlyActivityAggregate.SCHEMA_VERSION, group, activityType,
        Instant.ofEpochMilli(start), Instant.ofEpochMilli(end()), count, employees.size(), totalDurationSeconds,
        avg, Instant.ofEpochMilli(firstEventMillis), Instant.ofEpochMilli(lastEventMillis), isFinal, now);
  }

  DailyDeviceAggregate toDaily(boolean isFinal, Instant now) {
    return new DailyDeviceAggregate(DailyDeviceAggregate.SCHEMA_VERSION, group,
        EventWindows.utcDay(Instant.ofEpochMilli(start)), count, employees.size(), countsByActivityType, isFinal, now);
  }

  byte[] toJson() {
    long[] ids = employees.toArray();
    State s = new State(kind, group, activityType, start, count, totalDurationSeconds, firstEventMillis,
        lastEventMillis, ids, kind == WindowKind.DAILY ? countsByActivityType : null);
    return Json.write(s);
  }

  /** @throws InvalidRecordException when {@code bytes} is not a window aggregate */
  static WindowAggregate fromJson(byte[] bytes) {
    State s = Json.read(bytes, State.class, "window aggregate");
    if (s.kind == null || s.group == null || (s.kind == WindowKind.HOURLY && s.activityType == null)) {
      throw new InvalidRecordException("window aggregate without kind, group or activity type");
    }
    WindowAggregate a = new WindowAggregate(s.kind, s.group, s.activityType, s.start);
    a.count = s.count;
    a.totalDurationSeconds = s.totalDurationSeconds;
    a.firstEventMillis = s.firstEventMillis;
    a.lastEventMillis = s.lastEventMillis;
    if (s.employees != null) {
      for (long id : s.employees) {
        a.employees.add(id);
      }
    }
    if (s.countsByActivityType != null) {
      a.countsByActivityType.putAll(s.countsByActivityType);
    }
    return a;
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
