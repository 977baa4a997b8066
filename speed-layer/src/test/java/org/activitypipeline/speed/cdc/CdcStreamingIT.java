package org.activitypipeline.speed.cdc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.activitypipeline.common.event.CdcProgress;
import org.activitypipeline.common.topic.Topics;
import org.activitypipeline.generators.employees.AppliedChange;
import org.activitypipeline.generators.employees.EmployeeGenerator;
import org.activitypipeline.localstack.LocalStack;
import org.activitypipeline.localstack.ServerKind;
import org.activitypipeline.localstack.junit.WithLocalStack;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/** The cdc process against real PostgreSQL and Kafka: order, op and LSN, schema change, heartbeat. */
@WithLocalStack({ServerKind.POSTGRES, ServerKind.KAFKA})
class CdcStreamingIT {
  static final String EMPLOYEES = Topics.CDC_EMPLOYEES.name();

  @Test
  void everyChangeArrivesOnceInCommitOrderPerKeyWithOpAndLsn(LocalStack stack) throws Exception {
    CdcTestStack t = new CdcTestStack(stack);
    String name = CdcTestStack.uniqueName("it_order");
    Set<Long> mine = ConcurrentHashMap.newKeySet();
    // Expected per key, in commit order: "c:<title>", "u:<title>", "d".
    Map<Long, List<String>> expected = new ConcurrentHashMap<>();
    try (CdcTopicReader reader = new CdcTopicReader(t.bootstrap(), EMPLOYEES, "employee_id", mine::contains);
        CdcTestStack.InProcessCdc cdc = t.startInProcess(t.cdcSettings(name))) {
      long dept;
      try (Connection c = t.app()) {
        dept = EmployeeWrites.department(c, "Order " + name);
      }
      // Two writers on disjoint employees, concurrently: commits of both interleave in the WAL.
      ExecutorService writers = Executors.newFixedThreadPool(2);
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        int writer = w;
        done.add(writers.submit(() -> {
          writeRandomChanges(t, name + "-w" + writer, dept, new Random(42 + writer), mine, expected);
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      writers.shutdown();
      int total = expected.values().stream().mapToInt(List::size).sum();

      await("all " + total + " changes in " + EMPLOYEES).atMost(Duration.ofSeconds(60))
          .until(() -> reader.poll(Duration.ofMillis(200)).size() >= total);
      reader.poll(Duration.ofSeconds(1)); // anything extra (a duplicate) would show up now

      Map<Long, List<CdcEvent>> byKey = reader.events().stream()
          .collect(Collectors.groupingBy(CdcEvent::id, LinkedHashMap::new, Collectors.toList()));
      assertEquals(expected.keySet(), byKey.keySet());
      for (var e : expected.entrySet()) {
        List<CdcEvent> events = byKey.get(e.getKey());
        assertEquals(e.getValue(), events.stream().map(CdcStreamingIT::describe).toList(),
            "employee " + e.getKey() + ": every change exactly once, in commit order");
        long previous = -1;
        for (CdcEvent ev : events) {
          assertTrue(ev.lsn() > previous, "LSN grows per key: " + events);
          assertEquals(ev.lsn(), ev.headerLsn(), "header cdc.lsn = source.lsn");
          assertEquals(events.get(0).partition(), ev.partition(), "one partition per key");
          previous = ev.lsn();
        }
      }
      assertEquals(0.0, cdc.metrics().restarts());
    } finally {
      t.dropSlot(name);
    }
  }

  @Test
  void employeeGeneratorChangesArriveOnceInCommitOrderWithOpAndLsn(LocalStack stack) throws Exception {
    CdcTestStack t = new CdcTestStack(stack);
    String name = CdcTestStack.uniqueName("it_generator");
    Set<Long> touched = ConcurrentHashMap.newKeySet();
    try (CdcTopicReader reader = new CdcTopicReader(t.bootstrap(), EMPLOYEES, "employee_id", touched::contains);
        CdcTestStack.InProcessCdc cdc = t.startInProcess(t.cdcSettings(name));
        EmployeeGenerator generator = EmployeeGenerator.connect(t.jdbcUrl(), t.props.get("postgres.user"),
            t.props.get("postgres.password"), 7)) {
      generator.seed(6, 300); // a no-op when earlier tests left employees: it then works on those
      List<AppliedChange> applied = generator.applyChanges(400); // hires, raises, moves, status, deletes
      Map<Long, List<String>> expected = new LinkedHashMap<>();
      for (AppliedChange change : applied) {
        touched.add(change.employeeId());
        expected.computeIfAbsent(change.employeeId(), k -> new ArrayList<>()).add(change.op().debeziumCode());
      }
      await("all " + applied.size() + " generator changes in " + EMPLOYEES).atMost(Duration.ofSeconds(60))
          .until(() -> reader.poll(Duration.ofMillis(200)).size() >= applied.size());
      reader.poll(Duration.ofSeconds(1));

      Map<Long, List<CdcEvent>> byKey = reader.events().stream()
          .collect(Collectors.groupingBy(CdcEvent::id, LinkedHashMap::new, Collectors.toList()));
      for (var e : expected.entrySet()) {
        List<CdcEvent> events = byKey.getOrDefault(e.getKey(), List.of());
        assertEquals(e.getValue(), events.stream().map(CdcEvent::op).toList(),
            "employee " + e.getKey() + ": the generator's changes, once each, in commit order");
        for (int i = 1; i < events.size(); i++) {
          assertTrue(events.get(i).lsn() > events.get(i - 1).lsn(), "LSN grows per key");
        }
        events.forEach(ev -> assertEquals(ev.lsn(), ev.headerLsn()));
      }
      assertEquals(applied.size(), reader.events().size(), "nothing else, nothing twice");
    } finally {
      t.dropSlot(name);
    }
  }

  @Test
  void cleanStopAndRestartSendsNothingTwice(LocalStack stack) throws Exception {
    CdcTestStack t = new CdcTestStack(stack);
    String name = CdcTestStack.uniqueName("it_clean");
    Set<Long> mine = ConcurrentHashMap.newKeySet();
    try (CdcTopicReader reader = new CdcTopicReader(t.bootstrap(), EMPLOYEES, "employee_id", mine::contains);
        Connection c = t.app()) {
      long dept = EmployeeWrites.department(c, "Clean " + name);
      List<Long> ids = new ArrayList<>();
      try (CdcTestStack.InProcessCdc cdc = t.startInProcess(t.cdcSettings(name))) {
        for (int i = 0; i < 30; i++) {
          long id = EmployeeWrites.insert(c, name + "-" + i + "@example.com", dept, "first");
          mine.add(id);
          ids.add(id);
        }
        await("first run's changes").atMost(Duration.ofSeconds(30))
            .until(() -> reader.poll(Duration.ofMillis(200)).size() >= 30);
      } // SIGTERM path: drain, stop the engine, store positions
      for (long id : ids) {
        EmployeeWrites.setTitle(c, id, "while-stopped");
      }
      try (CdcTestStack.InProcessCdc cdc = t.startInProcess(t.cdcSettings(name))) {
        for (long id : ids) {
          EmployeeWrites.setTitle(c, id, "second");
        }
        await("changes made while stopped and after the restart").atMost(Duration.ofSeconds(45))
            .until(() -> reader.poll(Duration.ofMillis(200)).size() >= 90);
        reader.poll(Duration.ofSeconds(2));
      }
      Map<String, Long> counts = reader.events().stream()
          .collect(Collectors.groupingBy(e -> e.id() + ":" + e.after("job_title"), Collectors.counting()));
      assertEquals(90, counts.size(), "every change");
      assertEquals(Set.of(1L), new HashSet<>(counts.values()), "none twice after a clean stop: " + counts);
    } finally {
      t.dropSlot(name);
    }
  }

  @Test
  void addedColumnFlowsThroughWithoutRestart(LocalStack stack) throws Exception {
    CdcTestStack t = new CdcTestStack(stack);
    String name = CdcTestStack.uniqueName("it_alter");
    Set<Long> mine = ConcurrentHashMap.newKeySet();
    try (CdcTopicReader reader = new CdcTopicReader(t.bootstrap(), EMPLOYEES, "employee_id", mine::contains);
        CdcTestStack.InProcessCdc cdc = t.startInProcess(t.cdcSettings(name));
        Connection c = t.app()) {
      long id = EmployeeWrites.insert(c, name + "@example.com", EmployeeWrites.department(c, "Alter"), "before");
      mine.add(id);
      await("insert before the ALTER").atMost(Duration.ofSeconds(30))
          .until(() -> reader.poll(Duration.ofMillis(200)).size() >= 1);

      try (Statement st = c.createStatement()) {
        st.execute("ALTER TABLE employees ADD COLUMN IF NOT EXISTS badge TEXT");
        st.executeUpdate("UPDATE employees SET badge = 'B-" + id + "', job_title = 'after' WHERE employee_id = " + id);
      }
      await("update after the ALTER carries the new column").atMost(Duration.ofSeconds(30))
          .until(() -> reader.poll(Duration.ofMillis(200)).size() >= 2);
      CdcEvent updated = reader.events().get(1);
      assertEquals("u", updated.op());
      assertEquals("B-" + id, updated.after("badge"));
      assertEquals("after", updated.after("job_title"));
      assertNull(reader.events().get(0).after("badge"), "the event from before the ALTER has no badge value");
      assertEquals(0.0, cdc.metrics().restarts(), "no restart of the engine");
      assertTrue(cdc.supervisor().isHealthy());
    } finally {
      t.dropSlot(name);
    }
  }

  @Test
  void heartbeatMovesTheSlotWhileCapturedTablesAreIdle(LocalStack stack) throws Exception {
    CdcTestStack t = new CdcTestStack(stack);
    String name = CdcTestStack.uniqueName("it_heartbeat");
    Map<String, String> settings = t.cdcSettings(name);
    settings.put("heartbeat.interval", "1s");
    List<TopicPartition> parts = new ArrayList<>();
    for (int p = 0; p < Topics.CDC_EMPLOYEES.partitions(); p++) {
      parts.add(new TopicPartition(EMPLOYEES, p));
    }
    parts.add(new TopicPartition(Topics.CDC_DEPARTMENTS.name(), 0));
    Map<TopicPartition, List<CdcProgress>> progress = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> reader = progressReader(t.bootstrap(), parts);
        CdcTestStack.InProcessCdc cdc = t.startInProcess(settings)) {
      long start = t.confirmedFlushLsn(name);
      // No employee or department changes: only the heartbeat's own UPDATE of cdc_heartbeat.
      await("confirmed_flush_lsn of " + name + " advances past " + start).atMost(Duration.ofSeconds(45))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> t.confirmedFlushLsn(name) > start);
      long first = t.confirmedFlushLsn(name);
      await("and keeps advancing").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
          .until(() -> t.confirmedFlushLsn(name) > first);
      assertEquals(-1, cdc.metrics().lastLsn(), "no change was sent to Kafka");
      // Each heartbeat's row change became a progress record on every partition of both captured topics.
      await("two progress records on each of " + parts).atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200)).until(() -> {
            for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(100))) {
              assertNotNull(r.headers().lastHeader(CdcProgress.HEADER), "only progress records while idle: " + r);
              progress.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), k -> new ArrayList<>())
                  .add(CdcProgress.fromJson(r.value()));
            }
            return parts.stream().allMatch(tp -> progress.getOrDefault(tp, List.of()).size() >= 2);
          });
      long now = System.currentTimeMillis();
      for (TopicPartition tp : parts) {
        List<CdcProgress> seen = progress.get(tp);
        for (int i = 1; i < seen.size(); i++) {
          assertTrue(seen.get(i).commitMillis() >= seen.get(i - 1).commitMillis(), tp + " in commit order: " + seen);
          assertTrue(seen.get(i).lsn() > seen.get(i - 1).lsn(), tp + " in LSN order: " + seen);
        }
        long last = seen.get(seen.size() - 1).commitMillis();
        assertTrue(last <= now && last > now - 30_000, tp + ": the last progress is a recent commit time: " + last);
      }
      assertTrue(cdc.metrics().lastProgressMillis() > 0);
    } finally {
      t.dropSlot(name);
    }
  }

  /**
   * A row with a 2 MB column: its change cannot be a Kafka record. It goes to the dead-letter topic as
   * a reference (key, op, LSN, size; no values), and the changes before and after it flow (the next
   * one without its 2 MB before image), without an engine restart (before: the batch's transaction
   * failed on every retry and cdc stalled).
   */
  @Test
  void aChangeTooLargeForKafkaIsDeadLetteredAsAReferenceAndCdcGoesOn(LocalStack stack) throws Exception {
    CdcTestStack t = new CdcTestStack(stack);
    String name = CdcTestStack.uniqueName("it_large");
    String dlq = "pipeline-dlq-" + name.replace('_', '-');
    try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
        Map.of("bootstrap.servers", t.bootstrap()))) {
      org.activitypipeline.common.topic.TopicReadiness.create(admin,
          List.of(new org.apache.kafka.clients.admin.NewTopic(dlq, 1, (short) 1)), Duration.ofMinutes(1));
    }
    Set<Long> mine = ConcurrentHashMap.newKeySet();
    Map<String, String> settings = t.cdcSettings(name);
    settings.put("topic.dlq", dlq);
    try (CdcTopicReader reader = new CdcTopicReader(t.bootstrap(), EMPLOYEES, "employee_id", mine::contains);
        KafkaConsumer<byte[], byte[]> dead = progressReader(t.bootstrap(), List.of(new TopicPartition(dlq, 0)));
        CdcTestStack.InProcessCdc cdc = t.startInProcess(settings)) {
      long id;
      try (Connection c = t.app()) {
        long dept = EmployeeWrites.department(c, "Large " + name);
        id = EmployeeWrites.insert(c, name + "@example.com", dept, "before");
        mine.add(id);
        EmployeeWrites.setTitle(c, id, "x".repeat(2 * 1024 * 1024));
        EmployeeWrites.setTitle(c, id, "after");
      }
      await("the changes around the large one arrive").atMost(Duration.ofSeconds(60))
          .until(() -> reader.poll(Duration.ofMillis(200)).size() >= 2);
      List<CdcEvent> events = reader.poll(Duration.ofSeconds(2));
      assertEquals(List.of("c:before", "u:after"), events.stream()
          .map(e -> e.op() + ":" + e.after().get("job_title").asText()).toList());
      List<ConsumerRecord<byte[], byte[]>> refs = new ArrayList<>();
      await("the reference in the dead-letter topic").atMost(Duration.ofSeconds(30))
          .until(() -> {
            dead.poll(Duration.ofMillis(200)).forEach(refs::add);
            return !refs.isEmpty();
          });
      assertEquals(1, refs.size());
      String ref = new String(refs.get(0).value(), java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(ref.length() < 1_000 && ref.contains("\"op\":\"u\"") && !ref.contains("xxxx"),
          "a bounded reference without the row's values: " + ref);
      assertTrue(new String(refs.get(0).key(), java.nio.charset.StandardCharsets.UTF_8).contains(Long.toString(id)));
      long lsn = Long.parseLong(new String(refs.get(0).headers().lastHeader(KafkaBridge.LSN_HEADER).value(),
          java.nio.charset.StandardCharsets.UTF_8));
      assertTrue(events.get(0).lsn() < lsn && lsn < events.get(1).lsn(), "its LSN is between its neighbours'");
      assertEquals(0.0, cdc.metrics().restarts(), "no engine restart");
    } finally {
      t.dropSlot(name);
    }
  }

  /** While cdc is stopped its slot keeps the WAL written meanwhile, and the slot monitor says how much. */
  @Test
  void theSlotMonitorReportsTheWalTheSlotKeepsAndItsLimit(LocalStack stack) throws Exception {
    CdcTestStack t = new CdcTestStack(stack);
    String name = CdcTestStack.uniqueName("it_slotwal");
    Map<String, String> settings = t.cdcSettings(name);
    try {
      try (CdcTestStack.InProcessCdc cdc = t.startInProcess(settings)) {
        // streaming: the slot exists
      }
      SlotMonitor monitor = new SlotMonitor(CdcConfig.from(CdcConfig.DEF.parse(settings)),
          new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
      monitor.poll();
      double before = monitor.retainedBytes();
      assertEquals("reserved", monitor.walStatus());
      try (Connection c = t.app()) {
        long dept = EmployeeWrites.department(c, "Slot " + name);
        long id = EmployeeWrites.insert(c, name + "@example.com", dept, "t0");
        for (int i = 0; i < 300; i++) {
          EmployeeWrites.setTitle(c, id, "t" + i + "-" + "y".repeat(1000));
        }
      }
      monitor.poll();
      assertTrue(monitor.retainedBytes() >= before + 300_000, "the stopped slot keeps the new WAL: "
          + before + " -> " + monitor.retainedBytes());
      io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
          new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
      SlotMonitor gauges = new SlotMonitor(CdcConfig.from(CdcConfig.DEF.parse(settings)), registry);
      gauges.poll();
      double safe = registry.get("cdc.slot.safe.wal").gauge().value();
      // PostgreSQL counts to the end of the WAL segment (16 MiB) in which the limit falls.
      assertTrue(safe > 0 && safe <= 2L * 1024 * 1024 * 1024 + 16 * 1024 * 1024,
          "a limit exists, max_slot_wal_keep_size (2GB): " + safe);
      assertEquals(0.0, registry.get("cdc.slot.lost").gauge().value());
    } finally {
      t.dropSlot(name);
    }
  }

  /** read_committed, positioned at the end of {@code parts} now. */
  private static KafkaConsumer<byte[], byte[]> progressReader(String bootstrap, List<TopicPartition> parts) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    c.assign(parts);
    c.endOffsets(parts, Duration.ofSeconds(30)).forEach(c::seek);
    return c;
  }

  /** Inserts 20 employees, then 150 single- or multi-row transactions of updates and a few deletes. */
  private static void writeRandomChanges(CdcTestStack t, String prefix, long dept, Random rnd, Set<Long> mine,
      Map<Long, List<String>> expected) throws Exception {
    try (Connection c = t.app()) {
      List<Long> alive = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        long id = EmployeeWrites.insert(c, prefix + "-" + i + "@example.com", dept, "v0");
        mine.add(id);
        expected.put(id, Collections.synchronizedList(new ArrayList<>(List.of("c:v0"))));
        alive.add(id);
      }
      c.setAutoCommit(false);
      for (int tx = 1; tx <= 150 && !alive.isEmpty(); tx++) {
        int rows = rnd.nextInt(4) == 0 ? 3 : 1;
        Set<Long> touched = new HashSet<>();
        List<Runnable> onCommit = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
          long id = alive.get(rnd.nextInt(alive.size()));
          if (!touched.add(id)) {
            continue;
          }
          if (rnd.nextInt(25) == 0) {
            EmployeeWrites.delete(c, id);
            onCommit.add(() -> {
              expected.get(id).add("d");
              alive.remove(id);
            });
          } else {
            String title = "v" + tx;
            EmployeeWrites.setTitle(c, id, title);
            onCommit.add(() -> expected.get(id).add("u:" + title));
          }
        }
        c.commit();
        onCommit.forEach(Runnable::run);
      }
    }
  }

  private static String describe(CdcEvent e) {
    return switch (e.op()) {
      case "d" -> {
        assertNotNull(e.before(), "REPLICA IDENTITY FULL: a delete carries the old row");
        assertFalse(e.before().isNull());
        yield "d";
      }
      default -> e.op() + ":" + e.after("job_title");
    };
  }
}
