package org.activitypipeline.batch.reconcile;

import com.datastax.oss.driver.api.core.CqlSession;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.activitypipeline.batch.job.BatchJob;
import org.activitypipeline.common.event.HourCompleteness;
import org.activitypipeline.common.source.ActivityRow;
import org.activitypipeline.common.source.ActivityTableReader;
import org.activitypipeline.common.source.RawActivities;
import org.activitypipeline.common.topic.RecordLimits;
import org.activitypipeline.lakehouse.Tables;
import org.activitypipeline.lakehouse.hudi.HudiSettings;
import org.activitypipeline.lakehouse.hudi.HudiTable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciliation against the master data: for every closed ingest hour, the Cassandra rows written in
 * it (each shard's partition read by its clustering range, never a table scan) against what the poller
 * sent to Kafka and what {@code employee_activity} in Hudi holds.
 *
 * <p>A row the poller never sent (its writer's clock far behind, a row that became visible after the
 * poller's second look, any miss) is sent now, as the poller would have sent it (an activity to
 * raw-activities, or a dead letter), so the speed layer, the batch views and Hive all get it through
 * the one exactly-once path. The repairs and the hour's {@link HourCompleteness} record go in one Kafka
 * transaction: a row is repaired exactly once however often the hour is checked, and a crashed run's
 * transaction is aborted by the next run's {@code initTransactions}.
 *
 * <p>An hour is closed once the pollers' committed watermarks, of every shard, are {@code settle} past its
 * end: until then a poller may still send its rows, and a repair would duplicate them. Every run checks
 * the closed hours that ended within {@code lookback}; rows written into older hours are not found.
 */
public final class ReconcileJob implements BatchJob {
  public static final String NAME = "reconcile";
  /** {@code repaired_by} header value on the records this job sends. */
  static final String REPAIRER = "reconcile";
  private static final Logger log = LoggerFactory.getLogger(ReconcileJob.class);

  private final ReconcileSettings settings;
  private final HudiSettings hudi;
  private final Clock clock;
  private final Counter repairedRows;
  private final Counter checkedHours;
  private final AtomicLong unrepaired = new AtomicLong();
  private final AtomicLong notInHudi = new AtomicLong();
  private final AtomicLong lastCheckedHour = new AtomicLong();
  private final Timer readCassandra;
  private final Timer readKafka;
  private final Timer lookUpHudi;
  private final Timer send;

  public ReconcileJob(ReconcileSettings settings, HudiSettings hudi, Clock clock, MeterRegistry metrics) {
    this.settings = settings;
    this.hudi = hudi;
    this.clock = clock;
    this.repairedRows = metrics.counter("reconcile_rows_repaired");
    this.checkedHours = metrics.counter("reconcile_hours_checked");
    metrics.gauge("reconcile_rows_unrepaired", unrepaired);
    metrics.gauge("reconcile_rows_not_in_hudi", notInHudi);
    metrics.gauge("reconcile_last_checked_hour_seconds", lastCheckedHour, v -> v.get() / 1000.0);
    this.readCassandra = phase(metrics, "cassandra");
    this.readKafka = phase(metrics, "kafka");
    this.lookUpHudi = phase(metrics, "hudi");
    this.send = phase(metrics, "send");
  }

  /** Time one hour's check spends in each system: {@code reconcile_phase_seconds{phase}}. */
  private static Timer phase(MeterRegistry metrics, String phase) {
    return Timer.builder("reconcile_phase").tag("phase", phase).register(metrics);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String run() {
    try (KafkaProducer<byte[], byte[]> producer = producer();
         SentRows kafka = new SentRows(settings)) {
      producer.initTransactions(); // fences an older run and aborts what it left open, before anything is read
      OptionalLong watermark = kafka.pollerWatermark();
      if (watermark.isEmpty()) {
        return "no poller watermark in " + settings.pollerState() + " yet: nothing to check";
      }
      List<Instant> hours = dueHours(watermark.getAsLong());
      if (hours.isEmpty()) {
        return "no closed hour within " + settings.lookback() + " (poller watermark "
            + Instant.ofEpochMilli(watermark.getAsLong()) + ")";
      }
      Map<Instant, HourCompleteness> previous = kafka.completeness();
      HudiTable activities = new HudiTable(Tables.EMPLOYEE_ACTIVITY, hudi);
      RawActivities records = new RawActivities(settings.rawActivities(), settings.deadLetters(),
          settings.keyspace() + "." + settings.table());
      int maxValueBytes = RecordLimits.maxValueBytes(stringValues(settings.kafka()));
      long repairedNow = 0;
      long sumUnrepaired = 0;
      long sumNotInHudi = 0;
      try (CqlSession session = ActivityTableReader.connect(settings.contactPoint(), settings.localDatacenter(),
          settings.cassandraSecurity(), "batch-layer-reconcile")) {
        ActivityTableReader reader = new ActivityTableReader(session, settings.keyspace(), settings.table(),
            settings.consistency(), settings.pageSize());
        for (Instant hour : hours) {
          HourCompleteness result = check(hour, reader, kafka, previous.get(hour), activities, records, maxValueBytes,
              producer);
          repairedNow += result.repaired() - (previous.containsKey(hour) ? previous.get(hour).repaired() : 0);
          sumUnrepaired += result.unrepaired();
          sumNotInHudi += result.notInHudi();
        }
      }
      unrepaired.set(sumUnrepaired);
      notInHudi.set(sumNotInHudi);
      lastCheckedHour.set(hours.get(hours.size() - 1).toEpochMilli());
      return "hours=" + hours.size() + " (" + hours.get(0) + " .. " + hours.get(hours.size() - 1) + ") repaired="
          + repairedNow + " unrepaired=" + sumUnrepaired + " not_in_hudi=" + sumNotInHudi;
    }
  }

  /** Closed hours that ended within the lookback, oldest first. */
  List<Instant> dueHours(long pollerWatermarkMillis) {
    Instant closedBefore = Instant.ofEpochMilli(pollerWatermarkMillis).minus(settings.settle());
    Instant last = closedBefore.truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS); // ends at or before
    Instant first = closedBefore.minus(settings.lookback()).truncatedTo(ChronoUnit.HOURS);
    List<Instant> hours = new ArrayList<>();
    for (Instant h = first; !h.isAfter(last); h = h.plus(1, ChronoUnit.HOURS)) {
      hours.add(h);
    }
    return hours;
  }

  private HourCompleteness check(Instant hour, ActivityTableReader reader, SentRows kafka, HourCompleteness previous,
                                 HudiTable activities, RawActivities records, int maxValueBytes,
                                 KafkaProducer<byte[], byte[]> producer) {
    long started = System.nanoTime();
    Map<String, ActivityRow> rows = new LinkedHashMap<>();
    long from = hour.toEpochMilli();
    long to = hour.plus(1, ChronoUnit.HOURS).toEpochMilli() - 1;
    for (int shard = 0; shard < settings.shards(); shard++) {
      reader.read(hour, shard, from, to, row -> rows.putIfAbsent(row.activityId().toString(), row));
    }
    long rejected = 0;
    Map<String, String> validDates = new HashMap<>();
    for (ActivityRow row : rows.values()) {
      // encoded to know whether Kafka would take it; only the repairs are encoded again and kept
      if (!records.outgoing(row, maxValueBytes).row().isValid()) {
        rejected++;
      } else {
        validDates.put(row.activityId().toString(),
            row.activity().eventTime().atOffset(ZoneOffset.UTC).toLocalDate().toString());
      }
    }
    long readCassandraAt = System.nanoTime(); // rows read and classified
    SentRows.Sent sent = kafka.sentFor(hour);
    long readKafkaAt = System.nanoTime();
    Set<String> inHudi = new HashSet<>(validDates.keySet());
    inHudi.removeAll(activities.missingKeys(validDates));
    long checkedHudi = System.nanoTime();
    HourPlan plan = HourPlan.of(hour, rows.values(), sent.all(), sent.asActivities(), inHudi, previous,
        settings.maxRepairsPerHour());
    List<RawActivities.Outgoing> repairs = new ArrayList<>(plan.toRepair().size());
    for (ActivityRow row : plan.toRepair()) { // oldest first, as the poller would have sent them
      RawActivities.Outgoing out = records.outgoing(row, maxValueBytes);
      out.record().headers().add(RawActivities.REPAIRED_BY_HEADER, REPAIRER.getBytes(StandardCharsets.UTF_8));
      repairs.add(out);
    }
    HourCompleteness result = plan.result(clock.instant(), rejected, inHudi.size());

    producer.beginTransaction();
    for (RawActivities.Outgoing out : repairs) {
      producer.send(out.record());
    }
    producer.send(new ProducerRecord<>(settings.completeness(), HourCompleteness.key(hour).getBytes(StandardCharsets.UTF_8),
        result.toJson()));
    producer.commitTransaction();
    long sentAt = System.nanoTime();
    readCassandra.record(readCassandraAt - started, TimeUnit.NANOSECONDS);
    readKafka.record(readKafkaAt - readCassandraAt, TimeUnit.NANOSECONDS);
    lookUpHudi.record(checkedHudi - readKafkaAt, TimeUnit.NANOSECONDS);
    send.record(sentAt - checkedHudi, TimeUnit.NANOSECONDS);

    for (RawActivities.Outgoing out : repairs) {
      log.warn("event=row_repaired hour={} activity_id={} write_time={} sent_to={}{}", hour, out.row().activityId(),
          Instant.ofEpochMilli(out.row().writeTimeMillis()), out.record().topic(),
          out.row().isValid() ? "" : " reason=\"" + out.row().invalidReason() + "\"");
    }
    repairedRows.increment(repairs.size());
    checkedHours.increment();
    String line = "event=hour_reconciled hour={} source_rows={} rejected={} in_kafka={} repaired_now={} repaired={}"
        + " unrepaired={} in_hudi={} not_in_hudi={} not_in_source={} kafka_records_read={} cassandra_ms={} kafka_ms={}"
        + " hudi_ms={}";
    Object[] args = {hour, result.sourceRows(), result.rejected(), result.inKafka(), repairs.size(), result.repaired(),
        result.unrepaired(), result.inHudi(), result.notInHudi(), result.notInSource(), sent.recordsRead(),
        (readCassandraAt - started) / 1_000_000, (readKafkaAt - readCassandraAt) / 1_000_000,
        (checkedHudi - readKafkaAt) / 1_000_000};
    if (result.unrepaired() > 0) {
      log.error(line + " (more rows missing than max-repairs-per-hour allows)", args);
    } else {
      log.info(line, args);
    }
    return result;
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Map<String, Object> props = new HashMap<>(settings.kafka());
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.transactionalId());
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "batch-layer-reconcile");
    props.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 120_000);
    props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000);
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static Map<String, String> stringValues(Map<String, Object> kafka) {
    Map<String, String> out = new HashMap<>();
    kafka.forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }
}
