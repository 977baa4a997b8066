package org.activitypipeline.generators;

import java.util.Locale;

/** The text of the once-a-second progress line and the final summary. Pure. */
final class ProgressLine {
  private ProgressLine() {
  }

  /**
   * {@code activities: 498.7 rows/s, total=12345, errors=0, in_flight=3, elapsed=25s}
   *
   * @param rowsSinceLast rows completed since the previous line, {@code nanosSinceLast} ago
   * @param extra more {@code key=value} fields, or empty
   */
  static String progress(String name, long rowsSinceLast, long nanosSinceLast, long total, long errors, String extra,
                         long elapsedNanos) {
    return String.format(Locale.ROOT, "%s: %.1f rows/s, total=%d, errors=%d%s, elapsed=%ds", name,
        rate(rowsSinceLast, nanosSinceLast), total, errors, extra.isEmpty() ? "" : ", " + extra,
        elapsedNanos / 1_000_000_000L);
  }

  /** {@code employees: done, 1500 rows in 30.0 s (50.0 rows/s), errors=0, raise=600 ...} */
  static String summary(String name, long total, long errors, long elapsedNanos, String extra) {
    return String.format(Locale.ROOT, "%s: done, %d rows in %.1f s (%.1f rows/s), errors=%d%s", name, total,
        elapsedNanos / 1e9, rate(total, elapsedNanos), errors, extra.isEmpty() ? "" : ", " + extra);
  }

  static double rate(long rows, long nanos) {
    return nanos <= 0 ? 0 : rows * 1e9 / nanos;
  }
}
