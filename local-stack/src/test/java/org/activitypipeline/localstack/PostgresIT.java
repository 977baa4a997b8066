package org.activitypipeline.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.activitypipeline.localstack.junit.WithLocalStack;
import org.junit.jupiter.api.Test;

@WithLocalStack(ServerKind.POSTGRES)
class PostgresIT {

  @Test
  void jdbcRoundTripAsTheApplicationUser(LocalStack stack) throws SQLException {
    Map<String, String> p = stack.connectionProperties();
    try (Connection c = DriverManager.getConnection(p.get("postgres.jdbc.url"), p.get("postgres.user"),
        p.get("postgres.password"))) {
      long departmentId;
      try (PreparedStatement ins = c.prepareStatement(
          "INSERT INTO departments (name, cost_center, location) VALUES (?, ?, ?) RETURNING department_id")) {
        ins.setString(1, "Roundtrip " + System.nanoTime());
        ins.setString(2, "CC-42");
        ins.setString(3, "Lisbon");
        try (ResultSet rs = ins.executeQuery()) {
          rs.next();
          departmentId = rs.getLong(1);
        }
      }
      try (PreparedStatement ins = c.prepareStatement("INSERT INTO employees (first_name, last_name, email,"
          + " department_id, job_title, hire_date, salary) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING employee_id")) {
        ins.setString(1, "Grace");
        ins.setString(2, "Hopper");
        ins.setString(3, "grace." + System.nanoTime() + "@example.com");
        ins.setLong(4, departmentId);
        ins.setString(5, "Engineer");
        ins.setObject(6, LocalDate.of(2020, 3, 1));
        ins.setBigDecimal(7, new BigDecimal("81234.50"));
        long employeeId;
        try (ResultSet rs = ins.executeQuery()) {
          rs.next();
          employeeId = rs.getLong(1);
        }
        try (PreparedStatement q = c.prepareStatement("SELECT e.salary, e.status, d.cost_center FROM employees e"
            + " JOIN departments d USING (department_id) WHERE e.employee_id = ?")) {
          q.setLong(1, employeeId);
          try (ResultSet rs = q.executeQuery()) {
            assertTrue(rs.next());
            assertEquals(new BigDecimal("81234.50"), rs.getBigDecimal(1));
            assertEquals("active", rs.getString(2), "default status");
            assertEquals("CC-42", rs.getString(3));
          }
        }
      }
    }
  }

  @Test
  void serverIsConfiguredForLogicalDecoding(LocalStack stack) throws SQLException {
    try (Connection c = app(stack); Statement st = c.createStatement()) {
      assertEquals("logical", scalar(st, "SHOW wal_level"));
      assertEquals("on", scalar(st, "SHOW synchronous_commit"));
      assertEquals("2GB", scalar(st, "SHOW max_slot_wal_keep_size"), "a slot cannot keep WAL without limit");
      Set<String> published = new HashSet<>();
      try (ResultSet rs = st.executeQuery("SELECT tablename FROM pg_publication_tables WHERE pubname = 'employee_cdc'")) {
        while (rs.next()) {
          published.add(rs.getString(1));
        }
      }
      assertEquals(Set.of("departments", "employees", "cdc_heartbeat"), published);
      // 'f' = REPLICA IDENTITY FULL: deletes and updates carry the whole old row
      assertEquals("f", scalar(st, "SELECT relreplident FROM pg_class WHERE relname = 'employees'"));
      assertEquals("11", scalar(st, "SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'qrtz_%'"));
    }
  }

  @Test
  void replicationRoleIsNotSuperuserButCanDecodeWithPgoutput(LocalStack stack) throws SQLException {
    Map<String, String> p = stack.connectionProperties();
    String slot = "it_slot_" + System.nanoTime();
    try (Connection repl = DriverManager.getConnection(p.get("postgres.jdbc.url"), p.get("postgres.replication.user"),
        p.get("postgres.replication.password")); Statement st = repl.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT rolsuper, rolreplication FROM pg_roles WHERE rolname = current_user")) {
        assertTrue(rs.next());
        assertFalse(rs.getBoolean(1), "the CDC role must not be a superuser");
        assertTrue(rs.getBoolean(2), "the CDC role needs REPLICATION");
      }
      st.execute("SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
      try {
        try (Connection c = app(stack); Statement w = c.createStatement()) {
          w.executeUpdate("INSERT INTO departments (name, cost_center) VALUES ('Slot " + slot + "', 'CC-1')");
        }
        // pgoutput emits binary messages; a committed insert yields at least BEGIN, RELATION, INSERT, COMMIT.
        String changes = scalar(st, "SELECT count(*) FROM pg_logical_slot_peek_binary_changes('" + slot
            + "', NULL, NULL, 'proto_version', '1', 'publication_names', 'employee_cdc')");
        assertTrue(Integer.parseInt(changes) >= 4, "decoded messages: " + changes);
      } finally {
        st.execute("SELECT pg_drop_replication_slot('" + slot + "')");
      }
    }
  }

  private static Connection app(LocalStack stack) throws SQLException {
    Map<String, String> p = stack.connectionProperties();
    return DriverManager.getConnection(p.get("postgres.jdbc.url"), p.get("postgres.user"), p.get("postgres.password"));
  }

  private static String scalar(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      assertTrue(rs.next(), sql);
      return rs.getString(1);
    }
  }
}
