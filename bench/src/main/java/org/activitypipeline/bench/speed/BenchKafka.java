package org.activitypipeline.bench.speed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.activitypipeline.bench.processor.OffsetProgress;
import org.activitypipeline.common.topic.TopicReadiness;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The harness's side of the broker: topics, a bulk producer, read_committed scans of whole topics. */
final class BenchKafka implements AutoCloseable {
  private final String bootstrap;
  private final Admin admin;
  private final OffsetProgress progress;

  BenchKafka(String bootstrap) {
    // create() polls partitions that the broker is still making; the admin client logs each such
    // (expected, retried) answer at ERROR.
    org.apache.logging.log4j.core.config.Configurator.setLevel(
        "org.apache.kafka.clients.admin.internals.PartitionLeaderStrategy", org.apache.logging.log4j.Level.OFF);
    this.bootstrap = bootstrap;
    this.admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
    this.progress = new OffsetProgress(admin, bootstrap);
  }

  String bootstrap() {
    return bootstrap;
  }

  OffsetProgress progress() {
    return progress;
  }

  /** Creates the topics and waits until every partition answers at its leader (see {@link TopicReadiness}). */
  void create(NewTopic... topics) throws Exception {
    TopicReadiness.create(admin, List.of(topics), Duration.ofMinutes(1));
  }

  /**
   * Waits until {@code group} is stable with every partition of {@code topic} assigned to a member:
   * from then on records written to it are picked up at once (the latency and equality runs write live).
   */
  void awaitAssigned(String group, String topic) throws Exception {
    int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(1, TimeUnit.MINUTES).get(topic)
        .partitions().size();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (System.nanoTime() < deadline) {
      var d = admin.describeConsumerGroups(List.of(group)).all().get(1, TimeUnit.MINUTES).get(group);
      long assigned = d.members().stream().flatMap(m -> m.assignment().topicPartitions().stream())
          .filter(tp -> tp.topic().equals(topic)).distinct().count();
      if (d.groupState() == org.apache.kafka.common.GroupState.STABLE && assigned == partitions) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(group + " has not been assigned " + topic + " within 2 minutes");
  }

  static NewTopic topic(String name, int partitions, boolean compacted) {
    NewTopic t = new NewTopic(name, partitions, (short) 1);
    return compacted ? t.configs(Map.of("cleanup.policy", "compact")) : t;
  }

  /** A producer for input: lz4, large batches, idempotent (so partition order is send order). */
  KafkaProducer<byte[], byte[]> producer() {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Every committed record of {@code topic}, from the beginning to the end it had when the scan began. */
  void scan(String topic, Consumer<ConsumerRecord<byte[], byte[]>> each) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> parts = c.partitionsFor(topic).stream()
          .map(i -> new TopicPartition(topic, i.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        c.poll(Duration.ofMillis(200)).forEach(each);
      }
    }
  }

  /** The latest value of every key of a (compacted) topic, in first-seen key order. */
  Map<String, byte[]> latest(String topic) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    scan(topic, r -> out.put(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8), r.value()));
    return out;
  }

  List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    scan(topic, out::add);
    return out;
  }

  @Override
  public void close() {
    progress.close();
    admin.close(Duration.ofSeconds(10));
  }
}
