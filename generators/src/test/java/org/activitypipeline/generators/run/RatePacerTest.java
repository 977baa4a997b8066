package org.activitypipeline.generators.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class RatePacerTest {
  /** Time moves only when the pacer sleeps or the test says so. */
  static class FakeTicker implements Ticker {
    long now = 1_000_000_000L; // not zero: only differences may matter
    long slept;

    @Override
    public long nanoTime() {
      return now;
    }

    @Override
    public void sleepNanos(long nanos) {
      now += nanos;
      slept += nanos;
    }

    void advance(long nanos) {
      now += nanos;
    }
  }

  @Test
  void grantsPermitsOnAFixedScheduleFromTheFirst() throws InterruptedException {
    FakeTicker t = new FakeTicker();
    RatePacer pacer = new RatePacer(100, t);
    long start = t.now;
    for (int i = 0; i < 1000; i++) {
      assertTrue(pacer.acquire(() -> false));
      assertEquals(start + i * 10_000_000L, t.now, "permit " + i + " is due at start + i/rate");
    }
    assertEquals(1000, pacer.issued());
  }

  @Test
  void timeSpentWorkingIsNotAddedToTheInterval() throws InterruptedException {
    // Sleep-after-work would take 1000 x (10 ms + 3 ms) = 13 s; on the schedule the last permit is
    // due at 9.99 s, and its work ends 3 ms later.
    FakeTicker t = new FakeTicker();
    RatePacer pacer = new RatePacer(100, t);
    long start = t.now;
    for (int i = 0; i < 1000; i++) {
      pacer.acquire(() -> false);
      t.advance(3_000_000L);
    }
    assertEquals(9_993_000_000L, t.now - start);
  }

  @Test
  void oversleepingIsCaughtUpSoTheAverageRateHolds() throws InterruptedException {
    FakeTicker t = new FakeTicker() {
      @Override
      public void sleepNanos(long nanos) {
        super.sleepNanos(nanos + 4_000_000L); // a coarse timer: every sleep overshoots by 4 ms
      }
    };
    RatePacer pacer = new RatePacer(200, t);
    long start = t.now;
    for (int i = 0; i < 2000; i++) {
      pacer.acquire(() -> false);
    }
    // 2000 permits at 200/s: the last is due at 9.995 s; overshoot never accumulates
    assertTrue(t.now - start < 9_995_000_000L + 5_000_000L, "elapsed " + (t.now - start));
  }

  @Test
  void aLongStallBurstsAtMostOneSecondOfBacklog() throws InterruptedException {
    FakeTicker t = new FakeTicker();
    RatePacer pacer = new RatePacer(100, t);
    pacer.acquire(() -> false);
    t.advance(5_000_000_000L); // a 5 s pause: 500 permits overdue
    long sleptBefore = t.slept;
    int immediate = 0;
    while (true) {
      pacer.acquire(() -> false);
      if (t.slept != sleptBefore) {
        break;
      }
      immediate++;
    }
    assertEquals(101, immediate, "1 s of backlog at 100/s (plus the permit due now) goes at once, the rest is forgiven");
  }

  @Test
  void unlimitedNeverWaits() throws InterruptedException {
    FakeTicker t = new FakeTicker();
    RatePacer pacer = new RatePacer(0, t);
    assertTrue(pacer.unlimited());
    for (int i = 0; i < 10_000; i++) {
      assertTrue(pacer.acquire(() -> false));
    }
    assertEquals(0, t.slept);
  }

  @Test
  void aStopRequestEndsTheWaitWithinOneSlice() throws InterruptedException {
    FakeTicker t = new FakeTicker();
    RatePacer pacer = new RatePacer(0.1, t); // one permit per 10 s
    pacer.acquire(() -> false);
    AtomicBoolean stop = new AtomicBoolean();
    long before = t.now;
    FakeTicker stopping = t;
    boolean granted = pacer.acquire(() -> {
      if (stopping.now - before >= 200_000_000L) {
        stop.set(true);
      }
      return stop.get();
    });
    assertFalse(granted);
    assertTrue(t.now - before <= 200_000_000L + RatePacer.MAX_SLEEP_SLICE_NANOS);
  }

  @Test
  void rejectsAnInfiniteRate() {
    assertThrows(IllegalArgumentException.class, () -> new RatePacer(Double.POSITIVE_INFINITY, Ticker.SYSTEM));
  }
}
