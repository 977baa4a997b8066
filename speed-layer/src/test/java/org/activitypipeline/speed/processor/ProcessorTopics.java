package org.activitypipeline.speed.processor;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import org.activitypipeline.common.topic.CleanupPolicy;
import org.activitypipeline.common.topic.TopicReadiness;
import org.activitypipeline.common.topic.TopicSpec;
import org.activitypipeline.common.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One test's own copy of the processor's topics (every name prefixed, same partitions and cleanup
 * policies as the contract), its processor configuration, an input producer and output readers.
 */
public final class ProcessorTopics {
  public final String bootstrap;
  public final String prefix;
  final Map<String, String> names = new LinkedHashMap<>();

  ProcessorTopics(String bootstrap, String prefix) {
    this.bootstrap = bootstrap;
    this.prefix = prefix;
  }

  public static ProcessorTopics create(String bootstrap, String name) throws Exception {
    ProcessorTopics t = new ProcessorTopics(bootstrap, name + "-" + UUID.randomUUID().toString().substring(0, 6));
    List<NewTopic> create = new ArrayList<>();
    for (TopicSpec spec : Topics.ALL) {
      if (spec == Topics.POLLER_STATE) {
        continue;
      }
      String topic = t.prefix + "." + spec.name();
      t.names.put(spec.name(), topic);
      NewTopic nt = new NewTopic(topic, spec.partitions(), (short) 1);
      if (spec.cleanupPolicy() == CleanupPolicy.COMPACT) {
        nt.configs(Map.of("cleanup.policy", "compact"));
      }
      create.add(nt);
    }
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      TopicReadiness.create(admin, create, Duration.ofMinutes(1));
    }
    return t;
  }

  public String topic(TopicSpec spec) {
    return names.get(spec.name());
  }

  /** Processor settings for this test's topics; {@code extra} wins. */
  public Map<String, String> processorConfig(String instanceId, Map<String, String> extra) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("kafka.bootstrap.servers", bootstrap);
    c.put("application.id", prefix + "-processor");
    c.put("instance.id", instanceId);
    c.put("topic.cdc-employees", topic(Topics.CDC_EMPLOYEES));
    c.put("topic.cdc-departments", topic(Topics.CDC_DEPARTMENTS));
    c.put("topic.raw-activities", topic(Topics.RAW_ACTIVITIES));
    c.put("topic.processed-employees", topic(Topics.PROCESSED_EMPLOYEES));
    c.put("topic.processed-departments", topic(Topics.PROCESSED_DEPARTMENTS));
    c.put("topic.processed-activities", topic(Topics.PROCESSED_ACTIVITIES));
    c.put("topic.hourly-activity-aggregations", topic(Topics.HOURLY_ACTIVITY_AGGREGATIONS));
    c.put("topic.daily-device-aggregations", topic(Topics.DAILY_DEVICE_AGGREGATIONS));
    c.put("topic.late-activities", topic(Topics.LATE_ACTIVITIES));
    c.put("topic.dlq", topic(Topics.PIPELINE_DLQ));
    c.put("enrich.unknown-employee.wait", "10s");
    // The scenarios write the cdc topics by hand, in event time hours in the past, without a cdc process
    // and its heartbeats: no progress ever arrives. The CDC alignment has its own test (CdcAlignmentIT)
    // with real PostgreSQL and cdc; a test here that wants it sets enrich.cdc-wait in extra.
    c.put("enrich.cdc-wait", "0s");
    // The scenarios span hours of event time with uploads up to 6 h late: a 10-minute lateness makes
    // them exercise both sides of it (late events merged, windows finalized, later ones dead on arrival).
    c.put("window.allowed-lateness", "10m");
    c.put("kafka.transaction.timeout", "10s");
    c.put("kafka.consumer.session.timeout.ms", "6000");
    c.put("kafka.consumer.heartbeat.interval.ms", "1000");
    c.put("retry.backoff.initial", "200ms");
    c.put("retry.backoff.max", "2s");
    c.put("metrics.port", "0");
    c.putAll(extra);
    return c;
  }

  KafkaProducer<byte[], byte[]> producer() {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "300000");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Sends departments and employees as Debezium change events and waits for every ack. */
  void writeEmployees(Scenario s) throws Exception {
    List<Future<RecordMetadata>> acks = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> p = producer()) {
      long lsn = 1_000;
      for (Scenario.Department d : s.departments) {
        acks.add(p.send(new ProducerRecord<>(topic(Topics.CDC_DEPARTMENTS), Scenario.departmentKey(d.id()),
            s.departmentEvent(d, lsn++))));
      }
      for (Scenario.Employee e : s.employees) {
        acks.add(p.send(new ProducerRecord<>(topic(Topics.CDC_EMPLOYEES), Scenario.employeeKey(e.id()),
            s.employeeEvent(e, lsn++))));
      }
      p.flush();
    }
    for (Future<RecordMetadata> ack : acks) {
      ack.get(); // a failed write fails the test here, not as a missing employee later
    }
  }

  /**
   * Waits until the processor has published every employee of {@code s} to processed-employees, so
   * that activities written afterwards find their employee (what the tests check is the activity path).
   */
  void awaitEmployeesProcessed(Scenario s, Duration timeout) throws InterruptedException {
    java.util.Set<String> ids = new java.util.HashSet<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Reader r = new Reader(Topics.PROCESSED_EMPLOYEES)) {
      while (ids.size() < s.employees.size()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("only " + ids.size() + " of " + s.employees.size() + " employees processed");
        }
        r.drain().forEach(rec -> ids.add(text(rec.key())));
        Thread.sleep(200);
      }
    }
  }

  /**
   * A background-free reader of one topic: {@link #drain()} returns what was committed since the last
   * call ({@code read_committed}), so tests can check progress and the final content cheaply.
   */
  final class Reader implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;

    Reader(TopicSpec spec) {
      Map<String, Object> p = new HashMap<>();
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
      consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      String topic = topic(spec);
      List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
          .map(i -> new TopicPartition(topic, i.partition())).toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
    }

    List<ConsumerRecord<byte[], byte[]>> drain() {
      List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
      Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())
          && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      return out;
    }

    @Override
    public void close() {
      consumer.close();
    }
  }

  static String text(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }
}
