package org.activitypipeline.bench.processor;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The raw limit: a plain consume → produce copy of the same records with the processor's transaction
 * settings (one thread, one transaction per commit interval with {@code sendOffsetsToTransaction},
 * read_committed, the same producer batching and compression). No parsing, no state.
 */
public final class TransactionalCopy implements Runnable {
  private final String bootstrap;
  private final String input;
  private final String output;
  private final String group;
  private final Duration commitInterval;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private volatile long copied;

  public TransactionalCopy(String bootstrap, String input, String output, String group, Duration commitInterval) {
    this.bootstrap = bootstrap;
    this.input = input;
    this.output = output;
    this.group = group;
    this.commitInterval = commitInterval;
  }

  @Override
  public void run() {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, group + "-copy");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(128 * 1024));
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
            new ByteArraySerializer())) {
      producer.initTransactions();
      consumer.subscribe(List.of(input));
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      boolean open = false;
      long nextCommit = System.currentTimeMillis() + commitInterval.toMillis();
      while (running.get()) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          if (!open) {
            producer.beginTransaction();
            open = true;
          }
          producer.send(new ProducerRecord<>(output, r.key(), r.value()));
          offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
          copied++;
        }
        if (open && System.currentTimeMillis() >= nextCommit) {
          producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
          producer.commitTransaction();
          offsets.clear();
          open = false;
          nextCommit = System.currentTimeMillis() + commitInterval.toMillis();
        }
      }
      if (open) {
        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
        producer.commitTransaction();
      }
    }
  }

  public long copied() {
    return copied;
  }

  public void stop() {
    running.set(false);
  }
}
