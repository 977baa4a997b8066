package org.activitypipeline.speed.cdc;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches this instance's replication slot from PostgreSQL's side, so a slot that holds ever more WAL
 * (cdc down, stuck, or too slow) is seen before PostgreSQL runs out of disk or invalidates the slot
 * ({@code max_slot_wal_keep_size}): {@code cdc_slot_retained_wal_bytes} (WAL the slot keeps:
 * {@code pg_current_wal_lsn() - restart_lsn}), {@code cdc_slot_safe_wal_bytes} (how much more it may
 * keep before it is invalidated; NaN without a limit), {@code cdc_slot_lost} (1 once PostgreSQL has
 * removed WAL the slot needed: it cannot be resumed, see docs/OPERATIONS.md). Polled every
 * {@code period} on its own thread and connection; failures are logged and leave the last values.
 */
final class SlotMonitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SlotMonitor.class);
  private static final String QUERY = "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn), safe_wal_size,"
      + " wal_status FROM pg_replication_slots WHERE slot_name = ?";

  private final String url;
  private final Properties credentials = new Properties();
  private final String slot;
  private final ScheduledExecutorService timer;
  private volatile double retainedBytes = Double.NaN;
  private volatile double safeBytes = Double.NaN;
  private volatile String walStatus = "";

  SlotMonitor(CdcConfig c, MeterRegistry registry) {
    this.url = "jdbc:postgresql://" + c.postgresHost() + ":" + c.postgresPort() + "/" + c.postgresDatabase();
    credentials.setProperty("user", c.postgresUser());
    credentials.setProperty("password", c.postgresPassword());
    this.slot = c.slotName();
    Gauge.builder("cdc.slot.retained.wal", this, m -> m.retainedBytes).baseUnit("bytes")
        .description("WAL PostgreSQL keeps for this instance's replication slot").register(registry);
    Gauge.builder("cdc.slot.safe.wal", this, m -> m.safeBytes).baseUnit("bytes")
        .description("WAL the slot may still retain before max_slot_wal_keep_size invalidates it").register(registry);
    Gauge.builder("cdc.slot.lost", this, m -> "lost".equals(m.walStatus) ? 1 : 0)
        .description("1 once the slot lost WAL it needed (it cannot be resumed)").register(registry);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "cdc-slot-monitor");
      t.setDaemon(true);
      return t;
    });
  }

  void start(Duration period) {
    timer.scheduleWithFixedDelay(this::poll, 0, period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One look at the slot (the timer's task; also for tests). */
  void poll() {
    try (Connection c = DriverManager.getConnection(url, credentials);
         PreparedStatement st = c.prepareStatement(QUERY)) {
      st.setString(1, slot);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          return; // not created yet (first start)
        }
        retainedBytes = rs.getObject(1) == null ? Double.NaN : rs.getDouble(1);
        safeBytes = rs.getObject(2) == null ? Double.NaN : rs.getDouble(2);
        String status = rs.getString(3);
        if (!status.equals(walStatus) && (status.equals("unreserved") || status.equals("lost"))) {
          LOG.warn("event=slot_wal_{} slot={} retained_bytes={} (max_slot_wal_keep_size: {})", status, slot,
              (long) retainedBytes, status.equals("lost")
                  ? "the slot cannot be resumed; re-snapshot (docs/OPERATIONS.md)"
                  : "WAL the slot needs may be removed at the next checkpoint");
        }
        walStatus = status;
      }
    } catch (SQLException | RuntimeException e) {
      LOG.warn("event=slot_monitor_failed slot={} error=\"{}\"", slot, e.getMessage());
    }
  }

  double retainedBytes() {
    return retainedBytes;
  }

  String walStatus() {
    return walStatus;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
