package org.activitypipeline.serving.lambda;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Hourly windows whose start lies in {@code [from, to)}, optionally of one department and/or one
 * activity type ({@code null} = all). Hashable: it is a result-cache key.
 */
public record HourlyQuery(Instant from, Instant to, String department, String activityType) {

  /**
   * The same windows with {@code from} and {@code to} rounded up to whole hours. Windows start on whole
   * hours, so a start lies in {@code [from, to)} exactly when it lies in {@code [ceil(from), ceil(to))}:
   * the answer is the same, and near-identical requests ({@code 10:00:00.001}, {@code 10:00:00.002}) share
   * one result-cache entry instead of filling the cache with copies.
   */
  public HourlyQuery snappedToHours() {
    Instant f = ceilHour(from);
    Instant t = ceilHour(to);
    return f.equals(from) && t.equals(to) ? this : new HourlyQuery(f, t, department, activityType);
  }

  static Instant ceilHour(Instant t) {
    Instant floor = t.truncatedTo(ChronoUnit.HOURS);
    return floor.equals(t) ? t : floor.plus(1, ChronoUnit.HOURS);
  }

  /** The same time range, every department and activity type (what the merge compares layers on). */
  public HourlyQuery wholeRange() {
    return department == null && activityType == null ? this : new HourlyQuery(from, to, null, null);
  }

  public boolean matches(HourlyWindow w) {
    return !w.windowStart().isBefore(from) && w.windowStart().isBefore(to)
        && (department == null || department.equals(w.department()))
        && (activityType == null || activityType.equals(w.activityType()));
  }
}
