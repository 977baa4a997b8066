package org.activitypipeline.e2e;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.UnaryOperator;

/**
 * Event time that the test moves one hour at a time: within the current hour it runs {@code scale}
 * times faster than real time from the moment the hour began, and stops one second before the hour
 * ends, so no event of the next hour exists until {@link #nextHour()} is called. The test can then
 * wait for the pipeline (the batch horizon reaching the hour) without the data outrunning it.
 *
 * <p>Called by the generator's thread, moved by the test's: the phase is one immutable value.
 */
final class SteppedEventClock implements UnaryOperator<Instant> {
  private static final Duration LAST_INSTANT = Duration.ofHours(1).minusSeconds(1);

  private record Phase(Instant hour, long realStartNanos) {}

  private final double scale;
  private volatile Phase phase;

  SteppedEventClock(Instant firstHour, double scale) {
    this.scale = scale;
    this.phase = new Phase(firstHour.truncatedTo(ChronoUnit.HOURS), System.nanoTime());
  }

  /** The hour event time is in now. */
  Instant hour() {
    return phase.hour();
  }

  /** Moves event time to the start of the next hour. */
  void nextHour() {
    phase = new Phase(phase.hour().plus(1, ChronoUnit.HOURS), System.nanoTime());
  }

  /** The event clock's reading (the write time does not matter: event time is the test's). */
  @Override
  public Instant apply(Instant writeTime) {
    Phase p = phase;
    long scaledNanos = (long) ((System.nanoTime() - p.realStartNanos()) * scale);
    Duration into = Duration.ofNanos(scaledNanos);
    return p.hour().plus(into.compareTo(LAST_INSTANT) < 0 ? into : LAST_INSTANT).truncatedTo(ChronoUnit.MILLIS);
  }
}
