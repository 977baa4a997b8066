package org.activitypipeline.common.config;

import java.time.Duration;

/** Validation rules several processes' configs share (use with {@link ConfigKey#validate}). */
public final class Rules {

  private Rules() {}

  /** Strictly positive: intervals and timeouts, where zero would mean "spin" or "never wait". */
  public static boolean positive(Duration d) {
    return !d.isNegative() && !d.isZero();
  }
}
