package org.activitypipeline.batch.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one bounded batch of a topic from a checkpoint: {@code read_committed}, partitions
 * assigned by hand (the position comes from the Hudi commit, not from a consumer group), and
 * never past the end offsets seen when the batch started, so a run always finishes.
 */
public final class TopicBatchReader implements AutoCloseable {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TopicBatchReader.class);

  private final KafkaConsumer<byte[], byte[]> consumer;

  /**
   * @param kafka client settings ({@code bootstrap.servers} and any overrides)
   * @param groupId group the positions are also committed to after each Hudi commit: for lag monitoring only
   */
  public TopicBatchReader(Map<String, Object> kafka, String groupId, int maxRecords) {
    Map<String, Object> props = new HashMap<>(kafka);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // A checkpoint below the log start (retention deleted unread data) must fail loudly, not skip.
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    // A batch never exceeds its limit by more than nothing: one poll returns at most that many.
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(maxRecords, 5000));
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    this.consumer = new KafkaConsumer<>(props);
  }

  /** Records after {@code from}, and the checkpoint just past them. */
  public record Batch(List<ConsumerRecord<byte[], byte[]>> records, KafkaCheckpoint next) {}

  /**
   * Reads at most about {@code maxRecords} (whole polls) records after {@code from}; partitions
   * missing from the checkpoint start at their beginning.
   */
  public Batch read(KafkaCheckpoint from, int maxRecords, Duration timeout) {
    List<TopicPartition> partitions = partitions(from.topic(), timeout);
    consumer.assign(partitions);
    for (TopicPartition tp : partitions) {
      Long offset = from.nextOffsets().get(tp.partition());
      if (offset == null) {
        consumer.seekToBeginning(List.of(tp));
      } else {
        consumer.seek(tp, offset);
      }
    }
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (records.size() < maxRecords && !atEnd(partitions, end)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("reading " + from.topic() + " did not reach the end offsets " + end
            + " within " + timeout + " (a hanging transaction holds the last stable offset?)");
      }
      ConsumerRecords<byte[], byte[]> polled;
      try {
        polled = consumer.poll(Duration.ofMillis(200));
      } catch (org.apache.kafka.clients.consumer.OffsetOutOfRangeException e) {
        throw new IllegalStateException("the checkpoint of " + from.topic() + " points at offsets Kafka no longer has "
            + e.offsetOutOfRangePartitions() + ": records were deleted by retention before the batch layer read them."
            + " Re-ingest from the source or move the checkpoint deliberately.", e);
      }
      polled.forEach(records::add);
    }
    Map<Integer, Long> next = new HashMap<>();
    for (TopicPartition tp : partitions) {
      next.put(tp.partition(), consumer.position(tp, timeout));
    }
    return new Batch(records, new KafkaCheckpoint(from.topic(), next));
  }

  /**
   * Mirrors a checkpoint that is now stored in Hudi into the consumer group, so lag tools see
   * progress. Best effort: the position that counts is already committed in Hudi.
   */
  public void reportProgress(KafkaCheckpoint stored) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    stored.nextOffsets().forEach((p, o) -> offsets.put(new TopicPartition(stored.topic(), p), new OffsetAndMetadata(o)));
    try {
      consumer.commitSync(offsets, Duration.ofSeconds(10));
    } catch (org.apache.kafka.common.KafkaException e) {
      LOG.warn("event=lag_mirror_failed topic={} error=\"{}\"", stored.topic(), e.toString());
    }
  }

  /** {@link KafkaCheckpoint#recordsAfter} against the topic's offsets now (the last stable one at the end). */
  public long recordsAfter(KafkaCheckpoint position, Duration timeout) {
    List<TopicPartition> partitions = partitions(position.topic(), timeout);
    Map<Integer, Long> end = new HashMap<>();
    consumer.endOffsets(partitions, timeout).forEach((tp, o) -> end.put(tp.partition(), o));
    Map<Integer, Long> start = new HashMap<>();
    consumer.beginningOffsets(partitions, timeout).forEach((tp, o) -> start.put(tp.partition(), o));
    return position.recordsAfter(end, start);
  }

  private boolean atEnd(List<TopicPartition> partitions, Map<TopicPartition, Long> end) {
    for (TopicPartition tp : partitions) {
      if (consumer.position(tp) < end.get(tp)) {
        return false;
      }
    }
    return true;
  }

  private List<TopicPartition> partitions(String topic, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
      if (infos != null && !infos.isEmpty()) {
        return infos.stream().map(i -> new TopicPartition(topic, i.partition())).sorted(
            java.util.Comparator.comparingInt(TopicPartition::partition)).toList();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("topic " + topic + " does not exist");
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for topic " + topic, e);
      }
    }
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
