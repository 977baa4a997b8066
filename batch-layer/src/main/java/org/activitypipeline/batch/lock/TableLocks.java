package org.activitypipeline.batch.lock;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * One writer per Hudi table across all batch-layer processes: a PostgreSQL advisory lock per
 * table, held on its own connection for as long as the write runs. Quartz keeps one job from
 * overlapping itself, but ingest and clustering are different jobs and may run on different
 * nodes; Hudi's single-writer mode needs them serialized per table. A killed process's
 * connection drops and PostgreSQL releases its locks at once.
 */
public final class TableLocks {

  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final Duration waitLimit;

  public TableLocks(String jdbcUrl, String user, String password, Duration waitLimit) {
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
    this.waitLimit = waitLimit;
  }

  /** A held lock; closing it releases the lock. */
  public interface Held extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Waits up to the wait limit for the table's lock.
   *
   * @throws IllegalStateException when another writer holds it longer than that
   */
  public Held acquire(String table) {
    long deadline = System.nanoTime() + waitLimit.toNanos();
    Connection c = null;
    try {
      c = DriverManager.getConnection(jdbcUrl, user, password);
      try (PreparedStatement st = c.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
        st.setString(1, "activitypipeline.hudi." + table);
        while (true) {
          try (ResultSet rs = st.executeQuery()) {
            rs.next();
            if (rs.getBoolean(1)) {
              Connection held = c;
              return () -> closeQuietly(held);
            }
          }
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("table " + table + " is being written by another batch job for more than "
                + waitLimit + "; try again later");
          }
          Thread.sleep(250);
        }
      }
    } catch (SQLException e) {
      closeQuietly(c);
      throw new IllegalStateException("cannot take the write lock of table " + table + " in PostgreSQL: "
          + e.getMessage(), e);
    } catch (InterruptedException e) {
      closeQuietly(c);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the write lock of table " + table, e);
    } catch (RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  private static void closeQuietly(Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.close(); // session end releases the advisory lock
    } catch (SQLException ignored) {
      // the server drops the lock with the session anyway
    }
  }
}
