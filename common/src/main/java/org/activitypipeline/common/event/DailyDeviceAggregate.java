package org.activitypipeline.common.event;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.activitypipeline.common.time.EventWindows;

/**
 * Usage of one device type on one UTC day ({@code daily-device-aggregations}, compacted, keyed by
 * device type and day).
 */
public record DailyDeviceAggregate(
    int schemaVersion,
    String deviceType,
    LocalDate day,
    long eventCount,
    long uniqueEmployees,
    Map<String, Long> countsByActivityType,
    boolean isFinal,
    Instant updatedAt) implements Versioned {

  public static final int SCHEMA_VERSION = 1;

  public DailyDeviceAggregate {
    countsByActivityType = countsByActivityType == null ? Map.of() : Map.copyOf(countsByActivityType);
  }

  /** The compaction key: one record per device type and day. */
  public String key() {
    return EventWindows.dailyKey(deviceType, day);
  }
}
