package org.activitypipeline.speed.processor;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.activitypipeline.common.kafka.KafkaClients;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a changelog partition from its beginning up to its end, {@code read_committed}, once no
 * transaction is open on it: exactly the state the last committed transaction left, never the writes
 * of an aborted one, and never short of a transaction that is still to commit.
 *
 * <p>Why wait: a partition's last owner may have stalled (GC, VM pause) past the session timeout with
 * its transaction open. Reading up to the last stable offset then would stop before that
 * transaction's writes; if the stalled owner resumes and commits, its window merges are in the topic
 * but not in the restored state, and the new owner's next upsert overwrites them. Kafka Streams waits
 * the same way. The wait ends when the owner commits or aborts, or when the broker aborts the
 * transaction after its timeout. Owned by one stream thread; not thread-safe.
 */
public final class ChangelogReader implements AutoCloseable {
  private static final Duration STABLE_POLL = Duration.ofMillis(100);
  private final KafkaConsumer<byte[], byte[]> consumer;
  /** Reads only end offsets, {@code read_uncommitted}: the log end, open transactions included. */
  private final KafkaConsumer<byte[], byte[]> uncommittedEnds;
  private final Duration timeout;

  /** @param kafka the process's connection settings ({@link KafkaClients#connection}) */
  ChangelogReader(Map<String, Object> kafka, String clientId, Duration timeout, Map<String, String> overrides) {
    Properties p = KafkaClients.properties(kafka, overrides, Map.of(
        ConsumerConfig.CLIENT_ID_CONFIG, clientId,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000",
        // Restores read to a known end: waiting on the broker for more data only slows every rebalance.
        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10"));
    this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    Properties u = new Properties();
    u.putAll(p);
    u.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-ends");
    u.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    this.uncommittedEnds = new KafkaConsumer<>(u, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.timeout = timeout;
  }

  /**
   * Hands every record of {@code tp} up to its end to {@code sink} (key, value; value null for a
   * tombstone), in offset order, once no transaction is open on it. @return how many records were read
   *
   * @throws KafkaException when a transaction stays open or the end is not reached within the restore timeout
   */
  public long readAll(TopicPartition tp, BiConsumer<byte[], byte[]> sink) {
    long deadline = System.nanoTime() + timeout.toNanos();
    consumer.assign(List.of(tp));
    try {
      consumer.seekToBeginning(List.of(tp));
      long end = stableEnd(tp, deadline);
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

  /**
   * The partition's end once its last stable offset has caught up with its log end: no transaction is
   * open on it. A changelog partition has one writer at a time, so this is the previous owner's last
   * transaction resolving.
   */
  private long stableEnd(TopicPartition tp, long deadline) {
    while (true) {
      long stable = consumer.endOffsets(List.of(tp), timeout).get(tp);
      long logEnd = uncommittedEnds.endOffsets(List.of(tp), timeout).get(tp);
      if (stable >= logEnd) {
        return stable;
      }
      if (System.nanoTime() > deadline) {
        throw new KafkaException("restoring " + tp + ": a transaction stayed open on it (stable offset " + stable
            + ", log end " + logEnd + ") for longer than " + timeout);
      }
      try {
        Thread.sleep(STABLE_POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new org.apache.kafka.common.errors.InterruptException(e);
      }
    }
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
    uncommittedEnds.close(Duration.ofSeconds(5));
  }
}
