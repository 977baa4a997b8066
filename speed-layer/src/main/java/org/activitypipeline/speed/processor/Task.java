package org.activitypipeline.speed.processor;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The processing of one input partition, owned by exactly one stream thread at a time.
 *
 * <p><b>Lifecycle.</b> Created when the partition is assigned, after its state was restored from its
 * changelog; then {@link #process} for each record in offset order, {@link #punctuate} on every loop
 * turn and {@link #flush} right before each transaction commit. Whatever a task sends goes into the
 * thread's open transaction, together with the input offsets, so output, state and position commit or
 * abort as one. After an abort the thread discards the task and builds a new one from the changelog:
 * in-memory state is never trusted past a failed transaction.
 *
 * <p>Not thread-safe: only its owning thread calls it.
 */
public interface Task {
  /**
   * Handles one input record. Bad input goes to {@link TaskOutput#deadLetter}; only Kafka failures
   * (which abort the transaction) may propagate.
   */
  void process(ConsumerRecord<byte[], byte[]> record, TaskOutput out);

  /** Time-driven work (for example releasing activities that waited long enough for their employee). */
  default void punctuate(TaskOutput out, long nowMillis) {
  }

  /** Sends what was buffered since the last commit (partial aggregates, upserts, changelog entries). */
  default void flush(TaskOutput out, long nowMillis) {
  }

  /** Entries held in memory, for the state-size metric. */
  default long stateSize() {
    return 0;
  }
}
