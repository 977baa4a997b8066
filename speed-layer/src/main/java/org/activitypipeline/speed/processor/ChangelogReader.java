package org.activitypipeline.speed.processor;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a changelog partition from its beginning up to its last stable offset, {@code read_committed}:
 * exactly the state the last committed transaction left, never the writes of an aborted or still open
 * one. Owned by one stream thread; not thread-safe.
 */
public final class ChangelogReader implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Duration timeout;

  ChangelogReader(String bootstrapServers, String clientId, Duration timeout, Map<String, String> overrides) {
    Properties p = new Properties();
    p.putAll(overrides);
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    // Restores read to a known end: waiting on the broker for more data only slows every rebalance.
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
    this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.timeout = timeout;
  }

  /**
   * Hands every record of {@code tp} up to its current end to {@code sink} (key, value; value null
   * for a tombstone), in offset order. @return how many records were read
   *
   * @throws KafkaException when the end is not reached within the restore timeout
   */
  public long readAll(TopicPartition tp, BiConsumer<byte[], byte[]> sink) {
    long deadline = System.nanoTime() + timeout.toNanos();
    consumer.assign(List.of(tp));
    try {
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp), timeout).get(tp);
      long read = 0;
      while (consumer.position(tp, timeout) < end) {
        if (System.nanoTime() > deadline) {
          throw new KafkaException("restoring " + tp + " did not reach offset " + end + " within " + timeout);
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          sink.accept(r.key(), r.value());
          read++;
        }
      }
      return read;
    } finally {
      consumer.assign(List.of());
    }
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
