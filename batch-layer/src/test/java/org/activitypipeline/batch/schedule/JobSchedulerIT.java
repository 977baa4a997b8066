package org.activitypipeline.batch.schedule;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.activitypipeline.batch.job.BatchJob;
import org.activitypipeline.batch.schedule.RunTable.Run;
import org.activitypipeline.localstack.LocalStack;
import org.activitypipeline.localstack.ServerKind;
import org.activitypipeline.localstack.junit.WithLocalStack;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The scheduler against the stack's real PostgreSQL and its {@code QRTZ_} tables. Each test uses its
 * own scheduler name, i.e. its own cluster, so tests never see each other's jobs or triggers.
 */
@WithLocalStack({ServerKind.POSTGRES})
class JobSchedulerIT {
  private static final AtomicInteger SEQ = new AtomicInteger();
  private static final String EVERY_SECOND = "* * * * * ?";
  private RunTable table;

  @BeforeEach
  void tables(LocalStack stack) throws SQLException {
    Map<String, String> props = stack.connectionProperties();
    table = RunTable.of(props);
    table.create(props.getOrDefault("postgres.superuser", "postgres"));
  }

  /** quartz#1416: 2.5.1 loaded the JobDataMap from PostgreSQL as null, so no job found its name. */
  @Test
  void theJobNameInTheJobDataMapSurvivesTheRoundTripThroughTheStore() throws Exception {
    String cluster = uniqueName("roundtrip");
    RecordingListener listener = new RecordingListener();
    try (JobScheduler node = new JobScheduler(settings(cluster, "node-a", Map.of()), List.of(
        new RecordingJob("echo", table, cluster, "node-a", Duration.ZERO, false)), listener)) {
      node.start();
      node.triggerNow("echo");
      await("echo ran").atMost(Duration.ofSeconds(20)).until(() -> listener.finished.contains("echo"));
    }
    assertEquals(List.of(), listener.failures);
    assertEquals(1, table.runs(cluster, "echo").size());
    assertNotNull(storedJobData(cluster, "echo"), "JOB_DATA column of the stored JobDetail");
  }

  @Test
  void aFailingJobIsCountedAndRetriedAtItsNextFireNotImmediately() throws Exception {
    String cluster = uniqueName("failing");
    List<String> failedFires = new CopyOnWriteArrayList<>();
    BatchJob boom = TestJobs.job("boom", () -> {
      failedFires.add(MDC.get(JobRunner.MDC_SCHEDULED_FIRE_TIME));
      throw new IOException("hdfs unavailable");
    });
    RecordingListener listener = new RecordingListener();
    try (JobScheduler node = new JobScheduler(settings(cluster, "node-a", Map.of("boom", EVERY_SECOND,
        "tick", EVERY_SECOND)), List.of(boom, TestJobs.noop("tick")), listener)) {
      node.start();
      await("three failures").atMost(Duration.ofSeconds(20)).until(() -> listener.failedCount("boom") >= 3);
      long ticks = listener.finishedCount("tick");
      await("other jobs keep running").atMost(Duration.ofSeconds(10))
          .until(() -> listener.finishedCount("tick") > ticks);
    }
    // refireImmediately would repeat the same fire; every failure must belong to a fire of its own.
    assertEquals(failedFires.size(), failedFires.stream().distinct().count(), "fires: " + failedFires);
  }

  @Test
  void startReconcilesStoredSchedulesWithTheConfiguration() throws Exception {
    String cluster = uniqueName("reconcile");
    List<BatchJob> both = List.of(TestJobs.noop("a"), TestJobs.noop("b"));
    Map<String, String> first = Map.of("a", "0 0 3 * * ?", "b", "0 0 4 * * ?");
    // Three nodes starting at once on an empty store: whoever loses an insert race must not fail.
    List<JobScheduler> nodes = IntStream.range(0, 3)
        .mapToObj(i -> new JobScheduler(settings(cluster, "node-" + i, first), both)).toList();
    try {
      CompletableFuture.allOf(nodes.stream().map(n -> CompletableFuture.runAsync(() -> start(n)))
          .toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    } finally {
      nodes.forEach(JobScheduler::close);
    }
    assertEquals(first, storedCrons(cluster));

    Map<String, String> second = Map.of("a", "0 30 3 * * ?");
    restart(cluster, both, second);
    assertEquals(second, storedCrons(cluster), "a rescheduled, b unscheduled");
    assertEquals(List.of("a", "b"), storedJobs(cluster), "b stays runnable");
    long aStart = triggerStartTime(cluster, "a");

    restart(cluster, List.of(TestJobs.noop("a")), second);
    assertEquals(List.of("a"), storedJobs(cluster), "a job removed from the code is deleted");
    assertEquals(aStart, triggerStartTime(cluster, "a"), "an unchanged trigger is left alone");
  }

  @Test
  void twoNodesRunEachFireOnceAndANonConcurrentJobNeverOverlapsItself() throws Exception {
    String cluster = uniqueName("pair");
    Map<String, String> crons = Map.of("tick", EVERY_SECOND, "slow", EVERY_SECOND);
    RecordingListener listenerA = new RecordingListener();
    RecordingListener listenerB = new RecordingListener();
    long from = System.currentTimeMillis();
    long to;
    try (JobScheduler a = node(cluster, "node-a", crons, listenerA);
        JobScheduler b = node(cluster, "node-b", crons, listenerB)) {
      // At once, on an empty store: both add the same jobs and triggers.
      CompletableFuture.allOf(CompletableFuture.runAsync(() -> start(a)), CompletableFuture.runAsync(() -> start(b)))
          .get(60, TimeUnit.SECONDS);
      await("ten fires of tick").atMost(Duration.ofSeconds(30)).until(() -> table.claimedFires(cluster, "tick") >= 10);
      a.close();
      b.close();
      to = System.currentTimeMillis();
    }
    // A duplicate execution of a fire would have failed its insert and been reported here.
    assertEquals(List.of(), listenerA.failures);
    assertEquals(List.of(), listenerB.failures);

    // Every second between the first start and the close fires once (a new cron trigger may also
    // take the fire of the second it was created in); on a loaded machine a late fire may be skipped.
    List<Run> ticks = table.runs(cluster, "tick");
    long seconds = (to - from) / 1000;
    assertTrue(ticks.size() >= seconds * 0.7 && ticks.size() <= seconds + 2,
        ticks.size() + " fires in " + seconds + " s; by node: " + byInstance(ticks));

    List<Run> slow = table.runs(cluster, "slow");
    assertTrue(slow.size() >= 3, "slow ran " + slow.size() + " times");
    for (int i = 1; i < slow.size(); i++) {
      Run previous = slow.get(i - 1);
      Run next = slow.get(i);
      assertNotNull(previous.endedAt(), "close(true) waits for running jobs");
      assertTrue(next.startedAt() >= previous.endedAt(), "overlap: " + previous + " and " + next);
    }
  }

  @Test
  void whenANodeIsKilledTheSurvivorTakesOverItsTriggersAndRerunsItsInterruptedJob() throws Exception {
    String cluster = uniqueName("failover");
    Process child = startChildNode(cluster, "child");
    try (JobScheduler survivor = new JobScheduler(SchedulerNodeMain.settings(table, cluster, "survivor"), List.of(
        new RecordingJob(SchedulerNodeMain.TICK, table, cluster, "survivor", Duration.ZERO, false),
        new RecordingJob(SchedulerNodeMain.LONG, table, cluster, "survivor", Duration.ZERO, false)))) {
      await("the child runs the long job").atMost(Duration.ofSeconds(30))
          .until(() -> !table.runs(cluster, SchedulerNodeMain.LONG).isEmpty() || !child.isAlive());
      assertTrue(child.isAlive(), "child died on its own, see target/schedule-it/child.log");
      Run interrupted = table.runs(cluster, SchedulerNodeMain.LONG).get(0);
      assertEquals("child", interrupted.instance());
      // Only now, so that the long run is certainly the child's.
      survivor.start();

      child.destroyForcibly();
      assertTrue(child.waitFor(10, TimeUnit.SECONDS));
      long killedAt = System.currentTimeMillis();

      await("the survivor re-runs the interrupted long run").atMost(Duration.ofSeconds(40))
          .until(() -> table.runs(cluster, SchedulerNodeMain.LONG).size() >= 2);
      Run recovered = table.runs(cluster, SchedulerNodeMain.LONG).get(1);
      assertEquals("survivor", recovered.instance());
      assertTrue(recovered.recovering(), recovered.toString());
      assertEquals(interrupted.scheduledFireTime(), recovered.scheduledFireTime(), "the same fire, re-run");

      await("the survivor keeps firing tick after the kill").atMost(Duration.ofSeconds(40))
          .until(() -> ticksAfter(cluster, killedAt).size() >= 5);
      assertEquals(Map.of("survivor", 5L), byInstance(ticksAfter(cluster, killedAt).subList(0, 5)));
    } finally {
      child.destroyForcibly();
    }
  }

  private Process startChildNode(String cluster, String instance) throws IOException {
    Path log = Path.of("target", "schedule-it", instance + ".log").toAbsolutePath();
    Files.createDirectories(log.getParent());
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), SchedulerNodeMain.class.getName(),
        table.url(), table.user(), table.password(), cluster, instance));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private List<Run> ticksAfter(String cluster, long epochMillis) throws SQLException {
    return table.runs(cluster, SchedulerNodeMain.TICK).stream().filter(r -> r.scheduledFireTime() > epochMillis)
        .toList();
  }

  private JobScheduler node(String cluster, String instance, Map<String, String> crons, RecordingListener listener) {
    return new JobScheduler(settings(cluster, instance, crons), List.of(
        new RecordingJob("tick", table, cluster, instance, Duration.ZERO, true),
        new RecordingJob("slow", table, cluster, instance, Duration.ofMillis(1500), false)), listener);
  }

  private void restart(String cluster, List<BatchJob> jobs, Map<String, String> crons) throws Exception {
    try (JobScheduler node = new JobScheduler(settings(cluster, "node-0", crons), jobs)) {
      node.start();
    }
  }

  private SchedulerSettings settings(String cluster, String instance, Map<String, String> crons) {
    return new SchedulerSettings(table.url(), table.user(), table.password(), cluster, instance, 2,
        Duration.ofSeconds(2), Duration.ofSeconds(5), crons);
  }

  private static void start(JobScheduler node) {
    try {
      node.start();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Long> byInstance(List<Run> runs) {
    return runs.stream().collect(Collectors.groupingBy(Run::instance, Collectors.counting()));
  }

  private static String uniqueName(String prefix) {
    return "it-" + prefix + "-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet();
  }

  private byte[] storedJobData(String cluster, String job) throws SQLException {
    try (Connection c = table.connect(); PreparedStatement ps = c.prepareStatement(
        "SELECT job_data FROM qrtz_job_details WHERE sched_name = ? AND job_name = ?")) {
      ps.setString(1, cluster);
      ps.setString(2, job);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getBytes(1) : null;
      }
    }
  }

  private Map<String, String> storedCrons(String cluster) throws SQLException {
    Map<String, String> crons = new HashMap<>();
    try (Connection c = table.connect(); PreparedStatement ps = c.prepareStatement(
        "SELECT trigger_name, cron_expression, time_zone_id FROM qrtz_cron_triggers WHERE sched_name = ?")) {
      ps.setString(1, cluster);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          assertEquals("UTC", rs.getString(3));
          crons.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return crons;
  }

  private List<String> storedJobs(String cluster) throws SQLException {
    List<String> jobs = new ArrayList<>();
    try (Connection c = table.connect(); PreparedStatement ps = c.prepareStatement(
        "SELECT job_name FROM qrtz_job_details WHERE sched_name = ? ORDER BY job_name")) {
      ps.setString(1, cluster);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          jobs.add(rs.getString(1));
        }
      }
    }
    return jobs;
  }

  private long triggerStartTime(String cluster, String job) throws SQLException {
    try (Connection c = table.connect(); PreparedStatement ps = c.prepareStatement(
        "SELECT start_time FROM qrtz_triggers WHERE sched_name = ? AND trigger_name = ?")) {
      ps.setString(1, cluster);
      ps.setString(2, job);
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next(), "trigger of " + job);
        return rs.getLong(1);
      }
    }
  }
}
