package org.activitypipeline.speed.enrich;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * Parses the one timestamp form the pipeline writes, {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z} (what
 * {@code Instant.toString()} produces), to epoch milliseconds without {@code java.time}'s general
 * formatter, which was a quarter of the processor's time per record. Any other form, and any invalid
 * date or time, is reported as {@link #NOT_CANONICAL} so that the caller falls back to the general
 * parser. Pure.
 */
final class CanonicalInstant {
  /** Returned for anything that is not a valid canonical timestamp. */
  static final long NOT_CANONICAL = Long.MIN_VALUE;

  private CanonicalInstant() {
  }

  static long parseMillis(CharSequence s) {
    char[] c = s.toString().toCharArray();
    return parseMillis(c, 0, c.length);
  }

  static long parseMillis(char[] c, int off, int len) {
    // yyyy-MM-ddTHH:mm:ssZ is 20 characters; a fraction adds a dot and 1 to 9 digits.
    if (len < 20 || len == 21 || len > 30 || c[off + len - 1] != 'Z') {
      return NOT_CANONICAL;
    }
    if (c[off + 4] != '-' || c[off + 7] != '-' || c[off + 10] != 'T' || c[off + 13] != ':' || c[off + 16] != ':') {
      return NOT_CANONICAL;
    }
    int year = digits(c, off, 4);
    int month = digits(c, off + 5, 2);
    int day = digits(c, off + 8, 2);
    int hour = digits(c, off + 11, 2);
    int minute = digits(c, off + 14, 2);
    int second = digits(c, off + 17, 2);
    if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
        || second > 59) {
      return NOT_CANONICAL;
    }
    int millis = 0;
    if (len > 20) {
      if (c[off + 19] != '.') {
        return NOT_CANONICAL;
      }
      int fractionDigits = len - 21;
      int fraction = digits(c, off + 20, fractionDigits);
      if (fraction < 0) {
        return NOT_CANONICAL;
      }
      // Truncated to milliseconds, as Instant.toEpochMilli does.
      for (int i = fractionDigits; i < 3; i++) {
        fraction *= 10;
      }
      for (int i = 3; i < fractionDigits; i++) {
        fraction /= 10;
      }
      millis = fraction;
    } else if (c[off + 19] != 'Z') {
      return NOT_CANONICAL;
    }
    long epochDay;
    try {
      epochDay = LocalDate.of(year, month, day).toEpochDay();
    } catch (DateTimeException e) {
      return NOT_CANONICAL;
    }
    return ((epochDay * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
  }

  /** The non-negative number of {@code n} ASCII digits at {@code from}, or -1. */
  private static int digits(char[] c, int from, int n) {
    int v = 0;
    for (int i = from; i < from + n; i++) {
      int d = c[i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }
}
