package org.activitypipeline.e2e;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The history of employees and departments taken from PostgreSQL itself, independently of the
 * pipeline: triggers the test installs record every row version with its transaction id, and
 * {@code pg_xact_commit_timestamp} (the local stack runs with {@code track_commit_timestamp=on})
 * gives each version's commit time. {@link #departmentAt} applies the contract's rule to it: the
 * employee's version committed at or before the event time (before the first, the first; after a
 * delete, the last state), named as its department was named at the event time.
 */
final class SourceHistory {
  /** One version of a row, valid from its commit time (ms, as Debezium reports it). */
  private record Version(long sinceMs, long seq, Long departmentId, String name) {
  }

  private final Map<Long, List<Version>> employees = new HashMap<>();
  private final Map<Long, List<Version>> departments = new HashMap<>();

  /**
   * Creates the audit tables and triggers as {@code superuser} (the application role may not create
   * tables in {@code public}); the trigger functions run as their owner, so any writer is recorded.
   * Run before anything writes employees or departments.
   */
  static void install(String jdbcUrl, String superuser) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl, superuser, "");
         Statement st = c.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS e2e_employee_versions (seq BIGSERIAL PRIMARY KEY, employee_id BIGINT"
          + " NOT NULL, department_id BIGINT, op TEXT NOT NULL, xid BIGINT NOT NULL DEFAULT txid_current())");
      st.execute("CREATE TABLE IF NOT EXISTS e2e_department_versions (seq BIGSERIAL PRIMARY KEY, department_id BIGINT"
          + " NOT NULL, name TEXT, op TEXT NOT NULL, xid BIGINT NOT NULL DEFAULT txid_current())");
      st.execute("CREATE OR REPLACE FUNCTION e2e_employee_version() RETURNS trigger AS $$ BEGIN"
          + " IF TG_OP = 'DELETE' THEN"
          + "   INSERT INTO e2e_employee_versions (employee_id, department_id, op) VALUES (OLD.employee_id,"
          + "   OLD.department_id, 'd');"
          + " ELSE"
          + "   INSERT INTO e2e_employee_versions (employee_id, department_id, op) VALUES (NEW.employee_id,"
          + "   NEW.department_id, lower(left(TG_OP, 1)));"
          + " END IF; RETURN NULL; END $$ LANGUAGE plpgsql SECURITY DEFINER");
      st.execute("CREATE OR REPLACE FUNCTION e2e_department_version() RETURNS trigger AS $$ BEGIN"
          + " IF TG_OP = 'DELETE' THEN"
          + "   INSERT INTO e2e_department_versions (department_id, name, op) VALUES (OLD.department_id, OLD.name, 'd');"
          + " ELSE"
          + "   INSERT INTO e2e_department_versions (department_id, name, op) VALUES (NEW.department_id, NEW.name,"
          + "   lower(left(TG_OP, 1)));"
          + " END IF; RETURN NULL; END $$ LANGUAGE plpgsql SECURITY DEFINER");
      st.execute("DROP TRIGGER IF EXISTS e2e_employee_version ON employees");
      st.execute("CREATE TRIGGER e2e_employee_version AFTER INSERT OR UPDATE OR DELETE ON employees"
          + " FOR EACH ROW EXECUTE FUNCTION e2e_employee_version()");
      st.execute("DROP TRIGGER IF EXISTS e2e_department_version ON departments");
      st.execute("CREATE TRIGGER e2e_department_version AFTER INSERT OR UPDATE OR DELETE ON departments"
          + " FOR EACH ROW EXECUTE FUNCTION e2e_department_version()");
    }
  }

  /** Reads every recorded version with its commit time. */
  static SourceHistory load(String jdbcUrl, String superuser) throws SQLException {
    SourceHistory h = new SourceHistory();
    // The 64-bit txid's low 32 bits are the xid whose commit timestamp PostgreSQL kept.
    String committed = "(extract(epoch FROM date_trunc('milliseconds', pg_xact_commit_timestamp("
        + "(xid % 4294967296)::text::xid))) * 1000)::bigint";
    try (Connection c = DriverManager.getConnection(jdbcUrl, superuser, "");
         Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT employee_id, department_id, seq, " + committed
          + " FROM e2e_employee_versions ORDER BY seq")) {
        while (rs.next()) {
          Long dept = (Long) rs.getObject(2);
          h.employees.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
              .add(new Version(rs.getLong(4), rs.getLong(3), dept, null));
        }
      }
      try (ResultSet rs = st.executeQuery("SELECT department_id, name, seq, " + committed
          + " FROM e2e_department_versions ORDER BY seq")) {
        while (rs.next()) {
          h.departments.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
              .add(new Version(rs.getLong(4), rs.getLong(3), rs.getLong(1), rs.getString(2)));
        }
      }
    }
    h.employees.values().forEach(SourceHistory::sort);
    h.departments.values().forEach(SourceHistory::sort);
    return h;
  }

  private static void sort(List<Version> versions) {
    versions.sort((a, b) -> a.sinceMs() != b.sinceMs() ? Long.compare(a.sinceMs(), b.sinceMs())
        : Long.compare(a.seq(), b.seq()));
  }

  private static Version asOf(List<Version> versions, long eventMs) {
    Version at = versions.get(0);
    for (Version v : versions) {
      if (v.sinceMs() <= eventMs) {
        at = v;
      }
    }
    return at;
  }

  /** The department an activity of {@code employee} at {@code event} counts under, by the contract. */
  String departmentAt(long employee, Instant event) {
    List<Version> versions = employees.get(employee);
    if (versions == null) {
      return "unknown";
    }
    Version v = asOf(versions, event.toEpochMilli());
    if (v.departmentId() == null) {
      return "unassigned";
    }
    List<Version> names = departments.get(v.departmentId());
    return names == null ? "unknown" : asOf(names, event.toEpochMilli()).name();
  }

  int employeeVersions() {
    return employees.values().stream().mapToInt(List::size).sum();
  }
}
