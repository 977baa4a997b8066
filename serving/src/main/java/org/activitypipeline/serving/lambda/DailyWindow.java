package org.activitypipeline.serving.lambda;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import org.activitypipeline.common.event.DailyDeviceAggregate;
import org.activitypipeline.common.time.EventWindows;

/** Usage of one device type on one UTC day, as the API returns it. */
public record DailyWindow(
    String deviceType,
    LocalDate day,
    long eventCount,
    long uniqueEmployees,
    Map<String, Long> countsByActivityType,
    boolean isFinal,
    Source source) {

  public DailyWindow {
    countsByActivityType = countsByActivityType == null ? Map.of()
        : java.util.Collections.unmodifiableMap(new TreeMap<>(countsByActivityType));
  }

  /** The day's window ends at the next midnight UTC. */
  public Instant windowEnd() {
    return EventWindows.dayEnd(day);
  }

  /** This window with {@code isFinal} set as given. */
  public DailyWindow withFinal(boolean isFinal) {
    return isFinal == this.isFinal ? this
        : new DailyWindow(deviceType, day, eventCount, uniqueEmployees, countsByActivityType, isFinal, source);
  }

  public static DailyWindow fromSpeed(DailyDeviceAggregate a) {
    return new DailyWindow(a.deviceType(), a.day(), a.eventCount(), a.uniqueEmployees(), a.countsByActivityType(),
        a.isFinal(), Source.SPEED);
  }
}
