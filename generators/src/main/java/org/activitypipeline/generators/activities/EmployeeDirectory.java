package org.activitypipeline.generators.activities;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.activitypipeline.generators.run.GeneratorException;
import org.activitypipeline.generators.run.Postgres;

/** Reads who can produce activity: the active employees in PostgreSQL. */
final class EmployeeDirectory {
  private EmployeeDirectory() {
  }

  static List<Long> activeEmployeeIds(String jdbcUrl, String user, String password) {
    List<Long> ids = readActive(jdbcUrl, user, password);
    if (ids.isEmpty()) {
      throw new GeneratorException("no active employees in " + jdbcUrl
          + ": seed them first (generators employees --count 0)");
    }
    return ids;
  }

  /** The active employees' ids, ascending; possibly none. */
  static List<Long> readActive(String jdbcUrl, String user, String password) {
    Connection c = Postgres.connect(jdbcUrl, user, password);
    try (c) {
      Postgres.requireTables(c, jdbcUrl, "employees");
      List<Long> ids = new ArrayList<>();
      try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
          "SELECT employee_id FROM employees WHERE status = 'active' ORDER BY employee_id")) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
      return List.copyOf(ids);
    } catch (SQLException e) {
      throw Postgres.failure(jdbcUrl, e);
    }
  }
}
