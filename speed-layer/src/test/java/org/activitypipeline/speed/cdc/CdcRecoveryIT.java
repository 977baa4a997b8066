package org.activitypipeline.speed.cdc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.activitypipeline.common.topic.Topics;
import org.activitypipeline.localstack.LocalStack;
import org.activitypipeline.localstack.ServerKind;
import org.activitypipeline.localstack.junit.WithLocalStack;
import org.junit.jupiter.api.Test;

/** Crashes: the cdc process killed with SIGKILL mid-stream, and PostgreSQL restarted under it. */
@WithLocalStack({ServerKind.POSTGRES, ServerKind.KAFKA})
class CdcRecoveryIT {
  static final String EMPLOYEES = Topics.CDC_EMPLOYEES.name();
  static final int ROWS_PER_COPY = 3000;

  /**
   * Pins down the two ways Debezium 3.6.1 loses events on restart (events sharing an LSN in a COPY,
   * dbz#1554; interleaved transactions at a stored commit position, dbz#76) together with the bridge's
   * own crash window: kill -9 while bulk COPYs and bulk UPDATEs stream, twice, then restart.
   */
  @Test
  void cdcProcessKilledMidStreamLosesNothingAndRepeatsOnlyWithTheSameLsn(LocalStack stack) throws Exception {
    CdcTestStack t = new CdcTestStack(stack);
    String name = CdcTestStack.uniqueName("it_kill");
    String prefix = "kill-" + name + "-";
    Path config = writeConfig(t.cdcSettings(name), name);
    Set<Long> mine = ConcurrentHashMap.newKeySet();
    List<String> rounds = new CopyOnWriteArrayList<>();
    ExecutorService writer = Executors.newSingleThreadExecutor();
    CdcProcess cdc = CdcProcess.start(config, name + "-1");
    try (CdcTopicReader reader = new CdcTopicReader(t.bootstrap(), EMPLOYEES, "employee_id", id -> true)) {
      t.awaitSlotActive(name);
      long dept;
      try (Connection c = t.app()) {
        dept = EmployeeWrites.department(c, "Kill " + name);
      }
      // Alternating COPY of 3000 new rows and one UPDATE of every row so far, as fast as possible.
      Future<?> writes = writer.submit(() -> {
        try (Connection c = t.app()) {
          for (int r = 1; r <= 8; r++) {
            if (r % 2 == 1) {
              EmployeeWrites.copy(c, prefix + "c" + r + "-", ROWS_PER_COPY, dept, "new");
            } else {
              EmployeeWrites.bulkSetTitle(c, prefix, "u" + r);
            }
            rounds.add(r % 2 == 1 ? "copy" : "update");
          }
        }
        return null;
      });
      // Kill in the middle of the stream, twice: while batches of a bulk statement are being committed.
      for (int kill = 1; kill <= 2; kill++) {
        int threshold = kill == 1 ? 4_000 : 14_000;
        await("cdc forwarded " + threshold + " events").atMost(Duration.ofSeconds(90))
            .until(() -> reader.poll(Duration.ofMillis(50)).size() >= threshold);
        cdc.kill();
        Thread.sleep(500); // the writer goes on meanwhile
        cdc = CdcProcess.start(config, name + "-" + (kill + 1));
      }
      writes.get(120, TimeUnit.SECONDS);

      Map<Long, Set<String>> expected = new HashMap<>();
      try (Connection c = t.app()) {
        for (int r = 1; r <= 8; r += 2) {
          for (long id : EmployeeWrites.idsWithPrefix(c, prefix + "c" + r + "-")) {
            mine.add(id);
            Set<String> labels = expected.computeIfAbsent(id, k -> new HashSet<>());
            labels.add("c");
            for (int u = r + 1; u <= 8; u += 2) {
              labels.add("u" + u);
            }
          }
        }
      }
      int total = expected.values().stream().mapToInt(Set::size).sum();
      await("every one of " + total + " changes arrived after two kill -9").atMost(Duration.ofSeconds(120))
          .until(() -> distinctChanges(reader.poll(Duration.ofMillis(200)), mine) >= total);
      reader.poll(Duration.ofSeconds(1));

      Map<Long, List<CdcEvent>> byKey = reader.events().stream().filter(e -> mine.contains(e.id()))
          .collect(Collectors.groupingBy(CdcEvent::id));
      int duplicates = 0;
      for (var e : expected.entrySet()) {
        List<CdcEvent> events = byKey.getOrDefault(e.getKey(), List.of());
        Map<String, Long> lsnOfChange = new HashMap<>();
        long highest = -1;
        for (CdcEvent ev : events) {
          String label = ev.op().equals("c") ? "c" : ev.after("job_title");
          Long seen = lsnOfChange.putIfAbsent(label, ev.lsn());
          if (seen != null) {
            duplicates++;
            assertEquals(seen, ev.lsn(), "a repeated change repeats its LSN (employee " + e.getKey() + ")");
          } else {
            assertTrue(ev.lsn() > highest, "new changes of a key arrive in LSN order: " + events);
            highest = ev.lsn();
          }
          assertEquals(ev.lsn(), ev.headerLsn());
        }
        assertEquals(e.getValue(), lsnOfChange.keySet(), "employee " + e.getKey() + ": no change missing or invented");
      }
      System.out.printf("kill -9 test: %d changes, %d duplicates (dropped downstream by LSN)%n", total, duplicates);
    } finally {
      cdc.stop();
      writer.shutdownNow();
      t.dropSlot(name);
    }
  }

  @Test
  void postgresRestartWhileStreamingReconnectsAndLosesNothing(LocalStack stack) throws Exception {
    CdcTestStack t = new CdcTestStack(stack);
    String name = CdcTestStack.uniqueName("it_pgrestart");
    Set<Long> mine = ConcurrentHashMap.newKeySet();
    List<String> expected = new ArrayList<>();
    try (CdcTopicReader reader = new CdcTopicReader(t.bootstrap(), EMPLOYEES, "employee_id", mine::contains);
        CdcTestStack.InProcessCdc cdc = t.startInProcess(t.cdcSettings(name))) {
      List<Long> ids = new ArrayList<>();
      try (Connection c = t.app()) {
        long dept = EmployeeWrites.department(c, "Restart " + name);
        for (int i = 0; i < 20; i++) {
          long id = EmployeeWrites.insert(c, name + "-" + i + "@example.com", dept, "before");
          mine.add(id);
          ids.add(id);
          expected.add(id + ":c:before");
        }
      }
      await("changes before the restart").atMost(Duration.ofSeconds(30))
          .until(() -> reader.poll(Duration.ofMillis(200)).size() >= 20);

      stack.server(ServerKind.POSTGRES).stop();
      stack.server(ServerKind.POSTGRES).start();

      try (Connection c = t.app()) {
        for (long id : ids) {
          EmployeeWrites.setTitle(c, id, "after");
          expected.add(id + ":u:after");
        }
      }
      await("changes after the restart arrive").atMost(Duration.ofSeconds(90))
          .until(() -> reader.poll(Duration.ofMillis(200)).stream().map(CdcRecoveryIT::label).distinct().count()
              >= expected.size());
      assertEquals(new HashSet<>(expected), reader.events().stream().map(CdcRecoveryIT::label)
          .collect(Collectors.toSet()), "every change before and after the restart");
      assertTrue(cdc.supervisor().isHealthy(), "streaming again");
      System.out.printf("postgres restart test: engine restarts by the supervisor=%.0f%n", cdc.metrics().restarts());
    } finally {
      t.dropSlot(name);
    }
  }

  private static String label(CdcEvent e) {
    return e.id() + ":" + e.op() + ":" + e.after("job_title");
  }

  private static long distinctChanges(List<CdcEvent> events, Set<Long> mine) {
    Set<String> s = new HashSet<>();
    for (CdcEvent e : events) {
      if (mine.contains(e.id())) {
        s.add(e.id() + ":" + (e.op().equals("c") ? "c" : e.after("job_title")));
      }
    }
    return s.size();
  }

  /**
   * A slot invalidated by {@code max_slot_wal_keep_size} while cdc was down (the price of a bounded WAL):
   * cdc reports it ({@code event=slot_wal_lost}) and cannot stream; the documented recovery (drop the slot,
   * a new slot, engine name and transactional id, {@code snapshot.mode=initial}) sends every row's current
   * state, including the changes made while cdc was down, and streams again afterwards.
   */
  @Test
  void anInvalidatedSlotIsReportedAndTheDocumentedReSnapshotRecoversEveryRow(LocalStack stack) throws Exception {
    CdcTestStack t = new CdcTestStack(stack);
    String lost = CdcTestStack.uniqueName("it_lost");
    String fresh = CdcTestStack.uniqueName("it_fresh");
    String prefix = "lost-" + lost + "-";
    Map<String, String> settings = t.cdcSettings(lost);
    Path config = writeConfig(settings, lost);
    CdcProcess cdc = CdcProcess.start(config, lost + "-1");
    Map<Long, String> titles = new HashMap<>();
    try {
      t.awaitSlotActive(lost);
      try (Connection c = t.app()) {
        long dept = EmployeeWrites.department(c, "Lost " + lost);
        for (int i = 0; i < 5; i++) {
          titles.put(EmployeeWrites.insert(c, prefix + i + "@example.com", dept, "before"), "before");
        }
      }
      cdc.stop();
      try (Connection c = t.app()) { // while cdc is down
        long first = titles.keySet().stream().min(Long::compare).orElseThrow();
        EmployeeWrites.setTitle(c, first, "while-down");
        titles.put(first, "while-down");
        long dept = EmployeeWrites.department(c, "Lost 2 " + lost);
        titles.put(EmployeeWrites.insert(c, prefix + "late@example.com", dept, "while-down"), "while-down");
      }
      invalidate(t, lost);

      cdc = CdcProcess.start(config, lost + "-2");
      Path log2 = config.resolveSibling(lost + "-2.log");
      await("cdc reports the lost slot").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
          .until(() -> Files.readString(log2).contains("event=slot_wal_lost"));
      cdc.stop();

      // The documented recovery (docs/OPERATIONS.md, cdc re-snapshot).
      t.dropSlot(lost);
      Map<String, String> recovered = t.cdcSettings(fresh);
      recovered.put("snapshot.mode", "initial");
      try (CdcTopicReader reader = new CdcTopicReader(t.bootstrap(), EMPLOYEES, "employee_id", titles::containsKey)) {
        cdc = CdcProcess.start(writeConfig(recovered, fresh), fresh + "-1");
        await("every row's current state as a snapshot read").atMost(Duration.ofSeconds(120))
            .until(() -> snapshotTitles(reader.poll(Duration.ofMillis(200))).equals(titles));
        t.awaitSlotActive(fresh);
        long someone = titles.keySet().iterator().next();
        try (Connection c = t.app()) {
          EmployeeWrites.setTitle(c, someone, "after");
        }
        await("changes stream again after the re-snapshot").atMost(Duration.ofSeconds(60))
            .until(() -> reader.poll(Duration.ofMillis(200)).stream()
                .anyMatch(e -> e.id() == someone && e.op().equals("u") && "after".equals(e.after("job_title"))));
      }
    } finally {
      cdc.stop();
      t.dropSlot(lost);
      t.dropSlot(fresh);
    }
  }

  /** The latest snapshot read ({@code op=r}) of each employee: its title. */
  private static Map<Long, String> snapshotTitles(List<CdcEvent> events) {
    Map<Long, String> out = new HashMap<>();
    for (CdcEvent e : events) {
      if (e.op().equals("r")) {
        out.put(e.id(), e.after("job_title"));
      }
    }
    return out;
  }

  /**
   * Makes PostgreSQL invalidate the (inactive) slot: the WAL it may keep lowered to 1 MB, WAL segments
   * written past it, a checkpoint. The limit goes back to what the local stack sets afterwards.
   */
  private static void invalidate(CdcTestStack t, String slot) throws Exception {
    try (Connection c = t.superuser(); var st = c.createStatement()) {
      st.execute("ALTER SYSTEM SET max_slot_wal_keep_size = '1MB'");
      st.execute("SELECT pg_reload_conf()");
      st.execute("CREATE TABLE IF NOT EXISTS public.wal_filler (x text)");
      try {
        await("slot " + slot + " invalidated").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
            .until(() -> {
              for (int i = 0; i < 3; i++) {
                st.execute("INSERT INTO public.wal_filler SELECT repeat('x', 1000) FROM generate_series(1, 100)");
                st.execute("SELECT pg_switch_wal()");
              }
              st.execute("CHECKPOINT");
              try (var rs = st.executeQuery("SELECT wal_status FROM pg_replication_slots WHERE slot_name = '"
                  + slot + "'")) {
                return rs.next() && "lost".equals(rs.getString(1));
              }
            });
      } finally {
        st.execute("ALTER SYSTEM SET max_slot_wal_keep_size = '2GB'");
        st.execute("SELECT pg_reload_conf()");
        st.execute("DROP TABLE IF EXISTS public.wal_filler");
      }
    }
  }

  private static Path writeConfig(Map<String, String> settings, String name) throws IOException {
    Path dir = Files.createDirectories(Path.of("target", "cdc-it"));
    Path file = dir.resolve(name + ".properties");
    StringBuilder sb = new StringBuilder("# written by CdcRecoveryIT\n");
    settings.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    Files.writeString(file, sb.toString());
    return file;
  }

  /** {@code java -jar target/speed-layer.jar cdc --config FILE} as a separate OS process. */
  static final class CdcProcess {
    final Process process;

    private CdcProcess(Process process) {
      this.process = process;
    }

    static CdcProcess start(Path config, String logName) throws IOException {
      Path jar = Path.of("target", "speed-layer.jar").toAbsolutePath();
      if (!Files.exists(jar)) {
        throw new IllegalStateException(jar + " is missing: run 'mvn package' (failsafe runs after it)");
      }
      String java = ProcessHandle.current().info().command().orElse("java");
      Path log = config.resolveSibling(logName + ".log");
      Process p = new ProcessBuilder(java, "-Xmx512m", "-jar", jar.toString(), "cdc", "--config", config.toString())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      return new CdcProcess(p);
    }

    /** SIGKILL: no shutdown hook, no offset flush, no transaction abort. */
    void kill() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then wait for the graceful exit. */
    void stop() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(40, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
