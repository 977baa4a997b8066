package org.activitypipeline.generators;

import java.time.Duration;

/**
 * When a generator run stops: after {@code count} steps or after {@code duration}, whichever comes
 * first; with neither, only on a stop request (SIGTERM, Ctrl-C).
 *
 * @param count steps to run, or null for no limit
 * @param duration how long to run, or null for no limit
 */
record RunLimits(Long count, Duration duration) {
  RunLimits {
    if (count != null && count < 0) {
      throw new IllegalArgumentException("count must be >= 0, was " + count);
    }
    if (duration != null && (duration.isNegative() || duration.isZero())) {
      throw new IllegalArgumentException("duration must be positive, was " + duration);
    }
  }

  boolean countReached(long done) {
    return count != null && done >= count;
  }

  boolean timeUp(long elapsedNanos) {
    return duration != null && elapsedNanos >= duration.toNanos();
  }

  boolean reached(long done, long elapsedNanos) {
    return countReached(done) || timeUp(elapsedNanos);
  }

  /** For the start line: "until 1000 steps or 30s", "until stopped". */
  String describe(String unit) {
    if (count == null && duration == null) {
      return "until stopped (Ctrl-C or SIGTERM)";
    }
    String byCount = count == null ? "" : count + " " + unit;
    String byTime = duration == null ? "" : DurationConverter.format(duration);
    return "until " + byCount + (count != null && duration != null ? " or " : "") + byTime;
  }
}
