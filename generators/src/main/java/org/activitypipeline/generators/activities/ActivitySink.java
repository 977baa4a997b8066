package org.activitypipeline.generators.activities;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import org.activitypipeline.common.source.CassandraSecurity;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.type.codec.TypeCodec;
import com.datastax.oss.driver.api.core.type.codec.TypeCodecs;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.activitypipeline.generators.run.GeneratorException;

/**
 * Asynchronous inserts into {@code KEYSPACE.employee_activity} with at most {@code maxInFlight}
 * requests outstanding: {@link #acquireSlot()} blocks while the window is full, and each request
 * frees its slot when it completes. That bounds memory and the load on the cluster while keeping
 * enough requests in the air that the generator is never the bottleneck.
 *
 * <p>{@code acquireSlot}/{@code insert} are called by one thread; completions run on driver threads
 * and count the write before freeing its slot, so after {@link #awaitIdle} the counters are complete.
 */
final class ActivitySink implements AutoCloseable {
  static final String TABLE = "employee_activity";
  private static final TypeCodec<Map<String, String>> METADATA_CODEC = TypeCodecs.mapOf(TypeCodecs.TEXT,
      TypeCodecs.TEXT);

  private final CqlSession session;
  private final PreparedStatement insert;
  private final ConsistencyLevel consistency;
  private final Semaphore slots;
  private final int maxInFlight;
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong lateWritten = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicReference<String> lastError = new AtomicReference<>();

  private ActivitySink(CqlSession session, PreparedStatement insert, ConsistencyLevel consistency, int maxInFlight) {
    this.session = session;
    this.insert = insert;
    this.consistency = consistency;
    this.maxInFlight = maxInFlight;
    this.slots = new Semaphore(maxInFlight);
  }

  /**
   * Connects, checks the local datacenter and the table, prepares the insert.
   *
   * @throws GeneratorException "cannot connect to Cassandra at HOST:PORT: ..." or "table
   *     KS.employee_activity does not exist: apply init-scripts/cassandra"
   */
  static ActivitySink open(String contactPoint, String localDc, CassandraSecurity security, String keyspace,
                           ConsistencyLevel consistency, int maxInFlight) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be >= 1, was " + maxInFlight);
    }
    InetSocketAddress address = address(contactPoint);
    DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
        .withDuration(DefaultDriverOption.CONNECTION_CONNECT_TIMEOUT, Duration.ofSeconds(5))
        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(10))
        .withInt(DefaultDriverOption.CONNECTION_MAX_REQUESTS, Math.max(1024, maxInFlight))
        .build();
    CqlSession session;
    try {
      session = security.applyTo(CqlSession.builder().addContactPoint(address).withLocalDatacenter(localDc)
          .withConfigLoader(config).withApplicationName("generators")).build();
    } catch (AllNodesFailedException e) {
      Throwable first = e.getAllErrors().values().stream().flatMap(List::stream).findFirst().orElse(e);
      throw new GeneratorException("cannot connect to Cassandra at " + contactPoint + ": " + connectFailure(first), e);
    } catch (DriverException | IllegalStateException e) {
      throw new GeneratorException("cannot connect to Cassandra at " + contactPoint + ": "
          + GeneratorException.rootMessage(e), e);
    }
    try {
      requireDatacenter(session, contactPoint, localDc);
      if (session.getMetadata().getKeyspace(keyspace).flatMap(k -> k.getTable(TABLE)).isEmpty()) {
        throw new GeneratorException("table " + keyspace + "." + TABLE + " does not exist: apply init-scripts/cassandra");
      }
      PreparedStatement insert = session.prepare("INSERT INTO " + keyspace + "." + TABLE + " (ingest_hour, shard,"
          + " activity_id, employee_id, activity_type, device_type, os, ip, location, duration_seconds, event_time,"
          + " metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      return new ActivitySink(session, insert, consistency, maxInFlight);
    } catch (RuntimeException e) {
      session.close();
      if (e instanceof GeneratorException g) {
        throw g;
      }
      throw new GeneratorException("Cassandra error at " + contactPoint + ": " + GeneratorException.rootMessage(e), e);
    }
  }

  /** {@code host:port} (port 9042 when omitted). */
  static InetSocketAddress address(String contactPoint) {
    int colon = contactPoint.lastIndexOf(':');
    try {
      return colon < 0 ? new InetSocketAddress(contactPoint, 9042)
          : new InetSocketAddress(contactPoint.substring(0, colon), Integer.parseInt(contactPoint.substring(colon + 1)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("contact point must be HOST:PORT, was '" + contactPoint + "'", e);
    }
  }

  /** The useful part of a failed connection attempt; Netty hides "connection refused" in a closed channel. */
  static String connectFailure(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException || t instanceof java.nio.channels.ClosedChannelException) {
        return t instanceof ConnectException && t.getMessage() != null ? t.getMessage()
            : "connection refused or closed (is Cassandra listening on that port?)";
      }
    }
    return GeneratorException.rootMessage(error);
  }

  /** Blocks until fewer than {@code maxInFlight} requests are outstanding, and takes a slot. */
  void acquireSlot() throws InterruptedException {
    slots.acquire();
  }

  /** Sends one insert (the caller holds a slot; it is released when the request completes). */
  CompletionStage<Void> insert(UUID activityId, Instant ingestHour, int shard, ActivityDraft d) {
    CompletionStage<Void> sent;
    try {
      // Typed setters with explicit codecs: bind(Object...) looks up a codec per value, and for the
      // map that lookup (generic type hashing) cost more CPU than the rest of the write.
      BoundStatement bound = insert.boundStatementBuilder()
          .setInstant(0, ingestHour)
          .setInt(1, shard)
          .setUuid(2, activityId)
          .setLong(3, d.employeeId())
          .setString(4, d.activityType())
          .setString(5, d.deviceType())
          .setString(6, d.os())
          .setString(7, d.ip())
          .setString(8, d.location())
          .setInt(9, d.durationSeconds())
          .setInstant(10, d.eventTime())
          .set(11, d.metadata(), METADATA_CODEC)
          .setConsistencyLevel(consistency)
          .setIdempotence(true)
          .build();
      sent = session.executeAsync(bound).thenApply(rs -> null);
    } catch (RuntimeException e) {
      slots.release();
      throw e;
    }
    // Counted before the slot is freed, so once awaitIdle returns the counters include every write.
    return sent.whenComplete((ok, error) -> {
      try {
        if (error == null) {
          written.incrementAndGet();
          if (d.late()) {
            lateWritten.incrementAndGet();
          }
        } else {
          failed.incrementAndGet();
          lastError.set(GeneratorException.rootMessage(error));
        }
      } finally {
        slots.release();
      }
    });
  }

  long written() {
    return written.get();
  }

  long lateWritten() {
    return lateWritten.get();
  }

  long failed() {
    return failed.get();
  }

  String lastError() {
    return lastError.get();
  }

  int inFlight() {
    return maxInFlight - slots.availablePermits();
  }

  /** Waits until no request is outstanding; false on timeout. */
  boolean awaitIdle(Duration timeout) throws InterruptedException {
    if (!slots.tryAcquire(maxInFlight, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      return false;
    }
    slots.release(maxInFlight);
    return true;
  }

  @Override
  public void close() {
    session.close();
  }

  private static void requireDatacenter(CqlSession session, String contactPoint, String localDc) {
    Set<String> known = new TreeSet<>();
    for (Node node : session.getMetadata().getNodes().values()) {
      if (node.getDatacenter() != null) {
        known.add(node.getDatacenter());
      }
    }
    if (!known.isEmpty() && !known.contains(localDc)) {
      throw new GeneratorException("local datacenter '" + localDc + "' not found at " + contactPoint
          + "; the cluster has " + known);
    }
  }
}
