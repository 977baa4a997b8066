package org.activitypipeline.lakehouse;

import org.activitypipeline.common.time.EventWindows;
import org.activitypipeline.lakehouse.hudi.HudiTableSpec;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * One row of the batch view {@code hourly_activity_agg}: the batch layer writes it, the serving
 * layer reads it. Key and values are those of the speed layer's {@code hourly-activity-aggregations}.
 */
public record HourlyActivityAggRow(String department, String activityType, long windowStartMs, long eventCount,
                                   long uniqueEmployees, long totalDurationSeconds, long firstEventTimeMs,
                                   long lastEventTimeMs, long computedAtMs, String eventDate) {
  /** {@code department|activity_type|window_start}, as the speed layer keys the same window. */
  public String windowKey() {
    return key(department, activityType, windowStartMs);
  }

  public static String key(String department, String activityType, long windowStartMs) {
    return EventWindows.hourlyKey(department, activityType, windowStartMs);
  }

  public long windowEndMs() {
    return EventWindows.hourEndMillis(windowStartMs);
  }

  public double avgDurationSeconds() {
    return (double) totalDurationSeconds / eventCount;
  }

  public GenericRecord toAvro() {
    GenericRecord r = new GenericData.Record(Tables.hourlyActivityAgg());
    r.put("window_key", windowKey());
    r.put("department", department);
    r.put("activity_type", activityType);
    r.put("window_start_ms", windowStartMs);
    r.put("window_end_ms", windowEndMs());
    r.put("event_count", eventCount);
    r.put("unique_employees", uniqueEmployees);
    r.put("total_duration_seconds", totalDurationSeconds);
    r.put("avg_duration_seconds", avgDurationSeconds());
    r.put("first_event_time_ms", firstEventTimeMs);
    r.put("last_event_time_ms", lastEventTimeMs);
    r.put("computed_at_ms", computedAtMs);
    r.put(HudiTableSpec.DELETED_FIELD, false);
    r.put("event_date", eventDate);
    return r;
  }

  public static HourlyActivityAggRow fromAvro(GenericRecord r) {
    return new HourlyActivityAggRow(r.get("department").toString(), r.get("activity_type").toString(),
        (Long) r.get("window_start_ms"), (Long) r.get("event_count"), (Long) r.get("unique_employees"),
        (Long) r.get("total_duration_seconds"), (Long) r.get("first_event_time_ms"),
        (Long) r.get("last_event_time_ms"), (Long) r.get("computed_at_ms"), r.get("event_date").toString());
  }
}
