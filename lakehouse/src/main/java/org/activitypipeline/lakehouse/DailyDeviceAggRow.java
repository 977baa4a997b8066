package org.activitypipeline.lakehouse;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.activitypipeline.common.json.Json;
import org.activitypipeline.common.time.EventWindows;
import org.activitypipeline.lakehouse.hudi.HudiTableSpec;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * One row of the batch view {@code daily_device_agg} (one device type on one UTC day, the row's
 * {@code event_date}): the batch layer writes it, the serving layer reads it. The counts per
 * activity type are a JSON object in one string column (Hive reads it with {@code get_json_object}).
 */
public record DailyDeviceAggRow(String deviceType, String eventDate, long eventCount, long uniqueEmployees,
                                Map<String, Long> countsByActivityType, long computedAtMs) {
  private static final TypeReference<Map<String, Long>> COUNTS = new TypeReference<>() {};

  public DailyDeviceAggRow {
    countsByActivityType = java.util.Collections.unmodifiableMap(new TreeMap<>(countsByActivityType));
  }

  /** {@code device_type|day}, as the speed layer keys the same window. */
  public String windowKey() {
    return key(deviceType, eventDate);
  }

  public static String key(String deviceType, String day) {
    return EventWindows.dailyKey(deviceType, java.time.LocalDate.parse(day));
  }

  public GenericRecord toAvro() {
    GenericRecord r = new GenericData.Record(Tables.dailyDeviceAgg());
    r.put("window_key", windowKey());
    r.put("device_type", deviceType);
    r.put("event_count", eventCount);
    r.put("unique_employees", uniqueEmployees);
    r.put("counts_by_activity_type_json", new String(Json.write(countsByActivityType), StandardCharsets.UTF_8));
    r.put("computed_at_ms", computedAtMs);
    r.put(HudiTableSpec.DELETED_FIELD, false);
    r.put("event_date", eventDate);
    return r;
  }

  /** @throws IllegalStateException when the counts column is not a JSON object of numbers */
  public static DailyDeviceAggRow fromAvro(GenericRecord r) {
    String json = r.get("counts_by_activity_type_json").toString();
    Map<String, Long> counts;
    try {
      counts = Json.mapper().readValue(json, COUNTS);
    } catch (IOException e) {
      throw new IllegalStateException("daily_device_agg row " + r.get("window_key")
          + " has unreadable counts_by_activity_type_json: " + e.getMessage(), e);
    }
    return new DailyDeviceAggRow(r.get("device_type").toString(), r.get("event_date").toString(),
        (Long) r.get("event_count"), (Long) r.get("unique_employees"), counts, (Long) r.get("computed_at_ms"));
  }
}
