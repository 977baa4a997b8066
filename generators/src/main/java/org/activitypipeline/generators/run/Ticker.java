package org.activitypipeline.generators.run;

import java.util.concurrent.TimeUnit;

/**
 * A monotonic nanosecond clock that can also wait. Injected into {@link RatePacer} so unit tests move
 * time instead of sleeping.
 */
public interface Ticker {
  /** The system ticker: {@link System#nanoTime()} and {@link TimeUnit#sleep}. */
  Ticker SYSTEM = new Ticker() {
    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public void sleepNanos(long nanos) throws InterruptedException {
      TimeUnit.NANOSECONDS.sleep(nanos);
    }
  };

  /** Monotonic time in nanoseconds; only differences are meaningful. */
  long nanoTime();

  /** Waits about {@code nanos} (at least; a real clock may oversleep). */
  void sleepNanos(long nanos) throws InterruptedException;
}
