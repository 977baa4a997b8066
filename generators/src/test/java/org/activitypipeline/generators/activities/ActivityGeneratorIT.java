package org.activitypipeline.generators.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.activitypipeline.common.time.ActivityBuckets;
import org.activitypipeline.generators.employees.EmployeeGenerator;
import org.activitypipeline.generators.run.GeneratorException;
import org.activitypipeline.localstack.LocalStack;
import org.activitypipeline.localstack.ServerKind;
import org.activitypipeline.localstack.junit.WithLocalStack;
import org.junit.jupiter.api.Test;

@WithLocalStack({ServerKind.POSTGRES, ServerKind.CASSANDRA})
class ActivityGeneratorIT {
  private static final int SHARDS = ActivityBuckets.DEFAULT_SHARDS;

  @Test
  void rowsLandInTheirWriteTimePartitionsWithEarlierEventTimes(LocalStack stack) {
    List<Long> employees = activeEmployees(stack);
    List<WrittenActivity> written;
    try (ActivityGenerator gen = connect(stack, 3)) {
      written = gen.write(2000, employees, 0.1, 0.2, 0);
      assertEquals(2000, gen.written());
      assertEquals(0, gen.failed());
      assertEquals(0, gen.inFlight());
    }
    assertEquals(2000, written.size());

    try (CqlSession session = session(stack)) {
      PreparedStatement byKey = session.prepare("SELECT employee_id, event_time, activity_type, device_type,"
          + " metadata, writetime(employee_id) AS written_at FROM activity.employee_activity"
          + " WHERE ingest_hour = ? AND shard = ? AND activity_id = ?");
      for (WrittenActivity w : written) {
        assertEquals(ActivityBuckets.writeTimeMillis(w.activityId()), w.writeTime().toEpochMilli());
        Row row = session.execute(byKey.bind(ActivityBuckets.ingestHour(w.writeTime()),
            ActivityBuckets.shardOf(w.activityId(), SHARDS), w.activityId())).one();
        assertNotNull(row, "row in its (ingest_hour, shard) partition: " + w);
        assertEquals(w.employeeId(), row.getLong("employee_id"));
        assertEquals(w.eventTime(), row.getInstant("event_time"));
        assertTrue(employees.contains(w.employeeId()));
        assertTrue(w.eventTime().isBefore(w.writeTime()), "event_time before write time: " + w);
        assertTrue(!row.getMap("metadata", String.class, String.class).isEmpty());
        Instant storedAt = Instant.ofEpochMilli(row.getLong("written_at") / 1000);
        assertTrue(Duration.between(w.writeTime(), storedAt).abs().compareTo(Duration.ofSeconds(10)) < 0,
            "the id's timestamp is the write time: " + w.writeTime() + " vs " + storedAt);
      }

      // Each partition holds exactly the rows of this run in its write-time range: the poller's query.
      Map<String, List<WrittenActivity>> byPartition = written.stream().collect(Collectors.groupingBy(
          w -> ActivityBuckets.ingestHour(w.writeTime()) + "/" + ActivityBuckets.shardOf(w.activityId(), SHARDS),
          TreeMap::new, Collectors.toList()));
      PreparedStatement range = session.prepare("SELECT count(*) FROM activity.employee_activity WHERE ingest_hour = ?"
          + " AND shard = ? AND activity_id >= ? AND activity_id <= ?");
      for (List<WrittenActivity> partition : byPartition.values()) {
        WrittenActivity first = partition.stream().min(Comparator.comparing(WrittenActivity::writeTime)).orElseThrow();
        List<WrittenActivity> sorted = new ArrayList<>(partition);
        sorted.sort(Comparator.comparing(w -> w.activityId().timestamp()));
        long count = session.execute(range.bind(ActivityBuckets.ingestHour(first.writeTime()),
            ActivityBuckets.shardOf(first.activityId(), SHARDS), sorted.get(0).activityId(),
            sorted.get(sorted.size() - 1).activityId())).one().getLong(0);
        assertEquals(partition.size(), count);
      }
    }

    // event_time: late ones minutes to hours back, the rest within seconds (some held back up to 3 min)
    long late = written.stream().filter(WrittenActivity::late).count();
    assertEquals(0.1, late / 2000.0, 0.03, "late fraction");
    long heldBack = 0;
    for (WrittenActivity w : written) {
      Duration lag = Duration.between(w.eventTime(), w.writeTime());
      if (w.late()) {
        assertTrue(lag.compareTo(Duration.ofMinutes(5)) >= 0 && lag.compareTo(Duration.ofHours(6)) <= 0, "late " + lag);
      } else {
        assertTrue(lag.compareTo(Duration.ofMinutes(3)) <= 0, "on time " + lag);
        heldBack += lag.compareTo(Duration.ofSeconds(30)) > 0 ? 1 : 0;
      }
    }
    assertEquals(0.2, heldBack / (2000.0 - late), 0.04, "out-of-order fraction");
    List<Instant> eventOrder = written.stream().map(WrittenActivity::eventTime).toList();
    assertNotEquals(eventOrder.stream().sorted().toList(), eventOrder, "event times arrive out of order");
  }

  @Test
  void writesArePacedToTheRequestedRate(LocalStack stack) {
    List<Long> employees = activeEmployees(stack);
    try (ActivityGenerator gen = connect(stack, 4)) {
      gen.write(100, employees, 0, 0, 0); // warm up the connection and the JIT
      long start = System.nanoTime();
      List<WrittenActivity> rows = gen.write(600, employees, 0.05, 0.1, 300);
      double seconds = (System.nanoTime() - start) / 1e9;
      assertEquals(600, rows.size());
      // 600 rows at 300/s: the last is sent at 2.0 s
      assertTrue(seconds >= 1.95 && seconds < 6, "took " + seconds + " s");
      Duration spread = Duration.between(rows.get(0).writeTime(), rows.get(599).writeTime());
      assertEquals(2.0, spread.toMillis() / 1000.0, 0.5, "write times spread over 2 s");
    }
  }

  /**
   * The generator follows the table: an employee deleted while it runs produces nothing dated after
   * the roster saw the delete, while late uploads of before still arrive; a hire acts from then on,
   * and nothing of theirs predates it.
   */
  @Test
  void activityFollowsTheWorkforceHiresActDeletedEmployeesStopTheirPastStillUploads(LocalStack stack)
      throws Exception {
    activeEmployees(stack);
    Map<String, String> p = stack.connectionProperties();
    try (Connection c = DriverManager.getConnection(p.get("postgres.jdbc.url"), p.get("postgres.user"),
        p.get("postgres.password"))) {
      long leaver = insertEmployee(c, "leaver");
      Roster roster = Roster.fromPostgres(p.get("postgres.jdbc.url"), p.get("postgres.user"),
          p.get("postgres.password"), Duration.ofMillis(100));
      long hire;
      List<WrittenActivity> after = new ArrayList<>();
      Instant observed;
      try (ActivityGenerator gen = connect(stack, 11)) {
        for (int i = 0; i < 500; i++) {
          gen.submit(roster, 0.6, 0.1);
        }
        assertTrue(roster.presentAt(leaver, Instant.now()));
        try (Statement st = c.createStatement()) {
          assertEquals(1, st.executeUpdate("DELETE FROM employees WHERE employee_id = " + leaver));
        }
        hire = insertEmployee(c, "hire");
        do {
          Thread.sleep(20);
          observed = Instant.now();
        } while (!roster.refreshIfDue(observed, System.nanoTime()));
        assertEquals(1, roster.left());
        assertEquals(1, roster.joined());
        List<java.util.concurrent.CompletableFuture<WrittenActivity>> sent = new ArrayList<>();
        for (int i = 0; i < 15_000; i++) {
          sent.add(gen.submit(roster, 0.6, 0.1).toCompletableFuture());
        }
        for (var f : sent) {
          after.add(f.join());
        }
      } finally {
        try (Statement st = c.createStatement()) {
          st.executeUpdate("DELETE FROM employees WHERE email LIKE 'roster-it-%'");
        }
      }
      List<WrittenActivity> ofLeaver = after.stream().filter(w -> w.employeeId() == leaver).toList();
      List<WrittenActivity> ofHire = after.stream().filter(w -> w.employeeId() == hire).toList();
      assertTrue(ofLeaver.stream().anyMatch(WrittenActivity::late), "late uploads of the deleted employee still arrive");
      for (WrittenActivity w : ofLeaver) {
        assertTrue(w.eventTime().isBefore(observed), "nothing dated after the delete was seen: " + w);
      }
      assertFalse(ofHire.isEmpty(), "the hire acts");
      for (WrittenActivity w : ofHire) {
        assertFalse(w.eventTime().isBefore(observed), "nothing of the hire before the hire was seen: " + w);
      }
    }
  }

  private static long insertEmployee(Connection c, String name) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("INSERT INTO employees (first_name,"
        + " last_name, email, job_title, hire_date, salary) VALUES ('Roster', '" + name + "', 'roster-it-" + name
        + "-" + System.nanoTime() + "@example.com', 'Engineer', current_date, 50000) RETURNING employee_id")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void activeEmployeeIdsComeFromPostgres(LocalStack stack) throws SQLException {
    List<Long> ids = activeEmployees(stack);
    Map<String, String> p = stack.connectionProperties();
    try (Connection c = DriverManager.getConnection(p.get("postgres.jdbc.url"), p.get("postgres.user"),
        p.get("postgres.password")); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT count(*) FROM employees WHERE status = 'active'")) {
      rs.next();
      assertEquals(rs.getLong(1), ids.size());
    }
    assertEquals(ids.stream().sorted().toList(), ids);
  }

  @Test
  void aMissingTableIsReportedInOneLine(LocalStack stack) {
    Map<String, String> p = stack.connectionProperties();
    GeneratorException e = assertThrows(GeneratorException.class, () -> ActivityGenerator.connect(
        p.get("cassandra.contact.points"), p.get("cassandra.local.datacenter"), "no_such_keyspace", SHARDS, 1));
    assertEquals("table no_such_keyspace.employee_activity does not exist: apply init-scripts/cassandra",
        e.getMessage());
  }

  static List<Long> activeEmployees(LocalStack stack) {
    Map<String, String> p = stack.connectionProperties();
    try (EmployeeGenerator gen = EmployeeGenerator.connect(p.get("postgres.jdbc.url"), p.get("postgres.user"),
        p.get("postgres.password"), 1)) {
      gen.seed(4, 100); // no-op when another test seeded already
    }
    return ActivityGenerator.activeEmployeeIds(p.get("postgres.jdbc.url"), p.get("postgres.user"),
        p.get("postgres.password"));
  }

  private static ActivityGenerator connect(LocalStack stack, long seed) {
    Map<String, String> p = stack.connectionProperties();
    return ActivityGenerator.connect(p.get("cassandra.contact.points"), p.get("cassandra.local.datacenter"),
        "activity", SHARDS, seed);
  }

  private static CqlSession session(LocalStack stack) {
    String[] hostPort = stack.connectionProperties().get("cassandra.contact.points").split(":");
    return CqlSession.builder()
        .addContactPoint(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])))
        .withLocalDatacenter(stack.connectionProperties().get("cassandra.local.datacenter"))
        .build();
  }
}
