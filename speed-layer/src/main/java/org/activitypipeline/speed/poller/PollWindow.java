package org.activitypipeline.speed.poller;

import java.time.Duration;

/**
 * Which write-time intervals one poll reads, from the committed watermark (every row written at or
 * before it has been emitted, except rows that become visible late) and the clock. Pure.
 *
 * <p>Every slice of write time is read twice: once fresh, {@code (watermark, to]} with
 * {@code to = min(now - lag, watermark + maxSpan)}, and once more {@code lateWindow} later, as
 * {@code (watermark - lateWindow, to - lateWindow]}. The second look finds rows that became visible
 * after the first one (a writer whose clock is behind, a write still in flight); the recent-id set
 * filters the rows already emitted. Reads are thus exactly 2x the write rate, spread evenly over
 * polls, and a row is emitted exactly once if it becomes visible within {@code lag + lateWindow}
 * of its write time.
 */
record PollWindow(long fromMs, long toMs, long recheckFromMs, long recheckToMs) {

  static PollWindow next(long watermarkMs, long nowMs, Duration lag, Duration lateWindow, Duration maxSpan) {
    long to = Math.max(watermarkMs, Math.min(nowMs - lag.toMillis(), watermarkMs + maxSpan.toMillis()));
    long late = lateWindow.toMillis();
    return new PollWindow(watermarkMs + 1, to, late == 0 ? 1 : watermarkMs - late + 1, late == 0 ? 0 : to - late);
  }

  /** At most this many times poll.max.span after empty polls: bounds the first non-empty transaction. */
  static final int MAX_WIDENING = 8;

  /** The span after an empty poll that was behind: doubled, at most {@link #MAX_WIDENING} x {@code maxSpan}. */
  static Duration widened(Duration span, Duration maxSpan) {
    Duration doubled = span.multipliedBy(2);
    Duration cap = maxSpan.multipliedBy(MAX_WIDENING);
    return doubled.compareTo(cap) > 0 ? cap : doubled;
  }

  /** The watermark after this poll commits: never moves backwards. */
  long newWatermark() {
    return toMs;
  }

  boolean hasRecheck() {
    return recheckFromMs <= recheckToMs;
  }
}
