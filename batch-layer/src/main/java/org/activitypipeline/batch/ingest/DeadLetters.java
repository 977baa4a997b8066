package org.activitypipeline.batch.ingest;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.activitypipeline.common.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends records the batch layer cannot store to the dead-letter topic with the reason. Flushed
 * before the Hudi commit that moves the checkpoint past them, so none is lost; a crash in between
 * can send one twice (the dead-letter topic is at-least-once here, keyed by source offset headers).
 */
public final class DeadLetters implements AutoCloseable {

  public static final String STAGE = "batch-ingest";

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final AtomicLong sent = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicReference<Exception> failure =
      new java.util.concurrent.atomic.AtomicReference<>();

  public DeadLetters(Map<String, Object> kafka, String topic) {
    Map<String, Object> props = new HashMap<>(kafka);
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    this.producer = new KafkaProducer<>(props);
    this.topic = topic;
  }

  public void send(ConsumerRecord<byte[], byte[]> record, String reason) {
    RecordHeaders h = new RecordHeaders();
    h.add(Topics.DlqHeaders.STAGE, STAGE.getBytes(StandardCharsets.UTF_8));
    h.add(Topics.DlqHeaders.REASON, reason.getBytes(StandardCharsets.UTF_8));
    h.add(Topics.DlqHeaders.SOURCE_TOPIC, record.topic().getBytes(StandardCharsets.UTF_8));
    h.add(Topics.DlqHeaders.SOURCE_PARTITION, Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
    h.add(Topics.DlqHeaders.SOURCE_OFFSET, Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
    producer.send(new ProducerRecord<>(topic, null, record.key(), record.value(), h), (meta, error) -> {
      if (error != null) {
        failure.compareAndSet(null, error);
      }
    });
    sent.incrementAndGet();
  }

  /** Blocks until every dead letter sent so far is acknowledged; a failed send fails here. */
  public void flush() {
    producer.flush();
    Exception error = failure.getAndSet(null);
    if (error != null) {
      throw new IllegalStateException("cannot write to the dead-letter topic " + topic + ": " + error, error);
    }
  }

  public long sent() {
    return sent.get();
  }

  @Override
  public void close() {
    producer.close(java.time.Duration.ofSeconds(5));
  }
}
