package org.activitypipeline.serving.lambda;

import java.time.LocalDate;

/** Daily device windows of the days {@code from} to {@code to} (both included), optionally one device type. */
public record DailyQuery(LocalDate from, LocalDate to, String deviceType) {

  /** The same days, every device type (what the merge compares layers on). */
  public DailyQuery wholeRange() {
    return deviceType == null ? this : new DailyQuery(from, to, null);
  }

  public boolean matches(DailyWindow w) {
    return !w.day().isBefore(from) && !w.day().isAfter(to) && (deviceType == null || deviceType.equals(w.deviceType()));
  }
}
