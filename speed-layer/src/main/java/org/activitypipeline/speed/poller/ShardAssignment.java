package org.activitypipeline.speed.poller;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.activitypipeline.common.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which Cassandra shards this poller instance owns: a Kafka consumer group over the shards topic, one
 * partition per shard, holding no records. Instances of one group split the shards between them;
 * when one stops or goes silent for the session timeout, the group gives its shards to the others.
 *
 * <p>Ownership is enforced where it matters, at the commit: every poll transaction carries
 * {@link #offsets()} with {@link #groupMetadata()} ({@code sendOffsetsToTransaction}), and the group
 * coordinator refuses it from an instance whose generation is over, so a stalled instance that lost its
 * shards cannot commit rows for them. A new owner first waits for {@link #awaitStable} (pending
 * transactional commits on its partitions resolved), then reads the shards' state: the transaction of
 * the previous owner is either in it or aborted.
 *
 * <p>One thread: the poll loop. {@link #poll()} must be called at least every {@code max.poll.interval.ms}.
 */
final class ShardAssignment implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ShardAssignment.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String topic;
  private final TreeSet<Integer> owned = new TreeSet<>();
  private boolean changed;

  ShardAssignment(Map<String, Object> kafka, String groupId, String topic, int shards, Duration sessionTimeout,
                  String clientId) {
    this.topic = topic;
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    // read_committed makes committed() wait for pending transactional offset commits (KIP-447)
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis());
    props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(500, sessionTimeout.toMillis() / 3));
    this.consumer = new KafkaConsumer<>(KafkaClients.properties(kafka, Map.of(), props), new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
    List<PartitionInfo> infos = consumer.partitionsFor(topic, TIMEOUT);
    if (infos == null || infos.size() != shards) {
      consumer.close(Duration.ZERO);
      throw new IllegalStateException("the shards topic " + topic + " has " + (infos == null ? 0 : infos.size())
          + " partitions; it needs one per shard, poll.shards=" + shards + " (create it with that many)");
    }
    consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
      @Override
      public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> owned.remove(tp.partition()));
        changed = true;
      }

      @Override
      public void onPartitionsLost(Collection<TopicPartition> partitions) {
        onPartitionsRevoked(partitions);
      }

      @Override
      public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> owned.add(tp.partition()));
        changed = true;
      }
    });
  }

  /**
   * Takes part in the group (heartbeats, rebalances); the rebalance callbacks run in here.
   *
   * @return true when the owned shards changed since the last call
   */
  boolean poll() {
    consumer.poll(Duration.ZERO); // the topic holds no records
    boolean c = changed;
    changed = false;
    if (c) {
      LOG.info("event=shards_assigned shards={} generation={}", owned, consumer.groupMetadata().generationId());
    }
    return c;
  }

  /** The shards owned now, ascending. */
  Set<Integer> owned() {
    return java.util.Collections.unmodifiableSet(new TreeSet<>(owned));
  }

  /** Blocks until no transaction of an earlier owner is pending on the owned shards' partitions. */
  void awaitStable() {
    consumer.committed(partitions(), TIMEOUT);
  }

  /** What each poll transaction commits for the owned shards: the group checks that they are still ours. */
  Map<TopicPartition, OffsetAndMetadata> offsets() {
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    for (TopicPartition tp : partitions()) {
      out.put(tp, new OffsetAndMetadata(0));
    }
    return out;
  }

  ConsumerGroupMetadata groupMetadata() {
    return consumer.groupMetadata();
  }

  private Set<TopicPartition> partitions() {
    Set<TopicPartition> out = new java.util.HashSet<>();
    owned.forEach(s -> out.add(new TopicPartition(topic, s)));
    return out;
  }

  /** Leaves the group at once, so the others take the shards without waiting for the session timeout. */
  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
