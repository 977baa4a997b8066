package org.activitypipeline.speed.processor;

/**
 * The bounded wait of a task that leaves a record for a retry ({@link TaskOutput#retryLater}) until
 * something another task or process commits arrives: the clock starts when a record is first held
 * and runs across its retries; a different record starts it over. Time is passed in. Not
 * thread-safe: one per task.
 */
public final class HeadOfLineWait {
  private final long limitMillis;
  private long offset = -1;
  private long sinceMillis;

  /** @param limitMillis how long one record may be held */
  public HeadOfLineWait(long limitMillis) {
    this.limitMillis = limitMillis;
  }

  /** True while the record at {@code recordOffset} has been held for less than the limit. */
  public boolean mayHold(long recordOffset, long nowMillis) {
    if (offset != recordOffset) {
      offset = recordOffset;
      sinceMillis = nowMillis;
    }
    return nowMillis - sinceMillis < limitMillis;
  }

  /** How long the current record has been held. */
  public long heldMillis(long nowMillis) {
    return offset < 0 ? 0 : nowMillis - sinceMillis;
  }

  /** The held record went on: the next hold starts a new clock. */
  public void release() {
    offset = -1;
  }
}
