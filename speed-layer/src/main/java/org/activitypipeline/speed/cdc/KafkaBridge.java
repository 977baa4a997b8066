package org.activitypipeline.speed.cdc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine.ChangeConsumer;
import io.debezium.engine.DebeziumEngine.RecordCommitter;
import io.debezium.engine.StopEngineException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.activitypipeline.common.event.CdcProgress;
import org.activitypipeline.common.json.Json;
import org.activitypipeline.common.topic.Topics;
import org.apache.kafka.clients.producer.Producer;
import org.activitypipeline.common.kafka.KafkaClients;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch-to-Kafka bridge: each batch Debezium hands over becomes one Kafka transaction.
 *
 * <h2>Invariant</h2>
 * A record is acknowledged to Debezium ({@code markProcessed}) only after the transaction holding it
 * committed. Debezium stores (and confirms to the replication slot) only acknowledged positions, so a
 * crash at any moment re-sends changes but never skips one; re-sent changes keep their LSN, which
 * downstream uses to drop them. Within a batch records are sent in Debezium's order by one producer
 * with idempotence, and the key picks the partition, so each key's events are in commit (LSN) order.
 *
 * <h2>Progress</h2>
 * A change of the heartbeat table is not forwarded; in its place the transaction gets a
 * {@link CdcProgress} record (its commit time and LSN, header {@code cdc.progress}) on every partition
 * of every captured table's topic. Being in Debezium's (WAL) order in the same transaction, each says
 * to the consumers of its partition: every change committed before this time is before me.
 *
 * <h2>Oversized changes</h2>
 * A change event larger than a Kafka record may be ({@code kafka.producer.max.request.size} less room
 * for key, headers and batch overhead; a row with a multi-megabyte column) would fail its batch's
 * transaction on every retry and stall cdc while PostgreSQL keeps its WAL. It goes instead, in the
 * same transaction, to the dead-letter topic as a bounded reference (unless it fits without its
 * {@code before} image, a large old value of the row: then it is sent without it, header
 * {@code cdc.before.omitted}): the table's topic, the key, op,
 * LSN, commit time and size, never the row's values (they may hold salary). Counted as
 * {@code cdc_events_skipped_total{reason="too_large"}}.
 *
 * <h2>Failures</h2>
 * Any Kafka error aborts the transaction (best effort) and is rethrown as
 * {@link BatchNotCommittedException}, which stops the engine; {@link EngineSupervisor} then starts a
 * new engine and producer (the new producer's {@code initTransactions} also clears a transaction the
 * abort could not). Nothing of the failed batch was acknowledged, so it is read again.
 *
 * <p>Thread-safety: Debezium calls {@link #handleBatch} from one thread; {@link #drain} may be called
 * from another (shutdown) and waits for the batch in flight.
 */
final class KafkaBridge implements ChangeConsumer<ChangeEvent<String, String>> {
  /** Header with the change's LSN (decimal), the same as {@code source.lsn} in the value. */
  static final String LSN_HEADER = "cdc.lsn";
  /** On a change sent without its before image (the whole event was too large): the event's original size. */
  static final String BEFORE_OMITTED_HEADER = "cdc.before.omitted";
  private static final byte[] ONE = "1".getBytes(StandardCharsets.UTF_8);
  private static final Logger LOG = LoggerFactory.getLogger(KafkaBridge.class);
  private static final Set<String> OWNED_PRODUCER_KEYS = Set.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
      ProducerConfig.TRANSACTIONAL_ID_CONFIG, ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
      ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, ProducerConfig.ACKS_CONFIG,
      ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);

  private final Producer<String, String> producer;
  private final String transactionTopic;
  private final String heartbeatTopic;
  private final List<String> capturedTopics;
  private final Map<String, Integer> partitionCounts = new HashMap<>();
  private final String deadLetterTopic;
  private final int maxValueBytes;
  private final CdcMetrics metrics;
  private final ReentrantLock inFlight = new ReentrantLock();
  private volatile boolean closing;

  /**
   * @param transactionTopic destination of Debezium's transaction markers, {@code <topic.prefix>.transaction}
   * @param heartbeatTopic   destination of the heartbeat table's changes (turned into progress records)
   * @param capturedTopics   the captured tables' topics, which get the progress records
   * @param deadLetterTopic  where a reference to a change too large for Kafka goes
   * @param maxValueBytes    the largest change event value sent as it is (UTF-8 bytes)
   */
  KafkaBridge(Producer<String, String> producer, String transactionTopic, String heartbeatTopic,
              List<String> capturedTopics, String deadLetterTopic, int maxValueBytes, CdcMetrics metrics) {
    this.producer = producer;
    this.deadLetterTopic = deadLetterTopic;
    this.maxValueBytes = maxValueBytes;
    this.transactionTopic = transactionTopic;
    this.heartbeatTopic = heartbeatTopic;
    this.capturedTopics = List.copyOf(capturedTopics);
    this.metrics = metrics;
  }

  /** Why {@code kafka.producer.<key>} may not be passed through, or {@code null} if it may. */
  static String ownerOfProducerKey(String key) {
    return OWNED_PRODUCER_KEYS.contains(key) ? "the exactly-once bridge sets it (see kafka.* keys)" : null;
  }

  /** Settings of the transactional producer: idempotent, acks=all, stable transactional.id, plus overrides. */
  static Map<String, Object> producerConfig(CdcConfig c) {
    Map<String, Object> tuning = new HashMap<>();
    tuning.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    tuning.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    tuning.put(ProducerConfig.CLIENT_ID_CONFIG, "cdc-" + c.transactionalId());
    tuning.putAll(c.producerOverrides());
    Map<String, Object> p = new HashMap<>();
    KafkaClients.properties(c.kafka(), tuning, Map.of(
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, c.transactionalId(),
        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) c.transactionTimeout().toMillis(),
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.ACKS_CONFIG, "all")).forEach((k, v) -> p.put((String) k, v));
    return p;
  }

  @Override
  public boolean supportsTombstoneEvents() {
    return true;
  }

  @Override
  public void handleBatch(List<ChangeEvent<String, String>> records,
      RecordCommitter<ChangeEvent<String, String>> committer) throws InterruptedException {
    inFlight.lockInterruptibly();
    try {
      if (closing) {
        // Unacknowledged: these records are read again after the restart.
        throw new StopEngineException("cdc is shutting down");
      }
      List<ProducerRecord<String, String>> out = new ArrayList<>(records.size());
      Map<String, Integer> perTopic = new HashMap<>(4);
      SourcePosition last = SourcePosition.NONE;
      SourcePosition progress = SourcePosition.NONE;
      int heartbeats = 0;
      int markers = 0;
      int noTopic = 0;
      int tooLarge = 0;
      int beforeOmitted = 0;
      for (ChangeEvent<String, String> record : records) {
        switch (RecordRoute.of(record.destination(), transactionTopic, heartbeatTopic)) {
          case FORWARD -> {
            SourcePosition position = SourcePosition.of(record.value());
            int bytes = utf8Length(record.value());
            String slim = bytes > maxValueBytes ? withoutBefore(record.value()) : null;
            if (bytes <= maxValueBytes) {
              out.add(toProducerRecord(record, position));
              perTopic.merge(record.destination(), 1, Integer::sum);
            } else if (slim != null && utf8Length(slim) <= maxValueBytes) {
              ProducerRecord<String, String> r = toProducerRecord(record, position, slim);
              r.headers().add(BEFORE_OMITTED_HEADER, Integer.toString(bytes).getBytes(StandardCharsets.UTF_8));
              out.add(r);
              perTopic.merge(record.destination(), 1, Integer::sum);
              beforeOmitted++;
            } else {
              out.add(tooLarge(record, position, bytes));
              tooLarge++;
            }
            if (position.hasLsn()) {
              last = position;
            }
          }
          case PROGRESS -> {
            SourcePosition position = SourcePosition.of(record.value());
            // A snapshot's read of the heartbeat row is no commit: the snapshot of the other tables may follow.
            if (position.commitMillis() >= 0 && !position.snapshot()) {
              addProgress(out, position);
              progress = position;
            } else {
              heartbeats++;
            }
          }
          case HEARTBEAT -> heartbeats++;
          case TRANSACTION_MARKER -> markers++;
          case NO_TOPIC -> noTopic++;
        }
      }
      if (!out.isEmpty()) {
        long commitNanos = sendInTransaction(out);
        metrics.batchCommitted(commitNanos, last);
        perTopic.forEach(metrics::forwarded);
        if (progress.commitMillis() >= 0) {
          metrics.progress(progress.commitMillis());
        }
      }
      countSkipped(RecordRoute.HEARTBEAT, heartbeats);
      countSkipped(RecordRoute.TRANSACTION_MARKER, markers);
      countSkipped(RecordRoute.NO_TOPIC, noTopic);
      if (tooLarge > 0) {
        metrics.skipped("too_large", tooLarge);
      }
      if (beforeOmitted > 0) {
        metrics.skipped("before_omitted", beforeOmitted);
      }
      for (ChangeEvent<String, String> record : records) {
        Acknowledger.ack(record, committer);
      }
      committer.markBatchFinished();
    } finally {
      inFlight.unlock();
    }
  }

  /** One progress record per partition of every captured topic, at this point of the batch's order. */
  private void addProgress(List<ProducerRecord<String, String>> out, SourcePosition position) {
    String value = new String(new CdcProgress(position.commitMillis(), position.lsn()).toJson(),
        StandardCharsets.UTF_8);
    for (String topic : capturedTopics) {
      int partitions = partitionCounts.computeIfAbsent(topic, t -> producer.partitionsFor(t).size());
      for (int p = 0; p < partitions; p++) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(CdcProgress.HEADER, ONE);
        out.add(new ProducerRecord<>(topic, p, CdcProgress.KEY, value, headers));
      }
    }
  }

  /** @return nanoseconds from begin to commit */
  private long sendInTransaction(List<ProducerRecord<String, String>> out) {
    long t0 = System.nanoTime();
    try {
      producer.beginTransaction();
      for (ProducerRecord<String, String> r : out) {
        producer.send(r); // a failed send makes commitTransaction throw
      }
      producer.commitTransaction();
      return System.nanoTime() - t0;
    } catch (KafkaException e) {
      metrics.error(EngineSupervisor.isFatal(e) ? "fenced" : "kafka");
      abortQuietly();
      throw new BatchNotCommittedException(out.size(), e);
    }
  }

  private void abortQuietly() {
    try {
      producer.abortTransaction();
    } catch (RuntimeException e) {
      // Fenced or in a fatal state: the supervisor replaces the producer, whose initTransactions aborts it.
      LOG.debug("event=abort_failed error=\"{}\"", e.toString());
    }
  }

  private void countSkipped(RecordRoute route, int n) {
    if (n > 0) {
      metrics.skipped(route, n);
    }
  }

  /** A reference to a change too large to send: where it is, what it was, how big; none of its values. */
  private ProducerRecord<String, String> tooLarge(ChangeEvent<String, String> record, SourcePosition position,
                                                  int bytes) {
    String reason = "change event of " + bytes + " bytes exceeds the " + maxValueBytes
        + " bytes a record may have (kafka.producer.max.request.size)";
    Map<String, Object> ref = new LinkedHashMap<>();
    ref.put("topic", record.destination());
    ref.put("key", record.key());
    ref.put("op", lastOp(record.value()));
    ref.put("lsn", position.hasLsn() ? position.lsn() : null);
    ref.put("commit_millis", position.commitMillis() >= 0 ? position.commitMillis() : null);
    ref.put("value_bytes", bytes);
    RecordHeaders headers = new RecordHeaders();
    headers.add(Topics.DlqHeaders.STAGE, "cdc".getBytes(StandardCharsets.UTF_8));
    headers.add(Topics.DlqHeaders.REASON, reason.getBytes(StandardCharsets.UTF_8));
    headers.add(Topics.DlqHeaders.SOURCE_TOPIC,
        record.destination().getBytes(StandardCharsets.UTF_8));
    if (position.hasLsn()) {
      headers.add(LSN_HEADER, Long.toString(position.lsn()).getBytes(StandardCharsets.UTF_8));
    }
    LOG.warn("event=change_too_large topic={} key={} lsn={} bytes={} max={}", record.destination(), record.key(),
        position.lsn(), bytes, maxValueBytes);
    return new ProducerRecord<>(deadLetterTopic, null, record.key(),
        new String(Json.write(ref), StandardCharsets.UTF_8), headers);
  }

  private static final Pattern OP = Pattern.compile("\"op\":\"([a-z])\"");

  /** The envelope's own op: the last "op" field (before/after come first in Debezium's JSON). */
  private static String lastOp(String value) {
    Matcher m = OP.matcher(value);
    String op = null;
    while (m.find()) {
      op = m.group(1);
    }
    return op;
  }

  /** UTF-8 length of {@code s}, or its char count when even 3 bytes a char stay within the limit. */
  private int utf8Length(String s) {
    if (s == null) {
      return 0;
    }
    int n = s.length();
    if (n * 3L <= maxValueBytes) {
      return n; // cannot be too large: not worth counting
    }
    int bytes = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /** The event with {@code before} set to null (a large old value of the row), or null if it has none. */
  private static String withoutBefore(String value) {
    try {
      JsonNode n = Json.mapper().readTree(value);
      if (!(n instanceof ObjectNode o) || !o.hasNonNull("before")) {
        return null;
      }
      o.putNull("before");
      return Json.mapper().writeValueAsString(o);
    } catch (IOException e) {
      return null;
    }
  }

  private static ProducerRecord<String, String> toProducerRecord(ChangeEvent<String, String> record,
      SourcePosition position) {
    return toProducerRecord(record, position, record.value());
  }

  private static ProducerRecord<String, String> toProducerRecord(ChangeEvent<String, String> record,
      SourcePosition position, String value) {
    RecordHeaders headers = new RecordHeaders();
    if (position.hasLsn()) {
      headers.add(LSN_HEADER, Long.toString(position.lsn()).getBytes(StandardCharsets.UTF_8));
    }
    return new ProducerRecord<>(record.destination(), null, record.key(), value, headers);
  }

  /**
   * Refuses further batches and waits up to {@code timeout} for the batch in flight to commit (or
   * fail), so that a shutdown does not interrupt a transaction half way.
   *
   * @return {@code false} if the batch in flight did not finish in time
   */
  boolean drain(Duration timeout) throws InterruptedException {
    closing = true;
    if (inFlight.tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      inFlight.unlock();
      return true;
    }
    return false;
  }

  /** A batch's Kafka transaction did not commit; none of its records was acknowledged. */
  static final class BatchNotCommittedException extends RuntimeException {
    BatchNotCommittedException(int records, KafkaException cause) {
      super("Kafka transaction of " + records + " change events not committed: " + cause, cause);
    }
  }
}
