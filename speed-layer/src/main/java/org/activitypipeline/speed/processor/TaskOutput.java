package org.activitypipeline.speed.processor;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * Where tasks send records: into their thread's open Kafka transaction (begun on the first send).
 * Sends are asynchronous; a failed send fails the commit, which aborts everything of the transaction.
 */
public interface TaskOutput {
  /** @param partition an explicit partition, or null for the producer's key hash */
  void send(String topic, Integer partition, byte[] key, byte[] value, Headers headers);

  default void send(String topic, byte[] key, byte[] value) {
    send(topic, null, key, value, null);
  }

  /**
   * Sends the record's original bytes to the dead-letter topic with headers naming the stage, the
   * reason and the source position, and counts it. Processing goes on with the next record.
   */
  void deadLetter(ConsumerRecord<byte[], byte[]> record, String stage, String reason);

  /**
   * Leaves {@code record} unprocessed for now: its partition stops here (nothing after it in this
   * batch is processed, its offset is not committed) and is delivered again from this record after
   * {@code delay}. For input that depends on something another task has not committed yet; the
   * caller bounds how long it keeps asking.
   */
  void retryLater(ConsumerRecord<byte[], byte[]> record, java.time.Duration delay);

  /** Counts records per stage and outcome (metric {@code processor.records}). */
  void count(String stage, String outcome, long n);
}
