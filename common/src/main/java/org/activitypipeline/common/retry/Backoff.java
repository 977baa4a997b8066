package org.activitypipeline.common.retry;

import java.time.Duration;

/**
 * Exponential backoff between engine restarts: initial, 2x, 4x ... capped at max, and back to initial
 * after an attempt that stayed up for at least {@code max} (a recovered failure must not make the next,
 * unrelated one wait long). Pure; not thread-safe (the supervisor thread owns it).
 */
public final class Backoff {
  private final Duration initial;
  private final Duration max;
  private int failures;

  public Backoff(Duration initial, Duration max) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < initial <= max, was " + initial + " and " + max);
    }
    this.initial = initial;
    this.max = max;
  }

  /** Records a failed attempt that ran for {@code uptime}; returns how long to wait before the next one. */
  public Duration afterFailure(Duration uptime) {
    if (uptime.compareTo(max) >= 0) {
      failures = 0;
    }
    failures++;
    Duration d = initial;
    for (int i = 1; i < failures && d.compareTo(max) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(max) > 0 ? max : d;
  }

  public int consecutiveFailures() {
    return failures;
  }
}
