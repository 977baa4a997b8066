package org.activitypipeline.serving.lambda;

import java.time.Instant;

/**
 * Hourly windows whose start lies in {@code [from, to)}, optionally of one department and/or one
 * activity type ({@code null} = all). Hashable: it is a result-cache key.
 */
public record HourlyQuery(Instant from, Instant to, String department, String activityType) {

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
