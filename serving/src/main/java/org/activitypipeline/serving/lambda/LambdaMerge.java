package org.activitypipeline.serving.lambda;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The lambda architecture's merge rule, free of I/O: a window that ends at or before the batch
 * horizon is answered by the batch view (complete, late events included); every later window by
 * the speed layer. Each window comes from exactly one source, so no count is ever added up across
 * layers (unique employees could not be).
 *
 * <p>Without a horizon (the batch views were never computed) everything comes from the speed layer.
 */
public final class LambdaMerge {
  private static final Comparator<HourlyWindow> HOURLY_ORDER = Comparator.comparing(HourlyWindow::windowStart)
      .thenComparing(HourlyWindow::department).thenComparing(HourlyWindow::activityType);
  private static final Comparator<DailyWindow> DAILY_ORDER = Comparator.comparing(DailyWindow::day)
      .thenComparing(DailyWindow::deviceType);

  private LambdaMerge() {}

  /** True when a window ending at {@code windowEnd} is served from the batch view. */
  public static boolean servedByBatch(Instant windowEnd, Instant horizon) {
    return horizon != null && !windowEnd.isAfter(horizon);
  }

  /**
   * The answer to {@code query}: the batch windows before the horizon, the speed windows after it,
   * sorted by window start, department, activity type. Either input may hold windows outside the
   * query or on the wrong side of the horizon; they are left out.
   */
  public static List<HourlyWindow> hourly(HourlyQuery query, Instant horizon, Collection<HourlyWindow> batch,
                                          Collection<HourlyWindow> speed) {
    List<HourlyWindow> out = new ArrayList<>();
    for (HourlyWindow w : batch) {
      if (query.matches(w) && servedByBatch(w.windowEnd(), horizon)) {
        out.add(w);
      }
    }
    for (HourlyWindow w : speed) {
      if (query.matches(w) && !servedByBatch(w.windowEnd(), horizon)) {
        out.add(w);
      }
    }
    out.sort(HOURLY_ORDER);
    return out;
  }

  /** The same rule for daily device windows (a day ends at the next midnight UTC). */
  public static List<DailyWindow> daily(DailyQuery query, Instant horizon, Collection<DailyWindow> batch,
                                        Collection<DailyWindow> speed) {
    List<DailyWindow> out = new ArrayList<>();
    for (DailyWindow w : batch) {
      if (query.matches(w) && servedByBatch(w.windowEnd(), horizon)) {
        out.add(w);
      }
    }
    for (DailyWindow w : speed) {
      if (query.matches(w) && !servedByBatch(w.windowEnd(), horizon)) {
        out.add(w);
      }
    }
    out.sort(DAILY_ORDER);
    return out;
  }
}
