package org.activitypipeline.generators.activities;

import java.time.Duration;
import java.time.Instant;

/**
 * The generator's event clock: it starts at the real clock's reading {@code start} and runs
 * {@code scale} times as fast, so a real instant {@code t} maps to {@code start + (t - start) * scale}.
 *
 * <p>Why: demos and tests want hourly windows to close and the batch horizon to advance within
 * minutes, which needs event time that moves faster than the wall clock. Only {@code event_time}
 * follows this clock; the write time, the time-based {@code activity_id} and the
 * {@code (ingest_hour, shard)} partition stay on the real clock, because the poller reads partitions
 * by real write time. With a scale above 1 event times run ahead of the wall clock (after {@code d}
 * of real time, by {@code d * (scale - 1)}); a new clock (a restarted generator) starts again from
 * the real time.
 *
 * <p>Pure and immutable: the caller supplies both instants. Millisecond precision, like the write
 * time it is applied to; with scale 1 it is the identity.
 */
final class EventClock {
  /**
   * A bound that keeps the millisecond arithmetic far from overflow (at this scale, about 290 real
   * years would overflow epoch milliseconds); useful scales are 1 to a few thousand.
   */
  static final double MAX_SCALE = 1_000_000;

  private final Instant start;
  private final double scale;

  /**
   * @param start the real instant at which event time and real time agree (the generator's start)
   * @param scale how many times faster event time runs; {@code > 0}, at most {@value #MAX_SCALE}
   */
  EventClock(Instant start, double scale) {
    checkScale(scale);
    this.start = start;
    this.scale = scale;
  }

  static void checkScale(double scale) {
    if (!(scale > 0 && scale <= MAX_SCALE)) {
      throw new IllegalArgumentException("time scale must be > 0 and at most " + (long) MAX_SCALE + ", was " + scale);
    }
  }

  /** The event-clock instant at real instant {@code real} (also before {@code start}, by the same rule). */
  Instant at(Instant real) {
    if (scale == 1) {
      return real;
    }
    long elapsedMillis = Duration.between(start, real).toMillis();
    return start.plusMillis(Math.round(elapsedMillis * scale));
  }

  double scale() {
    return scale;
  }
}
