package org.activitypipeline.speed.poller;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.activitypipeline.common.json.Json;
import org.activitypipeline.common.time.ActivityBuckets;
import org.activitypipeline.common.topic.TopicReadiness;
import org.awaitility.core.ConditionTimeoutException;
import org.activitypipeline.generators.activities.ActivityGenerator;
import org.activitypipeline.generators.activities.WrittenActivity;
import org.activitypipeline.localstack.LocalStack;
import org.activitypipeline.localstack.ServerKind;
import org.activitypipeline.localstack.junit.WithLocalStack;
import org.activitypipeline.speed.testing.SpeedLayerProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The poller as a real process against real Cassandra and Kafka: whatever happens to it (kill -9,
 * Cassandra down while it retries, rows that become visible late), a read_committed consumer of its output
 * sees every Cassandra row exactly once.
 */
@WithLocalStack({ServerKind.CASSANDRA, ServerKind.KAFKA})
class PollerExactlyOnceIT {
  private static final Path WORK = Path.of("target", "poller-it").toAbsolutePath();
  private static final int SHARDS = 8;
  private static final long LATE_WINDOW_MS = 30_000;
  private static final long BACKOFF_MAX_MS = 5_000;

  @Test
  void killedThreeTimesWhileRowsArriveEveryRowExactlyOnce(LocalStack stack) throws Exception {
    Output out = Output.create(stack, "kill");
    List<Long> employees = LongStream.rangeClosed(1, 500).boxed().toList();
    try (SpeedLayerProcess poller = SpeedLayerProcess.of("poller", WORK, "poller-kill", config(stack, out));
        ActivityGenerator generator = generator(stack, 42)) {
      long since = startAndAwaitState(poller);
      // ~30 s of writes at 2,000 rows/s, 6 % with event times minutes to hours in the past: the three
      // kills below come after 10,000, 20,000 and 30,000 rows, so rows keep arriving after the last one.
      CompletableFuture<List<WrittenActivity>> writing =
          CompletableFuture.supplyAsync(() -> generator.write(60_000, employees, 0.06, 0.1, 2_000));
      // Kill it each time it has emitted another 10,000 rows, i.e. mid-stream, with a transaction
      // likely open: its rows must neither be lost nor show up twice.
      try (Output.Tail tail = out.tail()) {
        for (int kill = 0; kill < 3; kill++) {
          long target = tail.distinct() + 10_000;
          await("poller emitted 10,000 more rows before kill " + (kill + 1)).atMost(Duration.ofMinutes(2))
              .until(() -> tail.distinct() >= target);
          poller.kill();
          poller.start();
        }
      }
      List<WrittenActivity> written = writing.get();
      long late = written.stream().filter(WrittenActivity::late).count();
      assertTrue(late >= written.size() / 20, "at least 5 % late rows, was " + late + " of " + written.size());

      Set<UUID> inCassandra = scanTable(stack, since);
      assertTrue(inCassandra.containsAll(written.stream().map(WrittenActivity::activityId).toList()));
      Map<UUID, Integer> seen = out.awaitIds(inCassandra.size(), Duration.ofMinutes(3));
      assertExactlyOnce(inCassandra, seen);
      assertTrue(poller.isAlive(), "the poller survived");
      poller.stopCleanly();
    }
  }

  /**
   * Scale-out and fail-over: two pollers of one group split the shards; one is killed ({@code kill -9})
   * and the other takes its shards over; it comes back and they split again; then the other is stalled
   * ({@code SIGSTOP}) past the session timeout, likely with a transaction open, its shards go over, and
   * when it wakes it must not commit rows for shards it lost. Rows arrive throughout; every row exactly once.
   */
  @Test
  void twoPollersSplitTheShardsAndTakeOverFromAKilledOrStalledOneEveryRowExactlyOnce(LocalStack stack)
      throws Exception {
    Output out = Output.create(stack, "pair");
    List<Long> employees = LongStream.rangeClosed(1, 500).boxed().toList();
    Map<String, String> configA = config(stack, out);
    Map<String, String> configB = new LinkedHashMap<>(configA);
    configB.put("kafka.transactional.id", out.transactionalId() + "-b");
    try (SpeedLayerProcess a = SpeedLayerProcess.of("poller", WORK, "poller-pair-a", configA);
        SpeedLayerProcess b = SpeedLayerProcess.of("poller", WORK, "poller-pair-b", configB);
        ActivityGenerator generator = generator(stack, 7);
        Output.Tail tail = out.tail()) {
      long since = startAndAwaitState(a);
      b.start();
      awaitShards(b, s -> !s.isEmpty() && s.size() < SHARDS, "b owns a share");
      awaitShards(a, s -> !s.isEmpty() && s.size() < SHARDS, "a gave b its share");
      // ~50 s of writes at 1,000 rows/s, 5 % late and 10 % out of order, through every step below
      CompletableFuture<List<WrittenActivity>> writing =
          CompletableFuture.supplyAsync(() -> generator.write(50_000, employees, 0.05, 0.1, 1_000));
      awaitEmitted(tail, 6_000);

      b.kill(); // kill -9, likely in a transaction
      long killed = System.nanoTime();
      awaitShards(a, s -> s.size() == SHARDS, "a took over every shard of the killed b");
      System.out.printf("poller pair: a owned every shard %.1f s after b was killed%n",
          (System.nanoTime() - killed) / 1e9);
      awaitEmitted(tail, 6_000);

      b.start();
      awaitShards(b, s -> !s.isEmpty() && s.size() < SHARDS, "the restarted b owns a share again");
      awaitEmitted(tail, 6_000);

      a.suspend(); // SIGSTOP past the session timeout
      long stalled = System.nanoTime();
      awaitShards(b, s -> s.size() == SHARDS, "b took over every shard of the stalled a");
      System.out.printf("poller pair: b owned every shard %.1f s after a was stalled%n",
          (System.nanoTime() - stalled) / 1e9);
      awaitEmitted(tail, 4_000);
      a.resume();
      awaitShards(a, s -> !s.isEmpty() && s.size() < SHARDS, "the woken a rejoined with a share");

      List<WrittenActivity> written = writing.get();
      Set<UUID> inCassandra = scanTable(stack, since);
      assertTrue(inCassandra.containsAll(written.stream().map(WrittenActivity::activityId).toList()));
      Map<UUID, Integer> seen = out.awaitIds(inCassandra.size(), Duration.ofMinutes(3));
      assertExactlyOnce(inCassandra, seen);
      assertTrue(a.isAlive() && b.isAlive(), "both pollers survived");
      a.stopCleanly();
      b.stopCleanly();
    }
  }

  /** Waits until the shards {@code poller} last logged as its own satisfy {@code condition}. */
  private static void awaitShards(SpeedLayerProcess poller, java.util.function.Predicate<Set<Integer>> condition,
                                  String what) {
    Pattern assigned = Pattern.compile("event=shards_assigned shards=\\[([0-9, ]*)\\]");
    await(what).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
      Matcher m = assigned.matcher(poller.logText());
      String last = null;
      while (m.find()) {
        last = m.group(1);
      }
      if (last == null) {
        return false;
      }
      Set<Integer> shards = new HashSet<>();
      for (String part : last.split(",")) {
        if (!part.isBlank()) {
          shards.add(Integer.parseInt(part.trim()));
        }
      }
      return condition.test(shards);
    });
  }

  private static void awaitEmitted(Output.Tail tail, int more) {
    long target = tail.distinct() + more;
    await("the pollers emitted " + more + " more rows").atMost(Duration.ofMinutes(2)).until(() -> tail.distinct() >= target);
  }

  @Test
  void cassandraDownUntilRetriesReachTheirLongestBackoffNothingLostNothingDuplicated(LocalStack stack)
      throws Exception {
    Output out = Output.create(stack, "outage");
    List<Long> employees = LongStream.rangeClosed(1, 100).boxed().toList();
    try (SpeedLayerProcess poller = SpeedLayerProcess.of("poller", WORK, "poller-outage", config(stack, out))) {
      long since = startAndAwaitState(poller);
      try (ActivityGenerator generator = generator(stack, 7)) {
        generator.write(3_000, employees, 0.05, 0.1, 1_000);
      }
      int logMark = poller.logText().length();
      stack.server(ServerKind.CASSANDRA).stop();
      // Down long enough that the poller failed again and again, its backoff doubling up to retry.backoff.max.
      await("failed polls back off to retry.backoff.max while Cassandra is down").atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> poller.logText().substring(logMark).contains("event=poll_failed")
              && poller.logText().substring(logMark).contains("retry_in_ms=" + BACKOFF_MAX_MS));
      assertTrue(poller.isAlive(), "no crash while Cassandra is down");
      stack.server(ServerKind.CASSANDRA).start();
      try (ActivityGenerator generator = generator(stack, 8)) {
        generator.write(3_000, employees, 0.05, 0.1, 1_000);
      }
      Set<UUID> inCassandra = scanTable(stack, since);
      assertTrue(inCassandra.size() >= 6_000, "both batches are in Cassandra: " + inCassandra.size());
      Map<UUID, Integer> seen = out.awaitIds(inCassandra.size(), Duration.ofMinutes(3));
      assertExactlyOnce(inCassandra, seen);
      poller.stopCleanly();
    }
  }

  @Test
  void rowsThatBecomeVisibleLateAreEmittedOnce(LocalStack stack) throws Exception {
    Output out = Output.create(stack, "skew");
    try (SpeedLayerProcess poller = SpeedLayerProcess.of("poller", WORK, "poller-skew", config(stack, out));
        CqlSession session = session(stack)) {
      long since = startAndAwaitState(poller);
      PreparedStatement insert = session.prepare("INSERT INTO activity.employee_activity (ingest_hour, shard,"
          + " activity_id, employee_id, activity_type, device_type, duration_seconds, event_time)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
      Random random = new Random(3);
      Set<UUID> skewed = new HashSet<>();
      // Once the committed watermark is within 5 s of now, write rows stamped 12 s in the past, as a
      // writer whose clock is 12 s behind would: they appear behind the watermark.
      out.awaitCommittedWatermark(Instant.now().minusSeconds(5), Duration.ofMinutes(1));
      for (int i = 0; i < 200; i++) {
        long writeMs = System.currentTimeMillis() - 12_000;
        UUID id = new UUID(Uuids.startOf(writeMs).getMostSignificantBits(),
            (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L);
        skewed.add(id);
        session.execute(insert.bind(ActivityBuckets.ingestHour(Instant.ofEpochMilli(writeMs)),
            ActivityBuckets.shardOf(id, SHARDS), id, 1L + i % 10, "login", "laptop", 30, Instant.ofEpochMilli(writeMs)));
        Thread.sleep(20);
      }
      Set<UUID> inCassandra = scanTable(stack, since);
      assertTrue(inCassandra.containsAll(skewed));
      Map<UUID, Integer> seen = out.awaitIds(inCassandra.size(), Duration.ofMinutes(2));
      assertExactlyOnce(inCassandra, seen);
      assertTrue(poller.logText().contains("event=late_visible_rows"), "the second look found them:\n" + tail(poller));
      poller.stopCleanly();
    }
  }

  /**
   * Rows that are not activities (a column missing, a negative duration, an empty type) go to the
   * dead-letter topic once each, with a reason naming the column, in the poll that finds them, and so
   * does a valid row too large for a Kafka record (as a bounded reference, not its payload); the
   * rows around them flow; a kill -9 and restart while they are still inside the late window (so the
   * restarted poller's second look reads them again) dead-letters none of them twice.
   */
  @Test
  void invalidAndOversizedRowsAreDeadLetteredOnceEachAndTheRowsAroundThemFlow(LocalStack stack) throws Exception {
    Output out = Output.create(stack, "invalid");
    try (SpeedLayerProcess poller = SpeedLayerProcess.of("poller", WORK, "poller-invalid", config(stack, out));
        CqlSession session = session(stack)) {
      long since = startAndAwaitState(poller);
      PreparedStatement insert = session.prepare("INSERT INTO activity.employee_activity (ingest_hour, shard,"
          + " activity_id, employee_id, activity_type, device_type, duration_seconds, event_time)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
      Map<UUID, String> invalid = new HashMap<>();
      Set<UUID> valid = new HashSet<>();
      long lastWrite = 0;
      for (int i = 0; i < 44; i++) {
        UUID id = Uuids.timeBased();
        lastWrite = ActivityBuckets.writeTimeMillis(id);
        Instant event = Instant.ofEpochMilli(lastWrite - 1_000);
        Long employee = 1L + i;
        String type = "login";
        Integer duration = 30;
        String reason = null;
        switch (i) {
          case 20 -> { employee = null; reason = "employee_id is missing"; }
          case 21 -> { event = null; reason = "event_time is missing"; }
          case 22 -> { duration = -5; reason = "duration_seconds is negative (-5)"; }
          case 23 -> { type = ""; reason = "activity_type is missing or empty"; }
          default -> { }
        }
        session.execute(insert.bind(ActivityBuckets.ingestHour(Instant.ofEpochMilli(lastWrite)),
            ActivityBuckets.shardOf(id, SHARDS), id, employee, type, "laptop", duration, event));
        if (reason == null) {
          valid.add(id);
        } else {
          invalid.put(id, reason);
        }
      }
      // A valid row Kafka cannot take (1.5 MB of metadata): dead-lettered as a bounded reference.
      UUID huge = Uuids.timeBased();
      session.execute(session.prepare("INSERT INTO activity.employee_activity (ingest_hour, shard, activity_id,"
          + " employee_id, activity_type, device_type, duration_seconds, event_time, metadata)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)").bind(
          ActivityBuckets.ingestHour(Instant.ofEpochMilli(ActivityBuckets.writeTimeMillis(huge))),
          ActivityBuckets.shardOf(huge, SHARDS), huge, 7L, "file_access", "laptop", 10, Instant.now(),
          Map.of("blob", "x".repeat(1_500_000))));
      for (int i = 0; i < 10; i++) { // and rows after it
        UUID id = Uuids.timeBased();
        lastWrite = ActivityBuckets.writeTimeMillis(id);
        session.execute(insert.bind(ActivityBuckets.ingestHour(Instant.ofEpochMilli(lastWrite)),
            ActivityBuckets.shardOf(id, SHARDS), id, 100L + i, "login", "laptop", 30, Instant.ofEpochMilli(lastWrite)));
        valid.add(id);
      }
      Set<UUID> inCassandra = scanTable(stack, since);
      assertTrue(inCassandra.containsAll(valid));
      assertFalse(inCassandra.contains(huge) || inCassandra.stream().anyMatch(invalid::containsKey),
          "the reference leaves out the rows the poller must refuse");
      assertExactlyOnce(inCassandra, out.awaitIds(inCassandra.size(), Duration.ofMinutes(2)));

      poller.kill(); // the invalid rows are still inside the late window: the restart reads them again
      poller.start();
      out.awaitCommittedWatermark(Instant.ofEpochMilli(lastWrite + LATE_WINDOW_MS + 2_000), Duration.ofMinutes(2));
      Map<UUID, List<String>> dead = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> r : out.deadLetters()) {
        assertEquals("poller", new String(r.headers().lastHeader("dlq.stage").value(), StandardCharsets.UTF_8));
        UUID id = UUID.fromString(new String(r.headers().lastHeader("activity_id").value(), StandardCharsets.UTF_8));
        dead.computeIfAbsent(id, k -> new ArrayList<>())
            .add(new String(r.headers().lastHeader("dlq.reason").value(), StandardCharsets.UTF_8));
        assertEquals(id.toString(), Json.mapper().readTree(r.value()).get("activity_id").asText());
      }
      List<String> hugeReasons = dead.remove(huge);
      assertEquals(1, hugeReasons == null ? 0 : hugeReasons.size(), "the oversized row dead-lettered once: " + dead);
      assertTrue(hugeReasons.get(0).contains("bytes as JSON, more than"), hugeReasons.get(0));
      for (ConsumerRecord<byte[], byte[]> r : out.deadLetters()) {
        assertTrue(r.value().length < 4_096, "a bounded reference, not the payload: " + r.value().length + " bytes");
      }
      Map<UUID, List<String>> expected = new HashMap<>();
      invalid.forEach((id, reason) -> expected.put(id, List.of(reason)));
      assertEquals(expected, dead, "each invalid row dead-lettered once, with the column named");
      assertTrue(poller.isAlive(), "no stall, no crash");
      assertFalse(poller.logText().contains("event=poll_failed"), "no poll failed on them:\n" + tail(poller));
      assertTrue(poller.logText().contains("event=row_rejected"), tail(poller));
      poller.stopCleanly();
    }
  }

  // ---- helpers ----

  /** A test's own output and state topics, and a consumer of the output. */
  record Output(String bootstrap, String topic, String stateTopic, String dlqTopic, String transactionalId,
                String shardsTopic, String groupId) {
    static Output create(LocalStack stack, String name) throws Exception {
      String suffix = name + "-" + UUID.randomUUID().toString().substring(0, 8);
      Output o = new Output(stack.connectionProperties().get("kafka.bootstrap.servers"), "raw-activities-it-" + suffix,
          "poller-state-it-" + suffix, "pipeline-dlq-it-" + suffix, "poller-it-" + suffix,
          "poller-shards-it-" + suffix, "poller-group-it-" + suffix);
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", o.bootstrap))) {
        TopicReadiness.create(admin, List.of(new NewTopic(o.topic, 6, (short) 1),
            new NewTopic(o.stateTopic, 1, (short) 1).configs(Map.of("cleanup.policy", "compact")),
            new NewTopic(o.dlqTopic, 3, (short) 1), new NewTopic(o.shardsTopic, SHARDS, (short) 1)),
            Duration.ofMinutes(1));
      }
      return o;
    }

    /** Every record of the dead-letter topic so far (read_committed). */
    List<ConsumerRecord<byte[], byte[]>> deadLetters() {
      Map<String, Object> props = new HashMap<>();
      props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
      try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
          new ByteArrayDeserializer())) {
        List<TopicPartition> parts = c.partitionsFor(dlqTopic).stream()
            .map(i -> new TopicPartition(dlqTopic, i.partition())).toList();
        c.assign(parts);
        c.seekToBeginning(parts);
        Map<TopicPartition, Long> end = c.endOffsets(parts);
        while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
          c.poll(Duration.ofMillis(200)).forEach(out::add);
        }
      }
      return out;
    }

    /** Waits until the poller's committed watermark (its state topic, read_committed) is at or after {@code target}. */
    void awaitCommittedWatermark(Instant target, Duration limit) {
      Map<String, Object> props = new HashMap<>();
      props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
          new ByteArrayDeserializer())) {
        List<TopicPartition> partitions = List.of(new TopicPartition(stateTopic, 0));
        c.assign(partitions);
        c.seekToBeginning(partitions);
        Map<String, Long> byShard = new HashMap<>();
        await("the poller's committed watermark (of every shard) reaches " + target).atMost(limit)
            .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).until(() -> {
              for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                byShard.put(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8),
                    Json.mapper().readTree(r.value()).get("watermark_ms").asLong());
              }
              return byShard.size() == SHARDS
                  && byShard.values().stream().allMatch(w -> w >= target.toEpochMilli());
            });
      }
    }

    /** A background reader counting the distinct ids emitted so far (progress, not verification). */
    Tail tail() {
      return new Tail(this);
    }

    static final class Tail implements AutoCloseable {
      private final Set<UUID> ids = ConcurrentHashMap.newKeySet();
      private final Thread thread;
      private volatile boolean running = true;

      Tail(Output out) {
        thread = new Thread(() -> {
          try (KafkaConsumer<byte[], byte[]> c = out.consumer("tail-")) {
            while (running) {
              c.poll(Duration.ofMillis(200)).forEach(r -> ids.add(UUID.fromString(
                  new String(r.headers().lastHeader("activity_id").value(), StandardCharsets.UTF_8))));
            }
          }
        }, "tail-" + out.topic);
        thread.start();
      }

      int distinct() {
        return ids.size();
      }

      @Override
      public void close() throws InterruptedException {
        running = false;
        thread.join();
      }
    }

    KafkaConsumer<byte[], byte[]> consumer(String groupPrefix) {
      Map<String, Object> props = new HashMap<>();
      props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      props.put(ConsumerConfig.GROUP_ID_CONFIG, groupPrefix + topic);
      props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
          new ByteArrayDeserializer());
      c.subscribe(List.of(topic));
      return c;
    }

    /** activity id -> times seen, once {@code expected} distinct ids arrived and 5 s passed quietly. */
    Map<UUID, Integer> awaitIds(int expected, Duration timeout) {
      Map<UUID, Integer> seen = new ConcurrentHashMap<>();
      try (KafkaConsumer<byte[], byte[]> consumer = consumer("verify-")) {
        long[] quietSince = {Long.MAX_VALUE};
        try {
          await("all " + expected + " rows on " + topic).atMost(timeout).pollDelay(Duration.ZERO)
              .pollInterval(Duration.ofMillis(10)).until(() -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                  UUID id = UUID.fromString(new String(r.headers().lastHeader("activity_id").value(),
                      StandardCharsets.UTF_8));
                  seen.merge(id, 1, Integer::sum);
                }
                if (seen.size() < expected) {
                  quietSince[0] = Long.MAX_VALUE;
                  return false;
                }
                quietSince[0] = Math.min(quietSince[0], System.nanoTime());
                return System.nanoTime() - quietSince[0] > Duration.ofSeconds(5).toNanos();
              });
        } catch (ConditionTimeoutException e) {
          // fall through: assertExactlyOnce says which rows are missing, which says more than a timeout
        }
      }
      return seen;
    }
  }

  /**
   * Starts a new poller and waits until it loaded its (empty) state. Returns the earliest write time
   * it will emit: its first polls take their second look at the late window before its initial
   * watermark, so rows of earlier tests written in that window are (rightly) emitted too.
   */
  private static long startAndAwaitState(SpeedLayerProcess poller) throws Exception {
    poller.start();
    Pattern loaded = Pattern.compile("event=state_loaded shards=\\[[^\\]]+\\] watermark=(\\S+)");
    Matcher[] m = new Matcher[1];
    await("poller loaded its state").atMost(Duration.ofSeconds(60))
        .until(() -> (m[0] = loaded.matcher(poller.logText())).find());
    // the second look reads (watermark - late window, ...]: exclusive at the lower end
    return Instant.parse(m[0].group(1)).toEpochMilli() - LATE_WINDOW_MS + 1;
  }

  private static void assertExactlyOnce(Set<UUID> inCassandra, Map<UUID, Integer> seen) {
    Set<UUID> missing = new HashSet<>(inCassandra);
    missing.removeAll(seen.keySet());
    Set<UUID> unexpected = new HashSet<>(seen.keySet());
    unexpected.removeAll(inCassandra);
    long duplicated = seen.values().stream().filter(n -> n > 1).count();
    assertEquals(0, missing.size(), "rows never emitted (of " + inCassandra.size() + "): " + first(missing));
    assertEquals(0, unexpected.size(), "emitted rows not in Cassandra: " + first(unexpected));
    assertEquals(0, duplicated, "rows emitted more than once");
  }

  private static Map<String, String> config(LocalStack stack, Output out) {
    Map<String, String> p = stack.connectionProperties();
    Map<String, String> c = new LinkedHashMap<>();
    c.put("kafka.bootstrap.servers", out.bootstrap);
    c.put("kafka.transactional.id", out.transactionalId);
    c.put("topic.raw-activities", out.topic);
    c.put("topic.state", out.stateTopic);
    c.put("topic.dlq", out.dlqTopic);
    c.put("topic.shards", out.shardsTopic);
    c.put("poll.group.id", out.groupId);
    c.put("cassandra.contact.point", p.get("cassandra.contact.points"));
    c.put("cassandra.local.datacenter", p.get("cassandra.local.datacenter"));
    c.put("poll.shards", String.valueOf(SHARDS));
    c.put("poll.late.window", LATE_WINDOW_MS + "ms");
    // Start at "now": each test expects exactly the rows written after its poller first started.
    c.put("poll.initial.lookback", "0s");
    c.put("retry.backoff.max", BACKOFF_MAX_MS + "ms");
    c.put("metrics.port", "0");
    return c;
  }

  private static ActivityGenerator generator(LocalStack stack, long seed) {
    Map<String, String> p = stack.connectionProperties();
    return ActivityGenerator.connect(p.get("cassandra.contact.points"), p.get("cassandra.local.datacenter"),
        "activity", SHARDS, seed);
  }

  private static CqlSession session(LocalStack stack) {
    Map<String, String> p = stack.connectionProperties();
    String[] hp = p.get("cassandra.contact.points").split(":");
    return CqlSession.builder().addContactPoint(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])))
        .withLocalDatacenter(p.get("cassandra.local.datacenter")).build();
  }

  /** Every activity id in the table with a write time at or after {@code sinceMs}. */
  private static Set<UUID> scanTable(LocalStack stack, long sinceMs) {
    Set<UUID> ids = new HashSet<>();
    try (CqlSession session = session(stack)) {
      for (Row row : session.execute("SELECT activity_id, employee_id, activity_type, device_type, duration_seconds,"
          + " event_time, metadata FROM activity.employee_activity")) {
        UUID id = row.getUuid(0);
        if (ActivityBuckets.writeTimeMillis(id) >= sinceMs && isActivityKafkaCanTake(row)) {
          ids.add(id);
        }
      }
    }
    return ids;
  }

  /**
   * The rows the poller must emit: valid activities (every required column, duration not negative)
   * small enough for one Kafka record. The others go to the dead-letter topic.
   */
  private static boolean isActivityKafkaCanTake(Row row) {
    String type = row.getString("activity_type");
    String device = row.getString("device_type");
    boolean valid = !row.isNull("employee_id") && !row.isNull("event_time") && type != null && !type.isBlank()
        && device != null && !device.isBlank() && !row.isNull("duration_seconds") && row.getInt("duration_seconds") >= 0;
    long metadataChars = row.getMap("metadata", String.class, String.class).entrySet().stream()
        .mapToLong(e -> e.getKey().length() + e.getValue().length()).sum();
    return valid && metadataChars < 1_000_000;
  }

  private static String first(Set<UUID> ids) {
    return ids.size() + " e.g. " + new ArrayList<>(ids).subList(0, Math.min(5, ids.size()));
  }

  private static String tail(SpeedLayerProcess p) {
    String text = p.logText();
    return text.substring(Math.max(0, text.length() - 4000));
  }
}
