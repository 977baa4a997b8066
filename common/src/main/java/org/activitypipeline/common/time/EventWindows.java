package org.activitypipeline.common.time;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Event-time window assignment shared by the speed layer, the batch views and serving, so that all
 * three agree on which window an event belongs to. Windows are tumbling and aligned to UTC.
 */
public final class EventWindows {
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
}
