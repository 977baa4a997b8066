package org.activitypipeline.common.time;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The window contract's boundaries and keys, shared by the speed layer, the batch views, serving and
 * the test references, so that all of them agree on which window an event belongs to and what the
 * window is called. Windows are tumbling and aligned to UTC: hourly {@code [h, h+1)} and daily (the
 * UTC date) of the event time. An event at exactly the boundary belongs to the window it starts.
 */
public final class EventWindows {
  public static final long HOUR_MILLIS = 3_600_000L;
  public static final long DAY_MILLIS = 86_400_000L;

  private EventWindows() {
  }

  /** Start of the UTC hour containing {@code eventTime} (an event at exactly :00 starts a new hour). */
  public static Instant hourStart(Instant eventTime) {
    return eventTime.truncatedTo(ChronoUnit.HOURS);
  }

  /** The UTC calendar day of {@code eventTime}. */
  public static LocalDate utcDay(Instant eventTime) {
    return LocalDate.ofInstant(eventTime, ZoneOffset.UTC);
  }

  /** First instant after the UTC day {@code day}. */
  public static Instant dayEnd(LocalDate day) {
    return day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** Start, in epoch millis, of the hourly window of an event at {@code eventMillis}. */
  public static long hourStartMillis(long eventMillis) {
    return Math.floorDiv(eventMillis, HOUR_MILLIS) * HOUR_MILLIS;
  }

  /** First millisecond after the hourly window of an event at {@code eventMillis}. */
  public static long hourEndMillis(long eventMillis) {
    return hourStartMillis(eventMillis) + HOUR_MILLIS;
  }

  /** Start, in epoch millis, of the daily (UTC) window of an event at {@code eventMillis}. */
  public static long dayStartMillis(long eventMillis) {
    return Math.floorDiv(eventMillis, DAY_MILLIS) * DAY_MILLIS;
  }

  /** First millisecond after the daily (UTC) window of an event at {@code eventMillis}. */
  public static long dayEndMillis(long eventMillis) {
    return dayStartMillis(eventMillis) + DAY_MILLIS;
  }

  /**
   * The name of an hourly window everywhere it is stored or served: {@code department|activity_type|start}
   * with the start in ISO-8601 (the compaction key of {@code hourly-activity-aggregations}, the
   * {@code window_key} of {@code hourly_activity_agg}).
   */
  public static String hourlyKey(String department, String activityType, long windowStartMillis) {
    return department + "|" + activityType + "|" + Instant.ofEpochMilli(windowStartMillis);
  }

  /** The name of a daily window: {@code device_type|yyyy-MM-dd}. */
  public static String dailyKey(String deviceType, LocalDate day) {
    return deviceType + "|" + day;
  }
}
