package org.activitypipeline.generators.run;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;

/** JDBC connections to the employees database with the generators' timeouts and one-line errors. */
public final class Postgres {
  private Postgres() {
  }

  /**
   * Opens a connection with short timeouts, so an unreachable server fails in seconds, not minutes.
   * Parameters in the URL win over these defaults.
   *
   * @throws GeneratorException {@code cannot connect to PostgreSQL at URL: REASON}
   */
  public static Connection connect(String jdbcUrl, String user, String password) {
    Properties props = new Properties();
    props.setProperty("user", user);
    props.setProperty("password", password);
    props.setProperty("connectTimeout", "10");
    props.setProperty("loginTimeout", "15");
    props.setProperty("tcpKeepAlive", "true");
    props.setProperty("reWriteBatchedInserts", "true");
    props.setProperty("ApplicationName", "generators");
    try {
      return DriverManager.getConnection(jdbcUrl, props);
    } catch (SQLException e) {
      throw new GeneratorException("cannot connect to PostgreSQL at " + jdbcUrl + ": "
          + GeneratorException.rootMessage(e), e);
    }
  }

  /**
   * @throws GeneratorException {@code table T does not exist in URL: apply init-scripts/postgres}
   */
  public static void requireTables(Connection c, String jdbcUrl, String... tables) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT to_regclass(?)")) {
      for (String table : tables) {
        st.setString(1, table);
        try (ResultSet rs = st.executeQuery()) {
          rs.next();
          if (rs.getString(1) == null) {
            throw new GeneratorException("table " + table + " does not exist in " + jdbcUrl
                + ": apply init-scripts/postgres");
          }
        }
      }
    }
  }

  /** A one-line failure naming the server. */
  public static GeneratorException failure(String jdbcUrl, Exception e) {
    return new GeneratorException("PostgreSQL error at " + jdbcUrl + ": " + GeneratorException.rootMessage(e), e);
  }

  /** Closes {@code c}, ignoring errors (it is being abandoned). */
  public static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // nothing useful to do with a connection we are abandoning
    }
  }
}
