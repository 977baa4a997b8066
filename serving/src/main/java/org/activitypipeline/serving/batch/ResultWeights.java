package org.activitypipeline.serving.batch;

import java.util.List;
import java.util.Map;
import org.activitypipeline.serving.lambda.DailyWindow;
import org.activitypipeline.serving.lambda.HourlyWindow;

/**
 * The heap a cached query result holds, in bytes, for the result caches' {@code maximumWeight}.
 *
 * <p>An upper estimate from the objects' field layout on a 64-bit HotSpot JVM with compressed
 * references (12-byte object headers, 4-byte references, 8-byte alignment), not a serialized size:
 * the cache holds objects, not JSON. A {@link HourlyWindow} is 80 bytes (header, 5 references, 4
 * longs/doubles, a boolean), each of its four {@link java.time.Instant}s 24, each of its two strings
 * 24 plus a byte array of 16 + up to 2 bytes per character (UTF-16 counted for every string, so a
 * Latin-1 name is over-counted); a {@link DailyWindow} 48, its {@link java.time.LocalDate} 24, its
 * activity-type map 80 plus a TreeMap entry (40), a Long (16) and a string per type. A result list
 * adds 4 bytes a window plus its array; the cache entry (key record, query, snapshot reference, Caffeine
 * node) is counted as {@link #ENTRY_BYTES}.
 *
 * <p>Windows a result shares with the partition cache are counted again here, so the result caches never
 * hold more than {@code cache.max-bytes}, whatever the partition cache holds.
 */
final class ResultWeights {
  static final int ENTRY_BYTES = 256;
  private static final int HOURLY_WINDOW_BYTES = 80 + 4 * 24 + 4;
  private static final int DAILY_WINDOW_BYTES = 48 + 24 + 80 + 4;
  private static final int MAP_ENTRY_BYTES = 40 + 16;

  private ResultWeights() {}

  static int hourly(List<HourlyWindow> windows) {
    long bytes = ENTRY_BYTES + 16L;
    for (HourlyWindow w : windows) {
      bytes += HOURLY_WINDOW_BYTES + string(w.department()) + string(w.activityType());
    }
    return clamp(bytes);
  }

  static int daily(List<DailyWindow> windows) {
    long bytes = ENTRY_BYTES + 16L;
    for (DailyWindow w : windows) {
      bytes += DAILY_WINDOW_BYTES + string(w.deviceType());
      for (Map.Entry<String, Long> e : w.countsByActivityType().entrySet()) {
        bytes += MAP_ENTRY_BYTES + string(e.getKey());
      }
    }
    return clamp(bytes);
  }

  /** A String object and its value array, aligned to 8 bytes. */
  static long string(String s) {
    return s == null ? 0 : 24 + align(16 + 2L * s.length());
  }

  private static long align(long n) {
    return (n + 7) & ~7L;
  }

  private static int clamp(long bytes) {
    return (int) Math.min(Integer.MAX_VALUE, bytes);
  }
}
