package org.activitypipeline.speed.poller;

import java.time.Duration;

/**
 * Decides which write-time interval one poll reads, from the committed watermark (every row written
 * at or before it has been emitted, except rows that become visible late) and the clock. Pure.
 *
 * <p>Normal poll: {@code (watermark, min(now - lag, watermark + maxSpan)]}. Late sweep (every
 * {@code lateSweepInterval}): the same but starting {@code lateWindow} before the watermark, so rows
 * that became visible after the watermark passed them (a writer whose clock is behind, a write
 * still in flight at poll time) are found; the recent-id set filters the rows already emitted.
 */
record PollWindow(long fromMs, long toMs, boolean sweep) {

  static PollWindow next(long watermarkMs, long nowMs, boolean sweepDue, Duration lag, Duration lateWindow,
      Duration maxSpan) {
    long to = Math.min(nowMs - lag.toMillis(), watermarkMs + maxSpan.toMillis());
    long from = sweepDue ? watermarkMs - lateWindow.toMillis() : watermarkMs + 1;
    return new PollWindow(from, Math.max(to, watermarkMs), sweepDue);
  }

  /** The watermark after this poll commits: never moves backwards. */
  long newWatermark(long watermarkMs) {
    return Math.max(watermarkMs, toMs);
  }
}
