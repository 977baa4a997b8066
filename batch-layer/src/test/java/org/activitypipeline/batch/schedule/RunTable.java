package org.activitypipeline.batch.schedule;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the test jobs record their runs, in the stack's PostgreSQL, so runs of several nodes and
 * JVMs can be compared. {@code schedule_it_fires} has a UNIQUE (scheduler, job, scheduled fire):
 * a second execution of the same fire fails its insert.
 */
record RunTable(String url, String user, String password) {

  /** One execution: times in epoch milliseconds, {@code endedAt} null while running (or killed). */
  record Run(String job, long scheduledFireTime, String instance, boolean recovering, long startedAt, Long endedAt) {}

  static RunTable of(Map<String, String> stackProperties) {
    return new RunTable(stackProperties.get("postgres.jdbc.url"), stackProperties.get("postgres.user"),
        stackProperties.get("postgres.password"));
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }

  /** As the superuser (the application role may not create in schema public), owned by the application role. */
  void create(String superuser) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, superuser, ""); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS schedule_it_fires (scheduler text NOT NULL, job text NOT NULL,"
          + " scheduled_fire_time bigint NOT NULL, instance text NOT NULL,"
          + " UNIQUE (scheduler, job, scheduled_fire_time))");
      st.execute("CREATE TABLE IF NOT EXISTS schedule_it_runs (id bigserial PRIMARY KEY, scheduler text NOT NULL,"
          + " job text NOT NULL, scheduled_fire_time bigint NOT NULL, instance text NOT NULL,"
          + " recovering boolean NOT NULL, started_at bigint NOT NULL, ended_at bigint)");
      st.execute("ALTER TABLE schedule_it_fires OWNER TO " + user);
      st.execute("ALTER TABLE schedule_it_runs OWNER TO " + user);
    }
  }

  /** Claims the fire: throws (unique violation) if any node executed this fire before. */
  void claimFire(String scheduler, String job, long scheduledFireTime, String instance) throws SQLException {
    try (Connection c = connect();
        PreparedStatement ps = c.prepareStatement("INSERT INTO schedule_it_fires VALUES (?, ?, ?, ?)")) {
      ps.setString(1, scheduler);
      ps.setString(2, job);
      ps.setLong(3, scheduledFireTime);
      ps.setString(4, instance);
      ps.executeUpdate();
    }
  }

  /** @return the id for {@link #ended} */
  long started(String scheduler, String job, long scheduledFireTime, String instance, boolean recovering)
      throws SQLException {
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO schedule_it_runs"
        + " (scheduler, job, scheduled_fire_time, instance, recovering, started_at) VALUES (?, ?, ?, ?, ?, ?)"
        + " RETURNING id")) {
      ps.setString(1, scheduler);
      ps.setString(2, job);
      ps.setLong(3, scheduledFireTime);
      ps.setString(4, instance);
      ps.setBoolean(5, recovering);
      ps.setLong(6, System.currentTimeMillis());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  void ended(long id) throws SQLException {
    try (Connection c = connect();
        PreparedStatement ps = c.prepareStatement("UPDATE schedule_it_runs SET ended_at = ? WHERE id = ?")) {
      ps.setLong(1, System.currentTimeMillis());
      ps.setLong(2, id);
      ps.executeUpdate();
    }
  }

  /** Runs of one job of one cluster, by start. */
  List<Run> runs(String scheduler, String job) throws SQLException {
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT job, scheduled_fire_time,"
        + " instance, recovering, started_at, ended_at FROM schedule_it_runs WHERE scheduler = ? AND job = ?"
        + " ORDER BY started_at, id")) {
      ps.setString(1, scheduler);
      ps.setString(2, job);
      List<Run> runs = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long ended = rs.getLong(6);
          runs.add(new Run(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getBoolean(4), rs.getLong(5),
              rs.wasNull() ? null : ended));
        }
      }
      return runs;
    }
  }

  /** Fires claimed for one job of one cluster. */
  int claimedFires(String scheduler, String job) throws SQLException {
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
        "SELECT count(*) FROM schedule_it_fires WHERE scheduler = ? AND job = ?")) {
      ps.setString(1, scheduler);
      ps.setString(2, job);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
