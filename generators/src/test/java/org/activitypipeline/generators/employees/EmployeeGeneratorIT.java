package org.activitypipeline.generators.employees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.activitypipeline.common.event.ChangeOp;
import org.activitypipeline.localstack.LocalStack;
import org.activitypipeline.localstack.ServerKind;
import org.activitypipeline.localstack.junit.WithLocalStack;
import org.junit.jupiter.api.Test;

@WithLocalStack({ServerKind.POSTGRES, ServerKind.CASSANDRA})
class EmployeeGeneratorIT {

  @Test
  void seedingAndChangesLandInPostgresAsOneRowChangePerTransaction(LocalStack stack) throws SQLException {
    reset(stack);
    try (EmployeeGenerator gen = connect(stack, 42)) {
      assertEquals(300, gen.seed(12, 300));
      try (Connection c = app(stack); Statement st = c.createStatement()) {
        assertEquals(300, scalar(st, "SELECT count(*) FROM employees"));
        assertEquals(300, scalar(st, "SELECT count(DISTINCT email) FROM employees"));
        assertEquals(12, scalar(st, "SELECT count(*) FROM departments"));
        assertEquals(12, scalar(st, "SELECT count(*) FROM employees WHERE job_title LIKE 'Director of %'"));
        assertEquals(0, scalar(st, "SELECT count(*) FROM employees e WHERE e.manager_id IS NOT NULL AND NOT EXISTS"
            + " (SELECT 1 FROM employees m WHERE m.employee_id = e.manager_id AND m.department_id = e.department_id)"));
      }

      // Decode what PostgreSQL itself committed (test_decoding, as the non-superuser CDC role) and
      // classify each row change by the columns it changed, independently of the generator.
      String slot = "gen_it_" + System.nanoTime();
      try (Connection repl = replication(stack); Statement rs = repl.createStatement()) {
        rs.execute("SELECT pg_create_logical_replication_slot('" + slot + "', 'test_decoding')");
        try {
          List<AppliedChange> applied = gen.applyChanges(500);
          List<DecodedTxn> committed = decode(rs, slot);
          assertEquals(applied.size(), committed.size(), "one transaction per change");
          List<AppliedChange> observed = new ArrayList<>();
          for (DecodedTxn txn : committed) {
            assertEquals(1, txn.rows().size(), "exactly one row changed (no cascades): " + txn.rows());
            observed.add(classify(txn.rows().get(0)));
          }
          assertEquals(applied, observed, "the database saw the changes the generator reported, in commit order");
          Map<String, Long> byKind = applied.stream().collect(Collectors.groupingBy(AppliedChange::kind,
              TreeMap::new, Collectors.counting()));
          assertEquals(Set.of("raise", "promotion", "department_move", "status_change", "hire", "delete"),
              byKind.keySet(), "every kind occurs: " + byKind);
        } finally {
          rs.execute("SELECT pg_drop_replication_slot('" + slot + "')");
        }
      }
      try (Connection c = app(stack); Statement st = c.createStatement()) {
        assertEquals(gen.headcount(), scalar(st, "SELECT count(*) FROM employees"), "the model matches the table");
      }
    }
    // A restarted generator resumes: no second seeding.
    try (EmployeeGenerator again = connect(stack, 43); Connection c = app(stack); Statement st = c.createStatement()) {
      long before = scalar(st, "SELECT count(*) FROM employees");
      assertEquals(0, again.seed(12, 300));
      assertEquals(before, scalar(st, "SELECT count(*) FROM employees"));
      assertEquals(before, again.headcount());
      again.applyChanges(50);
      assertEquals(0, again.conflicts());
    }
  }

  @Test
  void sameSeedOnTheSameStartingDatabaseGivesTheSameChanges(LocalStack stack) throws SQLException {
    Run a = runFromScratch(stack, 99);
    Run b = runFromScratch(stack, 99);
    assertEquals(a.changes(), b.changes());
    assertEquals(a.table(), b.table(), "and the same final rows");
    Run c = runFromScratch(stack, 100);
    assertNotEquals(a.changes(), c.changes(), "another seed, another sequence");
  }

  private record Run(List<AppliedChange> changes, List<String> table) {
  }

  private static Run runFromScratch(LocalStack stack, long seed) throws SQLException {
    reset(stack);
    try (EmployeeGenerator gen = connect(stack, seed)) {
      gen.seed(5, 120);
      List<AppliedChange> changes = gen.applyChanges(300);
      List<String> table = new ArrayList<>();
      try (Connection c = app(stack); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
          "SELECT employee_id, first_name, last_name, email, department_id, job_title, location, manager_id,"
              + " hire_date, salary, status FROM employees ORDER BY employee_id")) {
        while (rs.next()) {
          StringBuilder row = new StringBuilder();
          for (int i = 1; i <= 11; i++) {
            row.append(rs.getString(i)).append('|');
          }
          table.add(row.toString());
        }
      }
      return new Run(changes, table);
    }
  }

  // --- test_decoding output ---------------------------------------------------------------

  private record DecodedRow(String table, String action, Map<String, String> oldValues, Map<String, String> values) {
  }

  private record DecodedTxn(List<DecodedRow> rows) {
  }

  private static final Pattern ROW = Pattern.compile("table public\\.(\\w+): (INSERT|UPDATE|DELETE): (.*)");
  private static final Pattern COLUMN = Pattern.compile("(\\w+)\\[[^\\]]+\\]:('(?:[^']|'')*'|\\S+)");

  private static List<DecodedTxn> decode(Statement st, String slot) throws SQLException {
    List<DecodedTxn> txns = new ArrayList<>();
    List<DecodedRow> current = null;
    try (ResultSet rs = st.executeQuery("SELECT data FROM pg_logical_slot_get_changes('" + slot + "', NULL, NULL)")) {
      while (rs.next()) {
        String data = rs.getString(1);
        if (data.startsWith("BEGIN")) {
          current = new ArrayList<>();
        } else if (data.startsWith("COMMIT")) {
          txns.add(new DecodedTxn(current));
        } else {
          Matcher m = ROW.matcher(data);
          assertTrue(m.matches(), data);
          String body = m.group(3);
          Map<String, String> oldValues = Map.of();
          if (body.startsWith("old-key: ")) {
            int split = body.indexOf(" new-tuple: ");
            oldValues = columns(body.substring("old-key: ".length(), split));
            body = body.substring(split + " new-tuple: ".length());
          }
          current.add(new DecodedRow(m.group(1), m.group(2), oldValues, columns(body)));
        }
      }
    }
    return txns;
  }

  private static Map<String, String> columns(String text) {
    Map<String, String> values = new LinkedHashMap<>();
    Matcher m = COLUMN.matcher(text);
    while (m.find()) {
      values.put(m.group(1), m.group(2));
    }
    return values;
  }

  /** The kind of change, from the columns PostgreSQL saw change. */
  private static AppliedChange classify(DecodedRow row) {
    assertEquals("employees", row.table());
    long id = Long.parseLong(row.values().get("employee_id"));
    switch (row.action()) {
      case "INSERT":
        return new AppliedChange(id, ChangeOp.CREATE, "hire");
      case "DELETE":
        return new AppliedChange(id, ChangeOp.DELETE, "delete");
      default:
        Map<String, String> changed = new HashMap<>(row.values());
        // test_decoding leaves null columns out of the old tuple
        changed.entrySet().removeIf(e -> e.getValue().equals(row.oldValues().getOrDefault(e.getKey(), "null")));
        changed.remove("updated_at");
        Set<String> columns = changed.keySet();
        String kind = columns.equals(Set.of("salary")) ? "raise"
            : columns.equals(Set.of("job_title", "salary")) ? "promotion"
            : columns.contains("department_id") && Set.of("department_id", "manager_id").containsAll(columns)
                ? "department_move"
            : columns.equals(Set.of("status")) ? "status_change"
            : "unexpected " + columns;
        return new AppliedChange(id, ChangeOp.UPDATE, kind);
    }
  }

  // --- helpers ------------------------------------------------------------------------------

  static EmployeeGenerator connect(LocalStack stack, long seed) {
    Map<String, String> p = stack.connectionProperties();
    return EmployeeGenerator.connect(p.get("postgres.jdbc.url"), p.get("postgres.user"), p.get("postgres.password"),
        seed);
  }

  /** Empty tables and id sequences from 1: "the same starting database". */
  static void reset(LocalStack stack) throws SQLException {
    try (Connection c = app(stack); Statement st = c.createStatement()) {
      st.execute("TRUNCATE employees, departments RESTART IDENTITY");
    }
  }

  static Connection app(LocalStack stack) throws SQLException {
    Map<String, String> p = stack.connectionProperties();
    return DriverManager.getConnection(p.get("postgres.jdbc.url"), p.get("postgres.user"), p.get("postgres.password"));
  }

  private static Connection replication(LocalStack stack) throws SQLException {
    Map<String, String> p = stack.connectionProperties();
    return DriverManager.getConnection(p.get("postgres.jdbc.url"), p.get("postgres.replication.user"),
        p.get("postgres.replication.password"));
  }

  static long scalar(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      assertTrue(rs.next(), sql);
      return rs.getLong(1);
    }
  }
}
