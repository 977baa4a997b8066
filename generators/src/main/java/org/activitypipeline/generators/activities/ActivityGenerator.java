package org.activitypipeline.generators.activities;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import java.time.Duration;
import java.time.Instant;
import org.activitypipeline.common.source.CassandraSecurity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;
import org.activitypipeline.common.time.ActivityBuckets;
import org.activitypipeline.generators.run.GeneratorException;
import org.activitypipeline.generators.run.RatePacer;
import org.activitypipeline.generators.run.Ticker;

/**
 * Writes realistic employee activity rows into Cassandra's {@code KEYSPACE.employee_activity}
 * (schema: {@code init-scripts/cassandra/01-activity.cql}), the source of the speed layer's poller.
 *
 * <pre>{@code
 * List<Long> ids = ActivityGenerator.activeEmployeeIds(url, "pipeline", "pipeline");
 * try (ActivityGenerator gen = ActivityGenerator.connect("127.0.0.1:19042", "datacenter1", "activity", 8, 42)) {
 *   List<WrittenActivity> rows = gen.write(1000, ids, 0.05, 0.1, 0);  // 0 = as fast as possible
 * }
 * }</pre>
 *
 * <p>Each row gets a new time-based {@code activity_id} when it is sent; its timestamp is the write
 * time, whose hour is the row's {@code ingest_hour} and whose shard is
 * {@link ActivityBuckets#shardOf}: the same placement the poller reads. {@code event_time} is always
 * earlier than the event clock at the write: usually by milliseconds to 30 s, sometimes (out of order)
 * by up to 3 minutes, and for late uploads by 5 minutes to 6 hours. The event clock is the write time,
 * unless a time scale makes event time run faster ({@link EventClock}, from the generator's connect)
 * or the caller passes a clock of its own; ids, write times and partitions always stay on the real clock.
 *
 * <p>Writes are asynchronous with at most {@code maxInFlight} outstanding (default
 * {@value #DEFAULT_MAX_IN_FLIGHT}). The random content is reproducible from the seed; ids and times
 * are not (they are the clock).
 *
 * <p><b>Threads:</b> {@link #submit} and {@link #write} are called by one thread at a time; the
 * counters ({@link #written()}, {@link #failed()}, {@link #inFlight()}) may be read from any thread.
 */
public final class ActivityGenerator implements AutoCloseable {
  public static final int DEFAULT_MAX_IN_FLIGHT = 256;
  public static final String DEFAULT_CONSISTENCY = "LOCAL_ONE";
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final String contactPoint;
  private final ActivitySink sink;
  private final int shards;
  private final ActivityShaper shaper;
  private final UnaryOperator<Instant> eventClock;
  private boolean closed;

  private ActivityGenerator(String contactPoint, ActivitySink sink, int shards, long seed,
                            UnaryOperator<Instant> eventClock) {
    this.contactPoint = contactPoint;
    this.sink = sink;
    this.shards = shards;
    this.shaper = new ActivityShaper(new SplittableRandom(seed));
    this.eventClock = eventClock;
  }

  /** {@link #connect(String, String, String, int, long, String, int)} with LOCAL_ONE and 256 in flight. */
  public static ActivityGenerator connect(String contactPoint, String localDc, String keyspace, int shards, long seed) {
    return connect(contactPoint, localDc, keyspace, shards, seed, DEFAULT_CONSISTENCY, DEFAULT_MAX_IN_FLIGHT);
  }

  /**
   * Connects to Cassandra, checks the table and prepares the insert. Blocks until connected.
   *
   * @param contactPoint {@code host:port}
   * @param shards shards per {@code ingest_hour}; must match the poller's
   * @param consistency a consistency level name, e.g. {@code LOCAL_ONE} or {@code LOCAL_QUORUM}
   * @param maxInFlight most writes outstanding at once
   * @throws GeneratorException when Cassandra is unreachable or the table is missing, with a one-line
   *     message such as {@code table activity.employee_activity does not exist: apply init-scripts/cassandra}
   */
  public static ActivityGenerator connect(String contactPoint, String localDc, String keyspace, int shards, long seed,
                                          String consistency, int maxInFlight) {
    return connect(contactPoint, localDc, keyspace, shards, seed, consistency, maxInFlight, 1);
  }

  /**
   * Like {@link #connect(String, String, String, int, long, String, int)}, with event time running
   * {@code timeScale} times faster than real time from now on (see the class comment).
   *
   * @param timeScale {@code > 0} and at most 1,000,000; 1 keeps event time on the real clock
   */
  public static ActivityGenerator connect(String contactPoint, String localDc, String keyspace, int shards, long seed,
                                          String consistency, int maxInFlight, double timeScale) {
    return connect(contactPoint, localDc, CassandraSecurity.NONE, keyspace, shards, seed, consistency, maxInFlight,
        timeScale);
  }

  /** Like {@link #connect(String, String, String, int, long, String, int, double)}, with credentials and TLS. */
  public static ActivityGenerator connect(String contactPoint, String localDc, CassandraSecurity security,
                                          String keyspace, int shards, long seed, String consistency, int maxInFlight,
                                          double timeScale) {
    EventClock.checkScale(timeScale);
    ActivitySink sink = openSink(contactPoint, localDc, security, keyspace, shards, consistency, maxInFlight);
    // started once connected, so the first rows' event times are near the real time
    return new ActivityGenerator(contactPoint, sink, shards, seed, new EventClock(Instant.now(), timeScale)::at);
  }

  /**
   * Like {@link #connect(String, String, String, int, long, String, int)}, with event times taken
   * from a clock of the caller's: each row's {@code event_time} is shaped (a little earlier, out of
   * order or late, as the class comment says) from {@code eventClock.apply(writeTime)}. Tests use it
   * to move event time at their own pace, for example an hour at a time.
   *
   * @param eventClock maps a row's write time to the event clock's reading; called on the submitting thread
   */
  public static ActivityGenerator connect(String contactPoint, String localDc, String keyspace, int shards, long seed,
                                          String consistency, int maxInFlight, UnaryOperator<Instant> eventClock) {
    Objects.requireNonNull(eventClock, "eventClock");
    ActivitySink sink = openSink(contactPoint, localDc, CassandraSecurity.NONE, keyspace, shards, consistency,
        maxInFlight);
    return new ActivityGenerator(contactPoint, sink, shards, seed, eventClock);
  }

  private static ActivitySink openSink(String contactPoint, String localDc, CassandraSecurity security,
                                       String keyspace, int shards, String consistency, int maxInFlight) {
    Objects.requireNonNull(contactPoint, "contactPoint");
    if (shards < 1) {
      throw new IllegalArgumentException("shards must be >= 1, was " + shards);
    }
    return ActivitySink.open(contactPoint, localDc, security, keyspace, consistencyLevel(consistency), maxInFlight);
  }

  /** Checks a time scale as {@link #connect} does, for callers that validate up front. */
  public static void checkTimeScale(double timeScale) {
    EventClock.checkScale(timeScale);
  }

  /**
   * The ids of the employees with status {@code active}, ascending. Blocks on one query.
   *
   * @throws GeneratorException when PostgreSQL is unreachable, the table is missing or no employee is active
   */
  public static List<Long> activeEmployeeIds(String jdbcUrl, String user, String password) {
    return EmployeeDirectory.activeEmployeeIds(jdbcUrl, user, password);
  }

  /** Parses a consistency level name (case-insensitive). */
  public static ConsistencyLevel consistencyLevel(String name) {
    try {
      return DefaultConsistencyLevel.valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown consistency level '" + name + "', expected one of "
          + Arrays.toString(DefaultConsistencyLevel.values()), e);
    }
  }

  /**
   * Writes {@code count} activities, waits until all are acknowledged and returns them in the order
   * they were sent.
   *
   * @param employeeIds who acts, chosen uniformly; not empty
   * @param lateFraction share of late uploads, in [0, 1]
   * @param outOfOrderFraction share of rows held back 30 s to 3 min, in [0, 1]
   * @param ratePerSecond target rows per second; {@code <= 0} for as fast as possible
   * @throws GeneratorException if any write failed (after all others completed), or on interrupt
   */
  public List<WrittenActivity> write(long count, List<Long> employeeIds, double lateFraction,
                                     double outOfOrderFraction, double ratePerSecond) {
    if (count < 0 || count > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("count must be in [0, 2^31), was " + count);
    }
    List<Long> ids = List.copyOf(employeeIds);
    RatePacer pacer = new RatePacer(ratePerSecond, Ticker.SYSTEM);
    List<CompletableFuture<WrittenActivity>> sent = new ArrayList<>((int) count);
    try {
      for (long i = 0; i < count; i++) {
        pacer.acquire(() -> false);
        sent.add(submit(ids, lateFraction, outOfOrderFraction).toCompletableFuture());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GeneratorException("interrupted while writing activities", e);
    }
    List<WrittenActivity> result = new ArrayList<>(sent.size());
    Throwable firstError = null;
    int failures = 0;
    for (CompletableFuture<WrittenActivity> f : sent) {
      try {
        result.add(f.join());
      } catch (CompletionException e) {
        failures++;
        firstError = firstError == null ? e.getCause() : firstError;
      }
    }
    if (failures > 0) {
      throw new GeneratorException(failures + " of " + count + " activity writes to Cassandra at " + contactPoint
          + " failed: " + GeneratorException.rootMessage(firstError), firstError);
    }
    return result;
  }

  /**
   * Sends one activity without waiting for the acknowledgement. Blocks only while
   * {@code maxInFlight} writes are outstanding; the activity id (and so the write time) is taken
   * after that wait, when the row is actually sent.
   *
   * @param employeeIds who acts, chosen uniformly; not empty, random access
   * @return completes with the row when Cassandra acknowledged it, or exceptionally
   * @throws InterruptedException while waiting for a free slot
   */
  public CompletionStage<WrittenActivity> submit(List<Long> employeeIds, double lateFraction,
                                                 double outOfOrderFraction) throws InterruptedException {
    checkOpen(lateFraction, outOfOrderFraction);
    if (employeeIds.isEmpty()) {
      throw new IllegalArgumentException("no employee ids to write activity for");
    }
    long employeeId = shaper.pickEmployee(employeeIds);
    sink.acquireSlot();
    UUID id = Uuids.timeBased();
    Instant writeTime = Instant.ofEpochMilli(ActivityBuckets.writeTimeMillis(id));
    ActivityDraft draft = shaper.shape(employeeId, eventClock.apply(writeTime), lateFraction, outOfOrderFraction);
    return insert(id, writeTime, draft);
  }

  /**
   * Like {@link #submit(List, double, double)}, for the workforce a roster follows: the roster is
   * refreshed when due, the event's lag is drawn first, then someone present at that event time acts
   * (so a deleted employee's late uploads still arrive, a new hire's never predate the hire). When
   * nobody was present then, the event is one of someone present now, dated at the event clock's
   * reading (after the roster's last refresh, so they were present).
   *
   * @throws GeneratorException when the roster's first read fails or nobody is present
   */
  public CompletionStage<WrittenActivity> submit(Roster roster, double lateFraction, double outOfOrderFraction)
      throws InterruptedException {
    checkOpen(lateFraction, outOfOrderFraction);
    roster.refreshIfDue(eventClock.apply(Instant.now()), System.nanoTime());
    if (roster.size() == 0) {
      throw new GeneratorException("no active employees to write activity for");
    }
    sink.acquireSlot();
    UUID id = Uuids.timeBased();
    Instant writeTime = Instant.ofEpochMilli(ActivityBuckets.writeTimeMillis(id));
    Instant eventNow = eventClock.apply(writeTime);
    ActivityShaper.Lag lag = shaper.lag(lateFraction, outOfOrderFraction);
    Instant eventTime = eventNow.minusMillis(lag.millis());
    long employeeId = shaper.pickEmployee(roster, eventTime);
    boolean late = lag.late();
    if (employeeId < 0) {
      employeeId = shaper.pickCurrentEmployee(roster);
      eventTime = eventNow;
      late = false;
    }
    return insert(id, writeTime, shaper.shape(employeeId, eventTime, late));
  }

  private void checkOpen(double lateFraction, double outOfOrderFraction) {
    if (closed) {
      throw new IllegalStateException("generator is closed");
    }
    ActivityShaper.checkFraction("lateFraction", lateFraction);
    ActivityShaper.checkFraction("outOfOrderFraction", outOfOrderFraction);
  }

  private CompletionStage<WrittenActivity> insert(UUID id, Instant writeTime, ActivityDraft draft) {
    WrittenActivity row = new WrittenActivity(id, draft.employeeId(), draft.eventTime(), writeTime, draft.late());
    return sink.insert(id, ActivityBuckets.ingestHour(writeTime), ActivityBuckets.shardOf(id, shards), draft)
        .thenApply(ok -> row);
  }

  /** Waits until every submitted write completed; false on timeout. */
  public boolean awaitInFlight(Duration timeout) throws InterruptedException {
    return sink.awaitIdle(timeout);
  }

  /** Writes acknowledged by Cassandra so far. */
  public long written() {
    return sink.written();
  }

  /** Of {@link #written()}, the late uploads (event time 5 minutes or more before the write). */
  public long lateWritten() {
    return sink.lateWritten();
  }

  /** Writes that failed so far. */
  public long failed() {
    return sink.failed();
  }

  /** Writes sent and not yet completed. */
  public int inFlight() {
    return sink.inFlight();
  }

  /** The root-cause message of the most recent failed write, or null. */
  public String lastError() {
    return sink.lastError();
  }

  /**
   * Waits (up to 30 s) for outstanding writes, then closes the session. Safe to call twice. If
   * interrupted while waiting, closes at once and keeps the interrupt flag set.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      sink.awaitIdle(CLOSE_TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      sink.close();
    }
  }
}
