package org.activitypipeline.batch.views;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.activitypipeline.common.time.EventWindows;
import org.activitypipeline.common.time.WindowContractTest;
import org.activitypipeline.lakehouse.DailyDeviceAggRow;
import org.activitypipeline.lakehouse.HourlyActivityAggRow;
import org.activitypipeline.lakehouse.Tables;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * The batch views under the window contract, the way the views job builds them: activity rows of
 * each event date aggregated by {@link ViewAggregates}, the department found by the point-in-time
 * join (one version per employee, so it is the event's department), values read back from the view
 * rows the job writes.
 */
class ViewAggregatesContractTest extends WindowContractTest {
  private static final Schema CHANGE = SchemaBuilder.record("change").fields()
      .requiredLong("employee_id").requiredLong("source_time_ms").requiredLong("source_lsn")
      .optionalLong("department_id").optionalString("department_name").endRecord();

  @Override
  protected Windows compute(List<Event> events) {
    Map<Long, GenericRecord> versions = new LinkedHashMap<>();
    for (Event e : events) {
      versions.computeIfAbsent(e.employeeId(), id -> {
        GenericRecord c = new GenericData.Record(CHANGE);
        c.put("employee_id", id);
        c.put("source_time_ms", 0L);
        c.put("source_lsn", id);
        boolean assigned = !"unassigned".equals(e.department());
        c.put("department_id", assigned ? id : null);
        c.put("department_name", assigned ? e.department() : null);
        return c;
      });
    }
    PointInTimeDepartments departments = PointInTimeDepartments.of(new ArrayList<>(versions.values()));
    Map<String, ViewAggregates> byDate = new HashMap<>();
    for (Event e : events) {
      String date = EventWindows.utcDay(Instant.ofEpochMilli(e.eventMillis())).toString();
      GenericRecord row = new GenericData.Record(Tables.employeeActivity());
      row.put("employee_id", e.employeeId());
      row.put("event_time_ms", e.eventMillis());
      row.put("activity_type", e.activityType());
      row.put("device_type", e.deviceType());
      row.put("duration_seconds", e.durationSeconds());
      byDate.computeIfAbsent(date, d -> new ViewAggregates(d, departments)).add(row);
    }
    Map<String, Hourly> hourly = new HashMap<>();
    Map<String, Daily> daily = new HashMap<>();
    for (ViewAggregates agg : byDate.values()) {
      for (ViewAggregates.Hourly h : agg.hourly()) {
        HourlyActivityAggRow row = new HourlyActivityAggRow(h.department, h.activityType, h.windowStartMs,
            h.values.count(), h.values.uniqueEmployees(), h.values.totalDurationSeconds(),
            h.values.firstEventMillis(), h.values.lastEventMillis(), 0, agg.eventDate());
        hourly.put(row.windowKey(), new Hourly(row.eventCount(), row.uniqueEmployees(), row.totalDurationSeconds(),
            row.firstEventTimeMs(), row.lastEventTimeMs()));
      }
      for (ViewAggregates.Daily d : agg.daily()) {
        DailyDeviceAggRow row = new DailyDeviceAggRow(d.deviceType, agg.eventDate(), d.values.count(),
            d.values.uniqueEmployees(), d.values.countsByActivityType(), 0);
        daily.put(row.windowKey(), new Daily(row.eventCount(), row.uniqueEmployees(), row.countsByActivityType()));
      }
    }
    return new Windows(hourly, daily);
  }
}
