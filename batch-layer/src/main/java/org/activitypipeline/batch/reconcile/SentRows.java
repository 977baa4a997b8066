package org.activitypipeline.batch.reconcile;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.activitypipeline.common.event.HourCompleteness;
import org.activitypipeline.common.json.Json;
import org.activitypipeline.common.source.RawActivities;
import org.activitypipeline.common.time.ActivityBuckets;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What Kafka holds for the reconciliation, read {@code read_committed} without a consumer group: the
 * rows the poller sent for an ingest hour, the poller's watermark and the completeness records. One
 * thread; close after use.
 *
 * <p>The poller stamps each record with its row's write time and sends rows in write-time order, its
 * second look trailing by its late window; so the rows of hour {@code H} lie, in every partition,
 * between the first record stamped {@code H} or later and the first stamped {@code H + 1h + settle}
 * or later, and reading that span costs about one hour of the topic.
 */
final class SentRows implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final Duration POLL = Duration.ofMillis(500);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final ReconcileSettings settings;

  SentRows(ReconcileSettings settings) {
    this.settings = settings;
    Map<String, Object> props = new HashMap<>(settings.kafka());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "batch-layer-reconcile");
    props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** The ids of hour {@code hour}'s rows the poller sent: all, and those sent as activities. */
  record Sent(Set<String> all, Set<String> asActivities, long recordsRead) {}

  Sent sentFor(Instant hour) {
    long from = hour.toEpochMilli();
    long to = from + Duration.ofHours(1).toMillis();
    Set<String> all = new HashSet<>();
    Set<String> activities = new HashSet<>();
    List<TopicPartition> partitions = new ArrayList<>(partitions(settings.rawActivities()));
    partitions.addAll(partitions(settings.deadLetters()));
    Map<TopicPartition, Long> start = offsetsAt(partitions, from);
    Map<TopicPartition, Long> end = offsetsAt(partitions, to + settings.settle().toMillis());
    long[] read = {0};
    readSpans(start, end, r -> {
      read[0]++;
      Header id = r.headers().lastHeader(RawActivities.ACTIVITY_ID_HEADER);
      if (id == null || r.headers().lastHeader(RawActivities.REPAIRED_BY_HEADER) != null) {
        return; // repairs are counted from the completeness records, never twice
      }
      boolean activity = r.topic().equals(settings.rawActivities());
      if (!activity && !RawActivities.isRowDeadLetter(r.headers())) {
        return;
      }
      String value = new String(id.value(), StandardCharsets.UTF_8);
      long written;
      try {
        written = ActivityBuckets.writeTimeMillis(UUID.fromString(value));
      } catch (IllegalArgumentException e) {
        return; // not a row's timeuuid: not a row of the table
      }
      if (written >= from && written < to) {
        all.add(value);
        if (activity) {
          activities.add(value);
        }
      }
    });
    return new Sent(all, activities, read[0]);
  }

  /**
   * How far the pollers have come (write time, ms): the lowest of the shards' watermarks, empty until
   * every shard has one. Before watermarks were kept per shard, one poller kept one record under its
   * transactional id: without shard records, the highest of those.
   */
  OptionalLong pollerWatermark() {
    Map<String, Long> byKey = new HashMap<>();
    readAll(settings.pollerState(), r -> {
      if (r.key() == null) {
        return;
      }
      String key = new String(r.key(), StandardCharsets.UTF_8);
      var node = r.value() == null ? null : Json.mapper().readTree(r.value()).get("watermark_ms");
      if (node != null && node.canConvertToLong()) {
        byKey.put(key, node.asLong());
      } else {
        byKey.remove(key);
      }
    });
    boolean perShard = byKey.keySet().stream().anyMatch(k -> k.startsWith(SHARD_KEY_PREFIX));
    if (!perShard) {
      return byKey.values().stream().mapToLong(Long::longValue).max();
    }
    long min = Long.MAX_VALUE;
    for (int shard = 0; shard < settings.shards(); shard++) {
      Long w = byKey.get(SHARD_KEY_PREFIX + shard);
      if (w == null) {
        return OptionalLong.empty(); // a shard no poller has polled yet: no hour is closed
      }
      min = Math.min(min, w);
    }
    return OptionalLong.of(min);
  }

  /** Keys of the pollers' per-shard watermark records: {@code shard-<n>}. */
  static final String SHARD_KEY_PREFIX = "shard-";

  /** The latest completeness record of every hour. */
  Map<Instant, HourCompleteness> completeness() {
    Map<Instant, HourCompleteness> byHour = new HashMap<>();
    readAll(settings.completeness(), r -> {
      if (r.key() == null) {
        return;
      }
      Instant hour = Instant.parse(new String(r.key(), StandardCharsets.UTF_8));
      if (r.value() == null) {
        byHour.remove(hour);
      } else {
        byHour.put(hour, HourCompleteness.fromJson(r.value()));
      }
    });
    return byHour;
  }

  @FunctionalInterface
  private interface RecordHandler {
    void accept(ConsumerRecord<byte[], byte[]> r) throws Exception;
  }

  private void readAll(String topic, RecordHandler handler) {
    List<TopicPartition> partitions = partitions(topic);
    Map<TopicPartition, Long> start = consumer.beginningOffsets(partitions, TIMEOUT);
    readSpans(start, consumer.endOffsets(partitions, TIMEOUT), r -> {
      try {
        handler.accept(r);
      } catch (Exception e) {
        throw new IllegalStateException(topic + " holds a record that is not readable at offset " + r.offset()
            + " of partition " + r.partition() + ": " + e.getMessage(), e);
      }
    });
  }

  /** Reads each partition from {@code start} up to (excluding) {@code end}. */
  private void readSpans(Map<TopicPartition, Long> start, Map<TopicPartition, Long> end,
                         Consumer<ConsumerRecord<byte[], byte[]>> sink) {
    Map<TopicPartition, Long> remaining = new HashMap<>();
    start.forEach((tp, s) -> {
      if (end.get(tp) > s) {
        remaining.put(tp, s);
      }
    });
    if (remaining.isEmpty()) {
      return;
    }
    consumer.assign(remaining.keySet());
    remaining.forEach(consumer::seek);
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!remaining.isEmpty()) {
      var records = consumer.poll(POLL);
      for (ConsumerRecord<byte[], byte[]> r : records) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        if (remaining.containsKey(tp) && r.offset() < end.get(tp)) {
          sink.accept(r);
        }
      }
      for (TopicPartition tp : List.copyOf(remaining.keySet())) {
        // position, not the last record: transaction markers and aborted records occupy offsets too
        if (consumer.position(tp, TIMEOUT) >= end.get(tp)) {
          remaining.remove(tp);
          consumer.pause(List.of(tp));
        }
      }
      if (!records.isEmpty()) {
        deadline = System.nanoTime() + TIMEOUT.toNanos();
      } else if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no progress reading " + remaining + " for " + TIMEOUT);
      }
    }
    consumer.unsubscribe();
  }

  /** Per partition, the first offset stamped {@code millis} or later, else the end of the partition. */
  private Map<TopicPartition, Long> offsetsAt(List<TopicPartition> partitions, long millis) {
    Map<TopicPartition, Long> query = new HashMap<>();
    partitions.forEach(tp -> query.put(tp, millis));
    Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, TIMEOUT);
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
    Map<TopicPartition, Long> out = new HashMap<>();
    for (TopicPartition tp : partitions) {
      OffsetAndTimestamp o = found.get(tp);
      out.put(tp, o == null ? ends.get(tp) : o.offset());
    }
    return out;
  }

  private List<TopicPartition> partitions(String topic) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, TIMEOUT);
    if (infos == null || infos.isEmpty()) {
      throw new IllegalStateException("topic " + topic + " does not exist");
    }
    List<TopicPartition> out = new ArrayList<>();
    infos.forEach(p -> out.add(new TopicPartition(topic, p.partition())));
    return out;
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
