package org.activitypipeline.localstack.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.activitypipeline.localstack.InitScripts;
import org.activitypipeline.localstack.ManagedServer;
import org.activitypipeline.localstack.ServerKind;
import org.activitypipeline.localstack.StackPorts;
import org.activitypipeline.localstack.process.Ports;
import org.activitypipeline.localstack.process.ServerStartException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL 17 from Maven Central binaries (zonky), a native process outside this JVM, with
 * {@code wal_level=logical}. On the first start it creates the {@value #DATABASE} database and
 * applies {@code init-scripts/postgres/*.sql} in one transaction, as docker's postgres image does
 * with its init folder; later starts reuse the data folder untouched.
 */
public final class PostgresServer implements ManagedServer {
  public static final String DATABASE = "hr";
  public static final String APP_USER = "pipeline";
  public static final String APP_PASSWORD = "pipeline";
  public static final String REPLICATION_USER = "cdc_replicator";
  public static final String REPLICATION_PASSWORD = "cdc";
  public static final String PUBLICATION = "employee_cdc";
  private static final String SUPERUSER = "postgres";
  private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);

  private final Path home;
  private final Path dataDir;
  private final Path logFile;
  private final int port;
  private EmbeddedPostgres postgres;

  public PostgresServer(Path stackDataDir, StackPorts ports) {
    this.home = stackDataDir.resolve("postgres");
    this.dataDir = home.resolve("data");
    this.logFile = stackDataDir.resolve("logs").resolve("postgres.log");
    this.port = ports.postgres();
  }

  @Override
  public ServerKind kind() {
    return ServerKind.POSTGRES;
  }

  @Override
  public void start() throws IOException, SQLException {
    if (isRunning()) {
      return;
    }
    Ports.requireFree("postgres", Map.of("postgres", port));
    Files.createDirectories(home);
    Files.createDirectories(logFile.getParent());
    postgres = EmbeddedPostgres.builder()
        .setDataDirectory(dataDir)
        .setCleanDataDirectory(false)
        .setRegisterShutdownHook(false)
        .setPort(port)
        .setPGStartupWait(Duration.ofSeconds(60))
        .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
        .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
        .setServerConfig("listen_addresses", "127.0.0.1")
        .setServerConfig("wal_level", "logical")
        .setServerConfig("max_wal_senders", "10")
        .setServerConfig("max_replication_slots", "10")
        // zonky turns this off for speed; CDC latency and durability tests need real commits.
        .setServerConfig("synchronous_commit", "on")
        .setServerConfig("fsync", "on")
        .setServerConfig("max_connections", "200")
        .setServerConfig("shared_buffers", "64MB")
        // Tests read each transaction's commit time (the time Debezium reports) to build references.
        .setServerConfig("track_commit_timestamp", "on")
        .start();
    keepSlotWalBounded();
    initialiseOnce();
    LOG.info("event=ready server=postgres port={} pid={}", port, pid());
  }

  /**
   * A slot nobody reads (cdc down for days) must not fill the disk: past 2 GB of WAL it keeps, PostgreSQL
   * invalidates it. Set with ALTER SYSTEM, not on the command line, so that a test can lower it (and a
   * restart sets it back).
   */
  private void keepSlotWalBounded() throws SQLException {
    try (Connection admin = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, "");
         Statement st = admin.createStatement()) {
      st.execute("ALTER SYSTEM SET max_slot_wal_keep_size = '2GB'");
      st.execute("SELECT pg_reload_conf()");
    }
    // The reload is asynchronous: wait until a new session sees it.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, "");
           Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW max_slot_wal_keep_size")) {
        if (rs.next() && "2GB".equals(rs.getString(1))) {
          return;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new ServerStartException("max_slot_wal_keep_size did not become 2GB after pg_reload_conf()", null);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted", e);
      }
    }
  }

  private void initialiseOnce() throws SQLException {
    try (Connection admin = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, "")) {
      try (PreparedStatement exists = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
        exists.setString(1, DATABASE);
        try (ResultSet rs = exists.executeQuery()) {
          if (rs.next()) {
            return;
          }
        }
      }
      try (Statement st = admin.createStatement()) {
        st.execute("CREATE DATABASE " + DATABASE);
      }
    }
    try (Connection db = DriverManager.getConnection(jdbcUrl(DATABASE), SUPERUSER, "")) {
      db.setAutoCommit(false);
      for (InitScripts.Script script : InitScripts.load("postgres", ".sql")) {
        try (Statement st = db.createStatement()) {
          st.execute(script.text());
        } catch (SQLException e) {
          db.rollback();
          dropDatabase();
          throw new ServerStartException("init script " + script.name() + " failed: " + e.getMessage(), e);
        }
        LOG.info("event=init_script_applied server=postgres script={}", script.name());
      }
      db.commit();
    }
  }

  private void dropDatabase() throws SQLException {
    try (Connection admin = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, "");
        Statement st = admin.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + DATABASE);
    }
  }

  private String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** Fast shutdown (pg_ctl -m fast): open transactions roll back, WAL is flushed. */
  @Override
  public void stop() {
    if (postgres == null) {
      return;
    }
    try {
      postgres.close();
    } catch (IOException e) {
      LOG.warn("event=stop_failed server=postgres error={}", e.toString());
    }
    postgres = null;
    LOG.info("event=stopped server=postgres");
  }

  /** SIGKILL the postmaster and every backend: what a power cut looks like to PostgreSQL. */
  @Override
  public void kill() {
    long pid = postmasterPid();
    if (pid > 0) {
      ProcessHandle.of(pid).ifPresent(p -> {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.onExit().join();
      });
      LOG.info("event=killed server=postgres pid={}", pid);
    }
    // Releases zonky's lock file; its pg_ctl stop finds no server and only logs that.
    stop();
  }

  @Override
  public boolean isRunning() {
    long pid = postmasterPid();
    return postgres != null && pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  @Override
  public long pid() {
    return isRunning() ? postmasterPid() : -1;
  }

  private long postmasterPid() {
    try {
      Path pidFile = dataDir.resolve("postmaster.pid");
      if (!Files.exists(pidFile)) {
        return -1;
      }
      return Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  @Override
  public Map<String, String> connectionProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("postgres.jdbc.url", jdbcUrl(DATABASE));
    p.put("postgres.host", "127.0.0.1");
    p.put("postgres.port", String.valueOf(port));
    p.put("postgres.database", DATABASE);
    p.put("postgres.user", APP_USER);
    p.put("postgres.password", APP_PASSWORD);
    p.put("postgres.replication.user", REPLICATION_USER);
    p.put("postgres.replication.password", REPLICATION_PASSWORD);
    p.put("postgres.publication", PUBLICATION);
    p.put("postgres.superuser", SUPERUSER);
    return p;
  }
}
