package org.activitypipeline.generators.run;

import java.util.function.BooleanSupplier;

/**
 * Paces a loop at a target rate without drift: permit {@code n} is due at {@code start + n / rate},
 * a fixed schedule, so time spent doing the work (or oversleeping) is not added to the interval as
 * it would be with "sleep 1/rate after each step".
 *
 * <p>When the caller falls behind (a GC pause, a slow commit), due permits are granted immediately
 * so the average rate catches up, but at most {@link #MAX_CATCH_UP_NANOS} worth: after a long stall
 * the schedule is moved forward instead of bursting minutes of backlog into the database.
 *
 * <p>A rate {@code <= 0} means unlimited: {@link #acquire} never waits. Not thread-safe; one loop
 * owns a pacer.
 */
public final class RatePacer {
  /** The largest backlog (in time) that is caught up by bursting; older backlog is forgiven. */
  public static final long MAX_CATCH_UP_NANOS = 1_000_000_000L;
  /** Longest single wait, so a stop request is noticed quickly even at very low rates. */
  static final long MAX_SLEEP_SLICE_NANOS = 50_000_000L;

  private final double intervalNanos;
  private final Ticker ticker;
  private long start;
  private long issued;
  private boolean started;

  /** @param perSecond target permits per second; {@code <= 0} (or NaN) for unlimited */
  public RatePacer(double perSecond, Ticker ticker) {
    if (Double.isInfinite(perSecond)) {
      throw new IllegalArgumentException("rate must be finite, was " + perSecond);
    }
    this.intervalNanos = perSecond > 0 ? 1e9 / perSecond : 0;
    this.ticker = ticker;
  }

  /** Whether this pacer never waits. */
  public boolean unlimited() {
    return intervalNanos == 0;
  }

  /**
   * Waits until the next permit is due. Blocks at most {@code 1 / rate} plus scheduling jitter,
   * checking {@code stopRequested} at least every 50 ms.
   *
   * @return true when the permit was granted, false when {@code stopRequested} became true first
   * @throws InterruptedException if the thread is interrupted while waiting (interrupt flag cleared,
   *     as usual for {@code InterruptedException}; callers restore it)
   */
  public boolean acquire(BooleanSupplier stopRequested) throws InterruptedException {
    if (stopRequested.getAsBoolean()) {
      return false;
    }
    if (unlimited()) {
      issued++;
      return true;
    }
    long now = ticker.nanoTime();
    if (!started) {
      start = now;
      started = true;
    }
    long due = dueNanos(issued);
    if (now - due > MAX_CATCH_UP_NANOS) {
      // Forgive the backlog beyond the catch-up limit: shift the whole schedule forward.
      start += (now - due) - MAX_CATCH_UP_NANOS;
      due = dueNanos(issued);
    }
    while (due - now > 0) {
      if (stopRequested.getAsBoolean()) {
        return false;
      }
      ticker.sleepNanos(Math.min(due - now, MAX_SLEEP_SLICE_NANOS));
      now = ticker.nanoTime();
    }
    issued++;
    return true;
  }

  /** Permits granted so far. */
  public long issued() {
    return issued;
  }

  private long dueNanos(long n) {
    // Computed from the start, never accumulated: no rounding drift over millions of permits.
    return start + (long) (n * intervalNanos);
  }
}
