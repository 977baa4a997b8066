package org.activitypipeline.speed.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.activitypipeline.common.event.Activity;
import org.activitypipeline.common.event.EnrichedActivity;
import org.activitypipeline.common.json.JsonCodec;
import org.activitypipeline.common.topic.Topics;
import org.activitypipeline.localstack.LocalStack;
import org.activitypipeline.localstack.ServerKind;
import org.activitypipeline.localstack.junit.WithLocalStack;
import org.activitypipeline.speed.processor.ProcessorTopics;
import org.activitypipeline.speed.testing.SpeedLayerProcess;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The enricher waits for the CDC stream: real PostgreSQL, the real cdc process and the processor. An
 * employee moves, and an activity dated after the move's commit reaches raw-activities while the cdc
 * process is stalled (SIGSTOP), so the move is still in PostgreSQL's slot: the activity must not go
 * out until cdc resumes, and then it counts for the new department. With cdc stalled longer than
 * {@code enrich.cdc-wait}, activities go on (the wait is bounded) with what the directory has.
 */
@WithLocalStack({ServerKind.POSTGRES, ServerKind.KAFKA})
class CdcAlignmentIT {
  private static final Path WORK = Path.of("target", "cdc-alignment-it").toAbsolutePath();
  private static final JsonCodec<Activity> ACTIVITY = JsonCodec.of(Activity.class, Activity.SCHEMA_VERSION);
  private static final JsonCodec<EnrichedActivity> ENRICHED =
      JsonCodec.of(EnrichedActivity.class, EnrichedActivity.SCHEMA_VERSION);
  private static final Duration CDC_WAIT = Duration.ofSeconds(12);

  @Test
  void anActivityAfterAMoveStillInTheSlotWaitsForItAndCountsForTheNewDepartment(LocalStack stack) throws Exception {
    CdcTestStack t = new CdcTestStack(stack);
    String name = CdcTestStack.uniqueName("it_align");
    ProcessorTopics topics = ProcessorTopics.create(t.bootstrap(), "align");
    Map<String, String> cdcConfig = t.cdcSettings(name);
    cdcConfig.put("topic.prefix", topics.prefix + ".cdc");
    cdcConfig.put("heartbeat.interval", "1s");
    long before;
    long after;
    long employee;
    try (SpeedLayerProcess cdc = SpeedLayerProcess.of("cdc", WORK, name + "-cdc", cdcConfig);
        SpeedLayerProcess processor = SpeedLayerProcess.of("processor", WORK, name + "-processor",
            topics.processorConfig("0", Map.of("enrich.cdc-wait", CDC_WAIT.toSeconds() + "s")));
        KafkaProducer<byte[], byte[]> producer = producer(t.bootstrap());
        KafkaConsumer<byte[], byte[]> processed = consumer(t.bootstrap(), topics.topic(Topics.PROCESSED_ACTIVITIES))) {
      cdc.start();
      t.awaitSlotActive(name);
      try (Connection c = t.app()) {
        before = EmployeeWrites.department(c, "Align before " + name);
        after = EmployeeWrites.department(c, "Align after " + name);
        employee = EmployeeWrites.insert(c, name + "@example.com", before, "Engineer");
      }
      processor.start();

      // In step: the activity goes out with the department the employee has.
      send(producer, topics, activity("a-1", employee, Instant.now()));
      EnrichedActivity first = awaitActivity(processed, "a-1", Duration.ofMinutes(2));
      assertEquals("Align before " + name, first.departmentName());

      // cdc stalls; the employee moves; an activity dated after the move's commit arrives.
      cdc.suspend();
      try (Connection c = t.app(); Statement st = c.createStatement()) {
        st.executeUpdate("UPDATE employees SET department_id = " + after + " WHERE employee_id = " + employee);
      }
      Instant afterMove = Instant.now(); // the commit returned: its commit time is at or before this
      send(producer, topics, activity("a-2", employee, afterMove));
      List<EnrichedActivity> early = poll(processed, Duration.ofSeconds(6));
      assertTrue(early.isEmpty(), "nothing goes out while the move may still be on its way: " + early);

      cdc.resume();
      EnrichedActivity second = awaitActivity(processed, "a-2", CDC_WAIT);
      assertEquals("Align after " + name, second.departmentName(),
          "the move committed before the activity counts, though it reached the processor after it");
      assertEquals(after, second.departmentId());

      // cdc stalls for longer than enrich.cdc-wait: the activity goes on after the wait, unaligned.
      cdc.suspend();
      long sent = System.nanoTime();
      send(producer, topics, activity("a-3", employee, Instant.now()));
      EnrichedActivity third = awaitActivity(processed, "a-3", CDC_WAIT.multipliedBy(4));
      long waitedMillis = (System.nanoTime() - sent) / 1_000_000;
      assertTrue(waitedMillis >= CDC_WAIT.toMillis(), "held for enrich.cdc-wait first: " + waitedMillis + " ms");
      assertEquals("Align after " + name, third.departmentName(), "with what the directory has");
      cdc.resume();
      assertFalse(processor.logText().contains("event=task_error"), processor.logTail());
      assertTrue(processor.logText().contains("event=cdc_wait_expired"), "the expiry is logged");
      processor.stopCleanly();
      cdc.stopCleanly();
    } finally {
      t.dropSlot(name);
    }
  }

  private static Activity activity(String id, long employee, Instant eventTime) {
    return new Activity(Activity.SCHEMA_VERSION, id + "-" + employee, employee, "login", "laptop", "linux",
        "10.0.0.1", "Berlin", 30, eventTime, eventTime, Map.of());
  }

  private static void send(KafkaProducer<byte[], byte[]> p, ProcessorTopics topics, Activity a) throws Exception {
    p.send(new ProducerRecord<>(topics.topic(Topics.RAW_ACTIVITIES),
        Long.toString(a.employeeId()).getBytes(StandardCharsets.UTF_8), ACTIVITY.encode(a))).get();
  }

  private static EnrichedActivity awaitActivity(KafkaConsumer<byte[], byte[]> c, String idPrefix, Duration timeout) {
    long deadline = System.nanoTime() + timeout.plusSeconds(5).toNanos();
    while (System.nanoTime() < deadline) {
      for (EnrichedActivity e : poll(c, Duration.ofMillis(200))) {
        if (e.activity().activityId().startsWith(idPrefix + "-")) {
          return e;
        }
        throw new AssertionError("unexpected activity " + e.activity().activityId() + " while waiting for " + idPrefix);
      }
    }
    throw new AssertionError(idPrefix + " not in processed-activities within " + timeout);
  }

  private static List<EnrichedActivity> poll(KafkaConsumer<byte[], byte[]> c, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    List<EnrichedActivity> out = new java.util.ArrayList<>();
    do {
      for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
        out.add(ENRICHED.decode(r.value()));
      }
    } while (out.isEmpty() && System.nanoTime() < deadline);
    return out;
  }

  private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> parts = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition()))
        .toList();
    c.assign(parts);
    c.seekToBeginning(parts);
    return c;
  }
}
