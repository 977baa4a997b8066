package org.activitypipeline.speed.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.activitypipeline.common.topic.Topics;
import org.activitypipeline.localstack.LocalStack;
import org.activitypipeline.localstack.ServerKind;
import org.activitypipeline.localstack.junit.WithLocalStack;
import org.activitypipeline.speed.testing.SpeedLayerProcess;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * The processor as real processes against a real Kafka broker: whatever happens (kill -9 of either
 * of two processes, a broker restart, processes joining and leaving), a read_committed reader sees
 * each activity exactly once with the right employee attributes, exactly the late events in
 * late-activities, and every window's latest value equal to the reference computed from the input.
 */
@WithLocalStack({ServerKind.KAFKA})
class ProcessorExactlyOnceIT {
  private static final Path WORK = Path.of("target", "processor-it").toAbsolutePath();
  private static final long GRACE_MS = Duration.ofMinutes(10).toMillis();

  @Test
  void twoProcessesKilledAtRandomMomentsEveryActivityOnceAndWindowsEqualTheReference(LocalStack stack)
      throws Exception {
    Scenario s = new Scenario(6, GRACE_MS, 300, 200_000, 1);
    ProcessorTopics t = ProcessorTopics.create(bootstrap(stack), "kill");
    t.writeEmployees(s);
    try (SpeedLayerProcess a = SpeedLayerProcess.of("processor", WORK, "kill-a", t.processorConfig("a", Map.of()));
        SpeedLayerProcess b = SpeedLayerProcess.of("processor", WORK, "kill-b",
            t.processorConfig("b", Map.of("threads", "2")));
        Outputs out = new Outputs(s, t)) {
      a.start();
      b.start();
      t.awaitEmployeesProcessed(s, Duration.ofMinutes(1));
      // ~50 s of input at 4,000 activities/s; a kill every 4-9 s, alternating at random.
      Feeder feeder = Feeder.start(s, t, 4_000);
      Random random = new Random(7);
      int kills = 0;
      while (!feeder.done() || kills < 5) {
        Thread.sleep(4_000 + random.nextInt(5_000));
        SpeedLayerProcess victim = random.nextBoolean() ? a : b;
        victim.kill();
        kills++;
        Thread.sleep(random.nextInt(2_000));
        victim.start();
      }
      feeder.await();
      assertTrue(kills >= 5, "killed at least 5 times: " + kills);
      out.awaitAndVerify(Duration.ofMinutes(4));
      assertTrue(out.deadLetters.isEmpty(), "no dead letters from valid input: " + out.deadLetters.size());
      a.stopCleanly();
      b.stopCleanly();
    }
  }

  @Test
  void brokerRestartMidRunSameResult(LocalStack stack) throws Exception {
    Scenario s = new Scenario(6, GRACE_MS, 200, 60_000, 2);
    ProcessorTopics t = ProcessorTopics.create(bootstrap(stack), "broker");
    t.writeEmployees(s);
    try (SpeedLayerProcess p = SpeedLayerProcess.of("processor", WORK, "broker",
        t.processorConfig("a", Map.of("threads", "2")))) {
      p.start();
      t.awaitEmployeesProcessed(s, Duration.ofMinutes(1));
      Feeder feeder = Feeder.start(s, t, 3_000);
      Thread.sleep(8_000);
      int sentBeforeOutage = feeder.sent();
      stack.server(ServerKind.KAFKA).kill();
      Thread.sleep(3_000);
      stack.server(ServerKind.KAFKA).start();
      feeder.await();
      try (Outputs out = new Outputs(s, t)) {
        out.awaitAndVerify(Duration.ofMinutes(4));
        assertTrue(p.isAlive(), "the processor survived the broker restart");
        // The outage was mid-run: activities were still to come, so the processor read and wrote
        // across the restart (whether a transaction failed and was redone or the clients rode it out
        // by retrying is luck of timing; the processor's logs show which).
        assertTrue(sentBeforeOutage > 0 && sentBeforeOutage < s.activities.size(),
            "the broker went down mid-feed: " + sentBeforeOutage + " of " + s.activities.size() + " sent");
      }
      p.stopCleanly();
    }
  }

  @Test
  void scaleOutOneToTwoToOneWithPoisonRecordsSameResult(LocalStack stack) throws Exception {
    Scenario s = new Scenario(6, GRACE_MS, 200, 60_000, 3);
    ProcessorTopics t = ProcessorTopics.create(bootstrap(stack), "scale");
    t.writeEmployees(s);
    byte[] badChange = "{\"op\":\"u\",\"after\":{\"employee_id\":\"x\"}}".getBytes(StandardCharsets.UTF_8);
    try (KafkaProducer<byte[], byte[]> p = t.producer()) {
      p.send(new ProducerRecord<>(t.topic(Topics.CDC_EMPLOYEES), Scenario.employeeKey(1), badChange)).get();
    }
    try (SpeedLayerProcess a = SpeedLayerProcess.of("processor", WORK, "scale-a", t.processorConfig("a", Map.of()));
        SpeedLayerProcess b = SpeedLayerProcess.of("processor", WORK, "scale-b", t.processorConfig("b", Map.of()));
        Outputs out = new Outputs(s, t)) {
      a.start();
      t.awaitEmployeesProcessed(s, Duration.ofMinutes(1));
      Feeder feeder = Feeder.withPoison(s, t, 2_500);
      Thread.sleep(6_000);
      b.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!b.logText().contains("event=partitions_assigned") && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      Thread.sleep(5_000);
      b.stopCleanly();
      feeder.await();
      out.awaitAndVerify(Duration.ofMinutes(3));
      assertTrue(b.logText().contains("event=partitions_assigned"), "the second process took partitions");
      assertTrue(b.logText().contains("event=partitions_revoked"), "and handed them back on SIGTERM");

      // Each poison record is in the dead-letter topic once, with stage, reason and source position.
      Set<String> poison = new HashSet<>(Feeder.POISON.values());
      poison.add(new String(badChange, StandardCharsets.UTF_8));
      List<ConsumerRecord<byte[], byte[]>> dlq = out.deadLetters;
      assertEquals(poison.size(), dlq.size(), "one dead letter per poison record: " + dlq.stream()
          .map(r -> ProcessorTopics.text(r.value())).toList());
      for (ConsumerRecord<byte[], byte[]> r : dlq) {
        assertTrue(poison.contains(ProcessorTopics.text(r.value())), "original bytes kept");
        String reason = header(r, Topics.DlqHeaders.REASON);
        assertTrue(reason != null && !reason.isBlank(), "a reason");
        String stage = header(r, Topics.DlqHeaders.STAGE);
        String source = header(r, Topics.DlqHeaders.SOURCE_TOPIC);
        assertTrue(("enrich".equals(stage) && t.topic(Topics.RAW_ACTIVITIES).equals(source))
            || ("employees".equals(stage) && t.topic(Topics.CDC_EMPLOYEES).equals(source)), stage + " " + source);
        assertTrue(header(r, Topics.DlqHeaders.SOURCE_OFFSET).matches("\\d+"), "source offset");
      }
      assertTrue(dlq.stream().anyMatch(r -> header(r, Topics.DlqHeaders.REASON).contains("event_time")),
          "the missing field is named");
      a.stopCleanly();
    }
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : ProcessorTopics.text(h.value());
  }

  private static String bootstrap(LocalStack stack) {
    return stack.connectionProperties().get("kafka.bootstrap.servers");
  }

}
