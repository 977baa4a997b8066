package org.activitypipeline.serving.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HourlyQueryTest {
  static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

  static HourlyWindow at(Instant start) {
    return new HourlyWindow("eng", "login", start, start.plusSeconds(3600), 1, 1, 1, 1.0, start, start, true,
        Source.BATCH);
  }

  @Test
  void nearlyEqualRangesSnapToOneKey() {
    HourlyQuery a = new HourlyQuery(T.plusMillis(1), T.plusSeconds(7200).plusMillis(1), "eng", null).snappedToHours();
    HourlyQuery b = new HourlyQuery(T.plusMillis(2), T.plusSeconds(7200).plusMillis(2), "eng", null).snappedToHours();
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertEquals(new HourlyQuery(T.plusSeconds(3600), T.plusSeconds(3 * 3600), "eng", null), a);
    HourlyQuery whole = new HourlyQuery(T, T.plusSeconds(3600), null, null);
    assertSame(whole, whole.snappedToHours(), "whole hours stay as they are");
  }

  /** The same windows match before and after snapping, for any range and any window hour around it. */
  @Test
  void snappingNeverChangesWhichWindowsMatch() {
    Random random = new Random(42);
    for (int i = 0; i < 20_000; i++) {
      Instant from = T.plusMillis(random.nextInt(6 * 3_600_000));
      Instant to = from.plusMillis(1 + random.nextInt(6 * 3_600_000));
      HourlyQuery q = new HourlyQuery(from, to, null, null);
      HourlyQuery s = q.snappedToHours();
      for (int h = -1; h <= 14; h++) {
        HourlyWindow w = at(T.plusSeconds(h * 3600L));
        assertEquals(q.matches(w), s.matches(w), q + " vs " + s + " for " + w.windowStart());
      }
    }
  }
}
