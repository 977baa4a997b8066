package org.activitypipeline.speed.poller;

import com.datastax.oss.driver.api.core.CqlSession;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.activitypipeline.common.json.JsonCodec;
import org.activitypipeline.common.source.ActivityRow;
import org.activitypipeline.common.source.ActivityTableReader;
import org.activitypipeline.common.source.RawActivities;
import org.activitypipeline.common.time.ActivityBuckets;
import org.activitypipeline.common.topic.RecordLimits;
import org.activitypipeline.common.kafka.KafkaClients;
import org.activitypipeline.common.ops.LogText;
import org.activitypipeline.common.source.CassandraSecurity;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams new Cassandra activity rows to Kafka, exactly once.
 *
 * <h2>How exactly-once holds</h2>
 * Each poll reads, per owned shard, a write-time interval from the recent partitions only
 * ({@link PollWindow}, {@link PollRange}), then in ONE Kafka transaction sends the new rows and the new
 * watermarks (to the compacted state topic). A crash before the commit aborts both; after it, both are visible.
 * In-memory state (watermark, {@link RecentIds}) changes only after a successful commit. Whenever
 * the outcome of a transaction is unknown (any error after {@code beginTransaction}), the producer
 * is discarded and the state is reloaded from Kafka, exactly as on a restart: the new producer's
 * {@code initTransactions()} aborts what was left open, then the committed watermark and the ids
 * emitted inside the late window are read back ({@link PollerStateStore}).
 *
 * <h2>Several instances</h2>
 * Instances of one group split the shards ({@link ShardAssignment}); each polls the shards it owns, each
 * shard with its own watermark (state records keyed {@code shard-<n>}). Every transaction also commits the
 * group's offsets of those shards with the consumer's group metadata, so an instance that lost its shards
 * (stalled past the session timeout) cannot commit rows for them; a new owner waits until the previous
 * owner's transaction is resolved before it reads the shards' state. After any rebalance the owned
 * shards' state is read again from Kafka.
 *
 * <h2>Late rows</h2>
 * Rows with an old {@code event_time} are nothing special: partitions are by write time. Rows that
 * become visible after the watermark passed their write time (writer clock behind, write in flight)
 * are found by the second look {@link PollWindow} takes at every slice of write time, one late
 * window after the first; {@link RecentIds} keeps them from being emitted twice.
 *
 * <h2>Invalid rows</h2>
 * A row that is not a valid activity ({@link ActivityRow}: a column missing, a negative duration) goes
 * to the dead-letter topic with the reason, in the same transaction, and counts as emitted: it is
 * dead-lettered exactly once, and never coerced into an activity.
 *
 * <h2>Failures</h2>
 * Cassandra or Kafka unavailable: the poll fails, is logged once per attempt with the next retry
 * time, and is retried with exponential backoff; nothing is lost, since the watermark did not move.
 * Only a fenced producer (another instance with the same transactional id) ends the loop.
 *
 * <p>One thread runs {@link #run()}; {@link #stop()} may be called from any thread.
 */
final class ActivityPoller implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ActivityPoller.class);
  /** {@code dlq.stage} of the poller's dead letters. */
  static final String STAGE = RawActivities.STAGE;

  private final PollerConfig config;
  private final Clock clock;
  private final PollerStateStore stateStore;
  private final RawActivities records;
  private final JsonCodec<PollerState> stateCodec = JsonCodec.of(PollerState.class, PollerState.SCHEMA_VERSION);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile boolean healthy;

  private CqlSession session;
  private ActivityTableReader reader;
  private Producer<byte[], byte[]> producer;
  private ShardAssignment assignment;
  private RecentIds recent = new RecentIds();
  /** Per owned shard, the committed watermark; empty while this instance owns no shard (a standby). */
  private final Map<Integer, Long> watermarks = new TreeMap<>();
  /** Per owned shard, the write time one poll may cover: poll.max.span, doubled per empty poll while catching up. */
  private final Map<Integer, Duration> spans = new HashMap<>();
  /** False until the owned shards' state is read from Kafka (after a (re)start, a failure or a rebalance). */
  private boolean stateLoaded;

  private final Counter emitted;
  /** Largest value sent to Kafka: the producer's max.request.size less room for key, headers and batch overhead. */
  private final int maxRecordBytes;
  private final Counter rejected;
  private final Counter lateVisible;
  private final Counter polls;
  private final Counter failures;
  private final Timer commitLatency;
  private final AtomicLong watermarkGauge = new AtomicLong();

  ActivityPoller(PollerConfig config, Clock clock, MeterRegistry metrics) {
    this.config = config;
    this.clock = clock;
    this.maxRecordBytes = RecordLimits.maxValueBytes(config.producerOverrides());
    this.records = new RawActivities(config.rawActivitiesTopic(), config.deadLetterTopic(),
        config.keyspace() + "." + config.table());
    this.stateStore = new PollerStateStore(config.kafka(), config.stateTopic(),
        config.rawActivitiesTopic(), config.deadLetterTopic(), config.transactionalId());
    this.emitted = metrics.counter("poller.rows.emitted");
    this.rejected = metrics.counter("poller.rows.rejected");
    this.lateVisible = metrics.counter("poller.rows.late_visible");
    this.polls = metrics.counter("poller.polls");
    this.failures = metrics.counter("poller.poll.failures");
    this.commitLatency = Timer.builder("poller.transaction.commit").publishPercentiles(0.5, 0.99).register(metrics);
    metrics.gauge("poller.watermark.lag.seconds", watermarkGauge,
        w -> w.get() == 0 ? Double.NaN : (clock.millis() - w.get()) / 1000.0);
  }

  /** Polls until {@link #stop()}; returns normally then. Throws only when fenced by another instance. */
  void run() {
    Duration backoff = config.backoffInitial();
    try {
      while (running) {
        try {
          ensureStarted();
          boolean more = pollOnce();
          healthy = true;
          backoff = config.backoffInitial();
          if (!more) {
            pause(config.pollInterval());
          }
        } catch (ProducerFencedException | TransactionalIdAuthorizationException e) {
          throw new IllegalStateException("another poller took over transactional id '" + config.transactionalId()
              + "' (" + e.getMessage() + "); this instance stops", e);
        } catch (RuntimeException e) {
          // A refused login, TLS handshake or ACL does not heal by retrying: stop, naming the setting.
          String refused = CassandraSecurity.refusal(e);
          refused = refused != null ? refused : KafkaClients.securityFailure(e);
          if (refused != null) {
            throw new IllegalStateException(refused, e);
          }
          healthy = false;
          failures.increment();
          LOG.warn("event=poll_failed error_type={} error=\"{}\" retry_in_ms={}", e.getClass().getSimpleName(),
              firstLine(e), backoff.toMillis());
          discardTransactionalState();
          pause(backoff);
          backoff = backoff.multipliedBy(2).compareTo(config.backoffMax()) > 0 ? config.backoffMax()
              : backoff.multipliedBy(2);
        }
      }
    } finally {
      finished.countDown();
    }
  }

  /** Connects what is not connected yet and, after a (re)start, reloads the committed state. */
  private void ensureStarted() {
    if (session == null) {
      session = ActivityTableReader.connect(config.contactPoint(), config.localDatacenter(),
          config.cassandraSecurity(), "poller");
      reader = new ActivityTableReader(session, config.keyspace(), config.table(), config.consistency(),
          config.pageSize());
      LOG.info("event=cassandra_connected contact_point={}", config.contactPoint());
    }
    if (assignment == null) {
      assignment = new ShardAssignment(config.kafka(), config.groupId(), config.shardsTopic(),
          config.shards(), config.sessionTimeout(), "poller-" + config.transactionalId());
    }
    if (producer == null) {
      producer = newProducer();
      producer.initTransactions(); // aborts whatever this transactional id left open
      stateLoaded = false;
    }
    if (assignment.poll() || !stateLoaded) {
      loadState();
    }
  }

  /**
   * Reads the owned shards' watermarks and the ids emitted inside their late window from Kafka, once no
   * transaction of an earlier owner of these shards is pending.
   */
  private void loadState() {
    Set<Integer> shards = assignment.owned();
    watermarks.clear();
    spans.clear();
    recent = new RecentIds();
    if (!shards.isEmpty()) {
      assignment.awaitStable();
      Map<Integer, Long> committed = stateStore.committedWatermarks(shards);
      long initial = clock.millis() - config.lag().toMillis() - config.initialLookback().toMillis();
      for (int shard : shards) {
        watermarks.put(shard, committed.getOrDefault(shard, initial));
        spans.put(shard, config.maxSpan());
      }
      recent = stateStore.emittedSince(minWatermark() - config.lateWindow().toMillis(), shards::contains,
          config.shards());
      watermarkGauge.set(minWatermark());
      LOG.info("event=state_loaded shards={} watermark={} from_kafka={} initial_lookback={} recent_ids={}", shards,
          Instant.ofEpochMilli(minWatermark()), committed.size(), shards.size() - committed.size(), recent.size());
    } else {
      LOG.info("event=state_loaded shards=[] (standby: another instance owns every shard)");
    }
    stateLoaded = true;
  }

  private long minWatermark() {
    return watermarks.values().stream().mapToLong(Long::longValue).min().orElse(Long.MIN_VALUE);
  }

  /**
   * One poll of every owned shard, one transaction: the new rows, each shard's new watermark, and the
   * group's check that the shards are still this instance's.
   *
   * @return true when more rows are already waiting (catching up)
   */
  boolean pollOnce() {
    if (watermarks.isEmpty()) {
      return false; // a standby: nothing to poll until the group assigns a shard
    }
    long now = clock.millis();
    Map<Integer, PollWindow> windows = new TreeMap<>();
    Map<Integer, Integer> rowsPerShard = new HashMap<>();
    List<ActivityRow> fresh = new ArrayList<>();
    for (Map.Entry<Integer, Long> e : watermarks.entrySet()) {
      PollWindow window = PollWindow.next(e.getValue(), now, config.lag(), config.lateWindow(), spans.get(e.getKey()));
      windows.put(e.getKey(), window);
      int before = fresh.size();
      newRows(e.getKey(), window, fresh);
      rowsPerShard.put(e.getKey(), fresh.size() - before);
    }
    fresh.sort(Comparator.comparingLong(ActivityRow::writeTimeMillis).thenComparing(r -> r.activityId().toString()));

    producer.beginTransaction();
    int invalid = 0;
    for (int i = 0; i < fresh.size(); i++) {
      // An oversized activity becomes a dead letter: Kafka would refuse it and fail every retry of the transaction.
      RawActivities.Outgoing out = records.outgoing(fresh.get(i), maxRecordBytes);
      fresh.set(i, out.row());
      producer.send(out.record());
      if (!out.row().isValid()) {
        invalid++;
      }
    }
    for (Map.Entry<Integer, PollWindow> w : windows.entrySet()) {
      producer.send(new ProducerRecord<>(config.stateTopic(),
          PollerStateStore.shardKey(w.getKey()).getBytes(StandardCharsets.UTF_8),
          stateCodec.encode(new PollerState(PollerState.SCHEMA_VERSION, w.getValue().newWatermark(), clock.instant()))));
    }
    // Refused by the group coordinator once these shards went to another instance: nothing is committed then.
    producer.sendOffsetsToTransaction(assignment.offsets(), assignment.groupMetadata());
    long t0 = System.nanoTime();
    producer.commitTransaction();
    commitLatency.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);

    // Committed: only now does the in-memory state move.
    int late = 0;
    for (ActivityRow row : fresh) {
      recent.add(row.activityId());
      if (row.writeTimeMillis() <= watermarks.get(ActivityBuckets.shardOf(row.activityId(), config.shards()))) {
        late++;
      }
      if (!row.isValid()) {
        LOG.warn("event=row_rejected activity_id={} write_time={} reason=\"{}\"", row.activityId(),
            Instant.ofEpochMilli(row.writeTimeMillis()), row.invalidReason());
      }
    }
    boolean behind = false;
    for (Map.Entry<Integer, PollWindow> w : windows.entrySet()) {
      int shard = w.getKey();
      watermarks.put(shard, w.getValue().newWatermark());
      boolean shardBehind = w.getValue().toMs() < now - config.lag().toMillis();
      behind |= shardBehind;
      // Catching up over empty write time (a first start, a long stop) must not take one poll per
      // max.span; rows found bring the span back, so a transaction stays near max.span worth of rows.
      spans.put(shard, shardBehind && rowsPerShard.get(shard) == 0 ? PollWindow.widened(spans.get(shard),
          config.maxSpan()) : config.maxSpan());
    }
    recent.pruneOlderThan(minWatermark() - config.lateWindow().toMillis());
    watermarkGauge.set(minWatermark());
    emitted.increment(fresh.size() - invalid);
    rejected.increment(invalid);
    lateVisible.increment(late);
    polls.increment();
    if (late > 0) {
      LOG.info("event=late_visible_rows count={} watermark={}", late, Instant.ofEpochMilli(minWatermark()));
    }
    return behind;
  }

  /** Adds the rows of {@code shard} in {@code window} not emitted before to {@code rows}. */
  private void newRows(int shard, PollWindow window, List<ActivityRow> rows) {
    Set<UUID> seen = new HashSet<>();
    List<PollRange> ranges = new ArrayList<>(PollRange.covering(window.fromMs(), window.toMs(), config.shards()));
    if (window.hasRecheck()) {
      ranges.addAll(PollRange.covering(window.recheckFromMs(), window.recheckToMs(), config.shards()));
    }
    for (PollRange range : ranges) {
      if (range.shard() != shard) {
        continue;
      }
      reader.read(range.ingestHour(), range.shard(), range.fromMs(), range.toMs(), row -> {
        if (!recent.contains(row.activityId()) && seen.add(row.activityId())) {
          rows.add(row);
        }
      });
    }
  }

  private Producer<byte[], byte[]> newProducer() {
    Map<String, Object> tuning = new HashMap<>();
    tuning.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    tuning.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    tuning.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
    tuning.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
    tuning.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
    tuning.putAll(config.producerOverrides());
    return new KafkaProducer<>(KafkaClients.properties(config.kafka(), tuning, Map.of(
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId(),
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.ACKS_CONFIG, "all")), new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * After a failure the transaction's outcome may be unknown: throw the producer away (its open
   * transaction is aborted by the next {@code initTransactions()}) and reload the state from Kafka.
   */
  private void discardTransactionalState() {
    if (producer != null) {
      try {
        producer.close(Duration.ZERO);
      } catch (RuntimeException e) {
        LOG.debug("event=producer_close_failed error={}", e.toString());
      }
      producer = null;
    }
  }

  private void pause(Duration d) {
    try {
      stopped.await(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  /** Asks {@link #run()} to return after the poll in progress (whose transaction completes). */
  void stop() {
    running = false;
    stopped.countDown();
  }

  /** Waits up to {@code timeout} for {@link #run()} to return. */
  boolean awaitFinished(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  boolean isHealthy() {
    return healthy;
  }

  /** The lowest watermark of the owned shards (write time, ms); {@link Long#MIN_VALUE} while owning none. */
  long watermarkMs() {
    return minWatermark();
  }

  @Override
  public void close() {
    stop();
    if (producer != null) {
      producer.close(Duration.ofSeconds(10));
      producer = null;
    }
    if (assignment != null) {
      assignment.close(); // leaves the group: the others take the shards at once
      assignment = null;
    }
    if (session != null) {
      session.close();
      session = null;
    }
  }

  private static String firstLine(Throwable e) {
    return LogText.firstLine(String.valueOf(e.getMessage())).replace('"', '\'');
  }
}
