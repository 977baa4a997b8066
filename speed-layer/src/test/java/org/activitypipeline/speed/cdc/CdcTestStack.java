package org.activitypipeline.speed.cdc;

import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.activitypipeline.localstack.LocalStack;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Connection settings, cdc configs and slot handling of the integration tests, all from the stack. */
final class CdcTestStack {
  private static final AtomicInteger SEQ = new AtomicInteger();
  final LocalStack stack;
  final Map<String, String> props;

  CdcTestStack(LocalStack stack) {
    this.stack = stack;
    this.props = stack.connectionProperties();
  }

  String bootstrap() {
    return props.get("kafka.bootstrap.servers");
  }

  String jdbcUrl() {
    return "jdbc:postgresql://" + props.get("postgres.host") + ":" + props.get("postgres.port") + "/"
        + props.get("postgres.database");
  }

  /** The application role (owner of the tables), as the generators use it. */
  Connection app() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), props.get("postgres.user"), props.get("postgres.password"));
  }

  Connection superuser() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), props.getOrDefault("postgres.superuser", "postgres"), "");
  }

  /** A unique name for this test's slot, engine and transactional.id, so tests never share positions. */
  static String uniqueName(String prefix) {
    return prefix + "_" + ProcessHandle.current().pid() + "_" + SEQ.incrementAndGet();
  }

  /** Raw cdc settings for the test stack: replication role, own slot, no snapshot, no metrics port. */
  Map<String, String> cdcSettings(String name) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("kafka.bootstrap.servers", bootstrap());
    m.put("kafka.transactional.id", name);
    m.put("postgres.host", props.get("postgres.host"));
    m.put("postgres.port", props.get("postgres.port"));
    m.put("postgres.database", props.get("postgres.database"));
    m.put("postgres.user", props.get("postgres.replication.user"));
    m.put("postgres.password", props.get("postgres.replication.password"));
    m.put("postgres.slot.name", name);
    m.put("engine.name", name);
    m.put("snapshot.mode", "no_data");
    m.put("offset.flush.interval", "500ms");
    m.put("heartbeat.interval", "2s");
    m.put("retry.backoff.initial", "500ms");
    m.put("retry.backoff.max", "5s");
    m.put("metrics.port", "0");
    return m;
  }

  /** Starts a cdc supervisor in this JVM (the same classes the jar runs) on its own thread. */
  InProcessCdc startInProcess(Map<String, String> settings) {
    CdcConfig config = CdcConfig.from(CdcConfig.DEF.parse(settings));
    CdcMetrics metrics = new CdcMetrics(new SimpleMeterRegistry(), Clock.systemUTC());
    EngineSupervisor supervisor = new EngineSupervisor(config,
        () -> new KafkaProducer<>(KafkaBridge.producerConfig(config), new StringSerializer(), new StringSerializer()),
        metrics);
    Thread t = new Thread(supervisor::run, "cdc-it-" + config.slotName());
    t.start();
    InProcessCdc cdc = new InProcessCdc(config, supervisor, metrics, t);
    awaitSlotActive(config.slotName());
    return cdc;
  }

  /** Streaming has begun once the slot exists and a walsender is attached: later commits are captured. */
  void awaitSlotActive(String slot) {
    await("slot " + slot + " active").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
        .ignoreExceptions().until(() -> Boolean.TRUE.equals(slotActive(slot)));
  }

  Boolean slotActive(String slot) throws SQLException {
    try (Connection c = superuser();
        PreparedStatement st = c.prepareStatement("SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
      st.setString(1, slot);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getBoolean(1) : null;
      }
    }
  }

  /** The slot's confirmed_flush_lsn as a number. */
  long confirmedFlushLsn(String slot) throws SQLException {
    try (Connection c = superuser(); PreparedStatement st = c.prepareStatement(
        "SELECT confirmed_flush_lsn - '0/0'::pg_lsn FROM pg_replication_slots WHERE slot_name = ?")) {
      st.setString(1, slot);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getLong(1) : -1;
      }
    }
  }

  /** Drops the slot once no walsender holds it (a slot left behind would keep WAL forever). */
  void dropSlot(String slot) {
    await("slot " + slot + " dropped").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
        .ignoreExceptions().until(() -> {
          try (Connection c = superuser(); PreparedStatement st = c.prepareStatement(
              "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?")) {
            st.setString(1, slot);
            st.execute();
          }
          return slotActive(slot) == null;
        });
  }

  /** A cdc supervisor running on a thread of the test JVM. */
  record InProcessCdc(CdcConfig config, EngineSupervisor supervisor, CdcMetrics metrics, Thread thread)
      implements AutoCloseable {
    @Override
    public void close() throws InterruptedException {
      supervisor.close();
      thread.join(30_000);
    }
  }
}
