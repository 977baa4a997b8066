package org.activitypipeline.generators.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventClockTest {
  private static final Instant START = Instant.parse("2025-06-02T10:00:00Z");

  @Test
  void scaleOneIsTheRealClock() {
    EventClock clock = new EventClock(START, 1);
    for (Instant real : new Instant[] {START, START.plusMillis(1), START.plus(Duration.ofDays(3)).plusMillis(7),
        START.minusSeconds(5)}) {
      assertEquals(real, clock.at(real));
    }
  }

  @Test
  void scaleSixtyMakesARealMinuteAnEventHour() {
    EventClock clock = new EventClock(START, 60);
    assertEquals(START, clock.at(START), "event time starts at the real start");
    assertEquals(Instant.parse("2025-06-02T10:30:00Z"), clock.at(START.plusSeconds(30)));
    assertEquals(Instant.parse("2025-06-02T11:00:00Z"), clock.at(START.plusSeconds(60)));
    assertEquals(Instant.parse("2025-06-03T10:00:00Z"), clock.at(START.plus(Duration.ofMinutes(24))));
    assertEquals(START.plusMillis(60 * 1_234), clock.at(START.plusMillis(1_234)), "millisecond precision");
    assertEquals(START.minus(Duration.ofMinutes(60)), clock.at(START.minusSeconds(60)), "the same rule before start");
  }

  @Test
  void fractionalScalesSlowEventTimeDown() {
    EventClock clock = new EventClock(START, 0.5);
    assertEquals(START.plusSeconds(30), clock.at(START.plusSeconds(60)));
    assertEquals(START.plusMillis(2), clock.at(START.plusMillis(3)), "rounded to the millisecond");
  }

  @Test
  void scaleMustBePositiveAndBounded() {
    for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY, EventClock.MAX_SCALE * 2}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new EventClock(START, bad));
      assertEquals("time scale must be > 0 and at most 1000000, was " + bad, e.getMessage());
    }
    // the largest scale over a century of real time stays representable
    EventClock fastest = new EventClock(START, EventClock.MAX_SCALE);
    fastest.at(START.plus(Duration.ofDays(36_500))).toEpochMilli();
  }
}
