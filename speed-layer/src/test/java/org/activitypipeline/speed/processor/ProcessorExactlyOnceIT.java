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
import java.util.stream.IntStream;
import org.activitypipeline.common.topic.Topics;
import org.activitypipeline.localstack.LocalStack;
import org.activitypipeline.localstack.ServerKind;
import org.activitypipeline.localstack.junit.WithLocalStack;
import org.activitypipeline.speed.testing.SpeedLayerProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
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

  /**
   * The broker dies while each thread has a transaction open, and that transaction is aborted, not
   * ridden out: the process is frozen (SIGSTOP) once the broker's transaction coordinator reports an
   * ongoing transaction with partitions for every thread, the broker is killed and restarted, and the
   * process is let go only after the coordinator aborted those transactions (they outlived
   * {@code kafka.transaction.timeout}). Every thread must then fail its commit, abort, rewind to the
   * committed offsets, rebuild its state from the changelogs and redo the work, and the output must
   * still be exact.
   */
  @Test
  void brokerRestartInsideOpenTransactionsAbortsAndRedoesThemSameResult(LocalStack stack) throws Exception {
    Scenario s = new Scenario(6, GRACE_MS, 200, 60_000, 2);
    ProcessorTopics t = ProcessorTopics.create(bootstrap(stack), "broker");
    t.writeEmployees(s);
    int threads = 2;
    // A session far longer than the freeze: the group must not evict the frozen member, so the only
    // thing that breaks its transactions is the broker's abort.
    Map<String, String> config = t.processorConfig("a", Map.of("threads", Integer.toString(threads),
        "kafka.consumer.session.timeout.ms", "90000", "kafka.consumer.heartbeat.interval.ms", "3000"));
    ProcessorConfig parsed = ProcessorConfig.from(ProcessorConfig.DEF.parse(config));
    List<String> transactionalIds = IntStream.range(0, threads).mapToObj(parsed::transactionalId).toList();
    try (SpeedLayerProcess p = SpeedLayerProcess.of("processor", WORK, "broker", config);
        Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap(stack)))) {
      p.start();
      t.awaitEmployeesProcessed(s, Duration.ofMinutes(1));
      Feeder feeder = Feeder.start(s, t, 3_000);
      long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      while (feeder.sent() < s.activities.size() / 4 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      Map<String, TransactionDescription> open = OpenTransactions.freezeInside(p, admin, transactionalIds);
      int sentBeforeOutage = feeder.sent();
      stack.server(ServerKind.KAFKA).kill();
      stack.server(ServerKind.KAFKA).start();
      OpenTransactions.awaitAborted(admin, open, Duration.ofMinutes(2));
      int logMark = p.logText().length();
      p.resume();
      feeder.await();
      try (Outputs out = new Outputs(s, t)) {
        out.awaitAndVerify(Duration.ofMinutes(4));
        assertTrue(p.isAlive(), "the processor survived the broker restart");
        assertTrue(sentBeforeOutage > 0 && sentBeforeOutage < s.activities.size(),
            "the broker went down mid-feed: " + sentBeforeOutage + " of " + s.activities.size() + " sent");
        String afterResume = p.logText().substring(logMark);
        for (int i = 0; i < threads; i++) {
          int failed = afterResume.indexOf("event=transaction_failed thread=" + i + " in_transaction=true");
          int rewound = afterResume.indexOf("event=rewound thread=" + i + " ", Math.max(failed, 0));
          int recovered = afterResume.indexOf("event=recovered thread=" + i, Math.max(rewound, 0));
          assertTrue(failed >= 0 && rewound > failed && recovered > rewound, "thread " + i
              + " failed its open transaction, rewound and recovered after the broker aborted it:\n" + p.logTail());
        }
      }
      p.stopCleanly();
    }
  }

  /**
   * A process stalls (SIGSTOP, as a long GC or VM pause would) inside a transaction that already holds
   * its input offsets, past the session timeout, so the other process takes its partitions over; then
   * it is let go and its transaction commits (the broker has no reason to refuse it). The process that
   * took over must not have restored those partitions' state before that transaction was resolved, or
   * its window upserts would drop the stalled transaction's merges: the output must be exact.
   */
  @Test
  void processStalledPastTheSessionTimeoutInsideACommitLosesNothing(LocalStack stack) throws Exception {
    Scenario s = new Scenario(6, GRACE_MS, 200, 60_000, 4);
    ProcessorTopics t = ProcessorTopics.create(bootstrap(stack), "stall");
    t.writeEmployees(s);
    // The stalled transaction must outlive the takeover: far longer than session timeout + rebalance.
    Map<String, String> configA = t.processorConfig("a", Map.of("kafka.transaction.timeout", "90s"));
    String transactionalId = ProcessorConfig.from(ProcessorConfig.DEF.parse(configA)).transactionalId(0);
    try (SpeedLayerProcess a = SpeedLayerProcess.of("processor", WORK, "stall-a", configA);
        SpeedLayerProcess b = SpeedLayerProcess.of("processor", WORK, "stall-b",
            t.processorConfig("b", Map.of("kafka.transaction.timeout", "90s")));
        Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap(stack)))) {
      a.start();
      b.start();
      t.awaitEmployeesProcessed(s, Duration.ofMinutes(1));
      awaitLog(b, "event=partitions_assigned", 0, Duration.ofMinutes(1));
      Feeder feeder = Feeder.start(s, t, 2_000);
      long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      while (feeder.sent() < s.activities.size() / 4 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      int bMark = b.logText().length();
      TransactionDescription stalled = OpenTransactions.freezeAfterOffsetsSent(a, admin, transactionalId,
          Duration.ofMinutes(3));
      // b takes a's partitions over once a's session has expired; give it time to (wrongly) restore them.
      awaitLog(b, "event=partitions_assigned", bMark, Duration.ofMinutes(1));
      Thread.sleep(3_000);
      TransactionDescription stillOpen = admin.describeTransactions(List.of(transactionalId)).all()
          .get(30, java.util.concurrent.TimeUnit.SECONDS).get(transactionalId);
      assertEquals(stalled.transactionStartTimeMs(), stillOpen.transactionStartTimeMs(), "the same transaction");
      assertEquals(org.apache.kafka.clients.admin.TransactionState.ONGOING, stillOpen.state(),
          "still open when the stalled process resumes");
      a.resume();
      feeder.await();
      try (Outputs out = new Outputs(s, t)) {
        out.awaitAndVerify(Duration.ofMinutes(4));
      }
      String bLog = b.logText().substring(bMark);
      assertTrue(bLog.contains("event=awaited_stable_offsets"), "b waited for the stalled transaction before"
          + " restoring:\n" + b.logTail());
      assertTrue(a.isAlive() && b.isAlive());
      a.stopCleanly();
      b.stopCleanly();
    }
  }

  private static void awaitLog(SpeedLayerProcess p, String text, int from, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (p.logText().indexOf(text, from) < 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no '" + text + "' in the log within " + limit + ":\n" + p.logTail());
      }
      Thread.sleep(100);
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
      List<ConsumerRecord<byte[], byte[]>> oversized = out.deadLetters.stream()
          .filter(r -> r.headers().lastHeader(Topics.DlqHeaders.VALUE_OMITTED_BYTES) != null).toList();
      assertEquals(1, oversized.size(), "the oversized activity, once, as a reference");
      assertEquals(null, oversized.get(0).value(), "too large to copy: the value is left out");
      assertEquals(String.valueOf(Feeder.OVERSIZED.length()), header(oversized.get(0),
          Topics.DlqHeaders.VALUE_OMITTED_BYTES));
      assertTrue(header(oversized.get(0), Topics.DlqHeaders.REASON).contains("processed-activities record it produced"),
          header(oversized.get(0), Topics.DlqHeaders.REASON));
      assertEquals(t.topic(Topics.RAW_ACTIVITIES), header(oversized.get(0), Topics.DlqHeaders.SOURCE_TOPIC));
      List<ConsumerRecord<byte[], byte[]>> dlq = out.deadLetters.stream().filter(r -> !oversized.contains(r)).toList();
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
