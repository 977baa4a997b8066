package org.activitypipeline.generators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RunLimitsTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void whicheverComesFirst() {
    RunLimits limits = new RunLimits(100L, Duration.ofSeconds(10));
    assertFalse(limits.reached(99, 9 * SECOND));
    assertTrue(limits.reached(100, 1), "count first");
    assertTrue(limits.reached(5, 10 * SECOND), "time first");
    assertEquals("until 100 rows or 10s", limits.describe("rows"));
  }

  @Test
  void noLimitsRunsUntilStopped() {
    RunLimits limits = new RunLimits(null, null);
    assertFalse(limits.reached(Long.MAX_VALUE, Long.MAX_VALUE));
    assertEquals("until stopped (Ctrl-C or SIGTERM)", limits.describe("rows"));
  }

  @Test
  void zeroCountIsDoneAtOnce() {
    assertTrue(new RunLimits(0L, null).reached(0, 0));
  }

  @Test
  void rejectsNegativeValues() {
    assertThrows(IllegalArgumentException.class, () -> new RunLimits(-1L, null));
    assertThrows(IllegalArgumentException.class, () -> new RunLimits(null, Duration.ZERO));
  }
}
