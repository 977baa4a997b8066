package org.activitypipeline.speed.poller;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.activitypipeline.common.json.JsonCodec;
import org.activitypipeline.common.source.RawActivities;
import org.activitypipeline.common.time.ActivityBuckets;
import org.activitypipeline.common.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads back what the poller committed, from Kafka itself, which is the only source of truth:
 * the last watermark from the state topic, and the ids it emitted inside the late window from the
 * output topic and the dead-letter topic (so no id set has to be stored). Both reads are {@code read_committed} and stop at
 * the end offsets of the moment, which the caller makes final by calling
 * {@code initTransactions()} first (it aborts whatever this poller id left open).
 */
final class PollerStateStore {
  static final String ACTIVITY_ID_HEADER = RawActivities.ACTIVITY_ID_HEADER;
  /** Record timestamps are write times; read a little further back than strictly needed. */
  private static final long REBUILD_MARGIN_MS = 60_000;

  private final Map<String, Object> kafka;
  private final String stateTopic;
  private final String outputTopic;
  private final String deadLetterTopic;
  private final String key;
  private final JsonCodec<PollerState> codec = JsonCodec.of(PollerState.class, PollerState.SCHEMA_VERSION);

  /** @param kafka the process's connection settings ({@link KafkaClients#connection}) */
  PollerStateStore(Map<String, Object> kafka, String stateTopic, String outputTopic, String deadLetterTopic,
                   String key) {
    this.kafka = kafka;
    this.stateTopic = stateTopic;
    this.outputTopic = outputTopic;
    this.deadLetterTopic = deadLetterTopic;
    this.key = key;
  }

  /** The key of a shard's watermark record. */
  static String shardKey(int shard) {
    return "shard-" + shard;
  }

  /**
   * The committed watermark of each of {@code shards} that has one. A shard without a record of its
   * own takes the watermark this instance committed before watermarks were kept per shard (keyed by its
   * transactional id), if any: an upgrade resumes where the single poller stood.
   */
  Map<Integer, Long> committedWatermarks(java.util.Set<Integer> shards) {
    Map<String, Long> byKey = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      List<TopicPartition> partitions = partitions(consumer, stateTopic);
      for (ConsumerRecord<byte[], byte[]> r : readToEnd(consumer, partitions, Map.of())) {
        if (r.key() == null) {
          continue;
        }
        String k = new String(r.key(), StandardCharsets.UTF_8);
        if (r.value() == null) {
          byKey.remove(k);
        } else {
          byKey.put(k, codec.decode(r.value()).watermarkMs());
        }
      }
    }
    Map<Integer, Long> out = new HashMap<>();
    Long legacy = byKey.get(key);
    for (int shard : shards) {
      Long w = byKey.getOrDefault(shardKey(shard), legacy);
      if (w != null) {
        out.put(shard, w);
      }
    }
    return out;
  }

  /**
   * The ids emitted with a write time at or after {@code sinceMs} whose shard {@code shardOwned} accepts,
   * by whichever instance owned the shard then: rows sent to the output topic and invalid rows sent to
   * the dead-letter topic (stage {@code poller}).
   */
  RecentIds emittedSince(long sinceMs, java.util.function.IntPredicate shardOwned, int shards) {
    RecentIds ids = new RecentIds();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      List<TopicPartition> partitions = new java.util.ArrayList<>(partitions(consumer, outputTopic));
      partitions.addAll(partitions(consumer, deadLetterTopic));
      Map<TopicPartition, Long> query = new HashMap<>();
      partitions.forEach(tp -> query.put(tp, sinceMs - REBUILD_MARGIN_MS));
      Map<TopicPartition, Long> start = new HashMap<>();
      Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, Duration.ofSeconds(30));
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      partitions.forEach(tp -> start.put(tp, found.get(tp) == null ? end.get(tp) : found.get(tp).offset()));
      for (ConsumerRecord<byte[], byte[]> r : readToEnd(consumer, partitions, start)) {
        Header header = r.headers().lastHeader(ACTIVITY_ID_HEADER);
        if (header != null && (r.topic().equals(outputTopic) || isPollerDeadLetter(r))) {
          UUID id = UUID.fromString(new String(header.value(), StandardCharsets.UTF_8));
          if (ActivityBuckets.writeTimeMillis(id) >= sinceMs && shardOwned.test(ActivityBuckets.shardOf(id, shards))) {
            ids.add(id);
          }
        }
      }
    }
    return ids;
  }

  private static boolean isPollerDeadLetter(ConsumerRecord<byte[], byte[]> r) {
    return RawActivities.isRowDeadLetter(r.headers());
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    return new KafkaConsumer<>(KafkaClients.properties(kafka, Map.of(), Map.of(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
        ConsumerConfig.CLIENT_ID_CONFIG, "poller-state-" + key)), new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
    var infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
    if (infos == null || infos.isEmpty()) {
      throw new IllegalStateException("topic " + topic + " does not exist");
    }
    return infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
  }

  /** Everything from {@code start} (beginning where absent) up to the end offsets of now. */
  private static List<ConsumerRecord<byte[], byte[]>> readToEnd(KafkaConsumer<byte[], byte[]> consumer,
      List<TopicPartition> partitions, Map<TopicPartition, Long> start) {
    consumer.assign(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
    for (TopicPartition tp : partitions) {
      if (start.containsKey(tp)) {
        consumer.seek(tp, start.get(tp));
      } else {
        consumer.seekToBeginning(List.of(tp));
      }
    }
    List<ConsumerRecord<byte[], byte[]>> out = new java.util.ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("could not read " + partitions + " to its end offsets within 2 minutes");
      }
      consumer.poll(Duration.ofMillis(200)).forEach(out::add);
    }
    return out;
  }
}
