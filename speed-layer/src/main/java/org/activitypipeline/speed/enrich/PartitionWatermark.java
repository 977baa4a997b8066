package org.activitypipeline.speed.enrich;

/**
 * Event-time progress of one raw-activities partition: the highest event time seen minus the allowed
 * out-of-orderness. Data-driven only (never the wall clock), so replaying a backlog classifies the
 * same events as late as processing them live did. Monotonic. Not thread-safe.
 */
final class PartitionWatermark {
  private final long maxOutOfOrdernessMillis;
  private long maxEventMillis = Long.MIN_VALUE;

  PartitionWatermark(long maxOutOfOrdernessMillis) {
    this.maxOutOfOrdernessMillis = maxOutOfOrdernessMillis;
  }

  /** @return true if the watermark moved */
  boolean observe(long eventMillis) {
    if (eventMillis > maxEventMillis) {
      maxEventMillis = eventMillis;
      return true;
    }
    return false;
  }

  long current() {
    return maxEventMillis == Long.MIN_VALUE ? Long.MIN_VALUE : maxEventMillis - maxOutOfOrdernessMillis;
  }

  long maxEventMillis() {
    return maxEventMillis;
  }
}
