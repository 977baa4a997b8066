package org.activitypipeline.serving.lambda;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * The lambda architecture's merge rule, free of I/O.
 *
 * <p>A period (an hour for the hourly windows, a UTC day for the daily ones) that ends after the batch
 * horizon is answered by the speed layer. A period at or before the horizon is answered, as a whole, by
 * the layer that counted more events in it over every department, activity type or device; a tie goes
 * to the batch views. Both layers count the same events (the batch views are computed from what the
 * speed layer's enricher published), so more events means newer: a late event the speed layer merged
 * since the last views run, or a backlog the speed layer has not reached yet, is never hidden behind the
 * other layer's older value, and the served count of a period never goes down when the horizon passes it.
 * The comparison is over the whole period, not per window, because an event counts under one
 * department only: taking each window's larger value could count one event twice.
 *
 * <p>A window is final ({@code is_final}) when no layer will change it any more: a speed window when the
 * speed layer finalized it (after its allowed lateness), a batch window when the speed layer holds no
 * open window of its period (late events could still arrive for an open one, and the speed layer would
 * then count more).
 *
 * <p>Each period comes from exactly one source, so no count is ever added up across layers (unique
 * employees could not be). Without a horizon (the batch views were never computed) everything comes
 * from the speed layer.
 *
 * <p>The inputs must hold every window of the query's time range, not only those matching its
 * department, activity type or device filter: the choice looks at whole periods.
 */
public final class LambdaMerge {
  private static final Comparator<HourlyWindow> HOURLY_ORDER = Comparator.comparing(HourlyWindow::windowStart)
      .thenComparing(HourlyWindow::department).thenComparing(HourlyWindow::activityType);
  private static final Comparator<DailyWindow> DAILY_ORDER = Comparator.comparing(DailyWindow::day)
      .thenComparing(DailyWindow::deviceType);

  private LambdaMerge() {}

  /** True when a period ending at {@code periodEnd} may be answered by the batch views. */
  public static boolean batchCovers(Instant periodEnd, Instant horizon) {
    return horizon != null && !periodEnd.isAfter(horizon);
  }

  /** The answer to {@code query}, sorted by window start, department, activity type. */
  public static List<HourlyWindow> hourly(HourlyQuery query, Instant horizon, Collection<HourlyWindow> batch,
                                          Collection<HourlyWindow> speed) {
    return merge(query::matches, horizon, batch, speed, HourlyWindow::windowStart, HourlyWindow::windowEnd,
        HourlyWindow::eventCount, HourlyWindow::isFinal, HourlyWindow::withFinal, HOURLY_ORDER);
  }

  /** The same rule for daily device windows (a day ends at the next midnight UTC). */
  public static List<DailyWindow> daily(DailyQuery query, Instant horizon, Collection<DailyWindow> batch,
                                        Collection<DailyWindow> speed) {
    return merge(query::matches, horizon, batch, speed, DailyWindow::day, DailyWindow::windowEnd,
        DailyWindow::eventCount, DailyWindow::isFinal, DailyWindow::withFinal, DAILY_ORDER);
  }

  private static <W, P> List<W> merge(Predicate<W> matches, Instant horizon, Collection<W> batch,
                                      Collection<W> speed, Function<W, P> period, Function<W, Instant> end,
                                      ToLongFunction<W> events, Predicate<W> isFinal,
                                      BiFunction<W, Boolean, W> withFinal, Comparator<W> order) {
    Map<P, Long> batchEvents = new HashMap<>();
    for (W w : batch) {
      if (batchCovers(end.apply(w), horizon)) {
        batchEvents.merge(period.apply(w), events.applyAsLong(w), Long::sum);
      }
    }
    Map<P, Long> speedEvents = new HashMap<>();
    Set<P> openInSpeed = new HashSet<>();
    for (W w : speed) {
      speedEvents.merge(period.apply(w), events.applyAsLong(w), Long::sum);
      if (!isFinal.test(w)) {
        openInSpeed.add(period.apply(w));
      }
    }
    List<W> out = new ArrayList<>();
    for (W w : batch) {
      if (matches.test(w) && batchCovers(end.apply(w), horizon)
          && batchEvents.get(period.apply(w)) >= speedEvents.getOrDefault(period.apply(w), 0L)) {
        out.add(withFinal.apply(w, !openInSpeed.contains(period.apply(w))));
      }
    }
    for (W w : speed) {
      if (matches.test(w) && (!batchCovers(end.apply(w), horizon)
          || speedEvents.get(period.apply(w)) > batchEvents.getOrDefault(period.apply(w), 0L))) {
        out.add(w);
      }
    }
    out.sort(order);
    return out;
  }
}
