package org.activitypipeline.common.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  static final Duration QUICK = Duration.ofMillis(10);

  @Test
  void doublesUpToTheCap() {
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10));
    assertEquals(Duration.ofSeconds(1), b.afterFailure(QUICK));
    assertEquals(Duration.ofSeconds(2), b.afterFailure(QUICK));
    assertEquals(Duration.ofSeconds(4), b.afterFailure(QUICK));
    assertEquals(Duration.ofSeconds(8), b.afterFailure(QUICK));
    assertEquals(Duration.ofSeconds(10), b.afterFailure(QUICK));
    for (int i = 0; i < 100; i++) {
      assertEquals(Duration.ofSeconds(10), b.afterFailure(QUICK), "never overflows");
    }
  }

  @Test
  void anAttemptThatStayedUpStartsOver() {
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10));
    b.afterFailure(QUICK);
    b.afterFailure(QUICK);
    assertEquals(Duration.ofSeconds(1), b.afterFailure(Duration.ofMinutes(5)));
    assertEquals(1, b.consecutiveFailures());
  }

  @Test
  void rejectsNonsense() {
    assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
  }
}
