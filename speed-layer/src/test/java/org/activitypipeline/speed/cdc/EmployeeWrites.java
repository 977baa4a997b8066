package org.activitypipeline.speed.cdc;

import java.io.StringReader;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;

/**
 * Plain JDBC changes to public.employees for the cdc tests and benchmark.
 *
 * <p>The realistic mix of changes comes from the employee generator (see {@code CdcStreamingIT}); these
 * helpers cover what it does not do on purpose: concurrent writers with multi-row transactions, COPY
 * (rows sharing an LSN) and bulk UPDATEs of thousands of rows in one statement.
 */
final class EmployeeWrites {
  private EmployeeWrites() {
  }

  static long department(Connection c, String name) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("INSERT INTO departments (name, cost_center, location)"
        + " VALUES (?, 'CC-IT', 'Lisbon') ON CONFLICT (name) DO UPDATE SET cost_center = EXCLUDED.cost_center"
        + " RETURNING department_id")) {
      st.setString(1, name);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Inserts one employee (job_title {@code title}) and returns its id. */
  static long insert(Connection c, String email, long departmentId, String title) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("INSERT INTO employees (first_name, last_name, email,"
        + " department_id, job_title, hire_date, salary) VALUES ('Ada', 'Lovelace', ?, ?, ?, ?, ?)"
        + " RETURNING employee_id")) {
      st.setString(1, email);
      st.setLong(2, departmentId);
      st.setString(3, title);
      st.setObject(4, LocalDate.of(2021, 5, 4));
      st.setBigDecimal(5, new BigDecimal("50000.00"));
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  static void setTitle(Connection c, long id, String title) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(
        "UPDATE employees SET job_title = ?, salary = salary + 1 WHERE employee_id = ?")) {
      st.setString(1, title);
      st.setLong(2, id);
      if (st.executeUpdate() != 1) {
        throw new IllegalStateException("employee " + id + " not found");
      }
    }
  }

  static void delete(Connection c, long id) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("DELETE FROM employees WHERE employee_id = ?")) {
      st.setLong(1, id);
      st.executeUpdate();
    }
  }

  /**
   * {@code COPY} of {@code n} new employees with emails {@code prefix<i>@example.com}: PostgreSQL writes
   * them with multi-insert WAL records, so several rows share one LSN.
   */
  static long copy(Connection c, String prefix, int n, long departmentId, String title) throws Exception {
    StringBuilder sb = new StringBuilder(n * 80);
    for (int i = 0; i < n; i++) {
      sb.append("Bulk\tLoad\t").append(prefix).append(i).append("@example.com\t").append(departmentId)
          .append('\t').append(title).append("\t2022-01-01\t1000.00\n");
    }
    return c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY employees (first_name, last_name, email,"
        + " department_id, job_title, hire_date, salary) FROM STDIN", new StringReader(sb.toString()));
  }

  /** One UPDATE statement (one transaction) over every employee whose email starts with {@code prefix}. */
  static int bulkSetTitle(Connection c, String prefix, String title) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("UPDATE employees SET job_title = ? WHERE email LIKE ?")) {
      st.setString(1, title);
      st.setString(2, prefix + "%");
      return st.executeUpdate();
    }
  }

  static List<Long> idsWithPrefix(Connection c, String prefix) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (PreparedStatement st = c.prepareStatement("SELECT employee_id FROM employees WHERE email LIKE ?")) {
      st.setString(1, prefix + "%");
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
    }
    return ids;
  }
}
