package org.activitypipeline.batch.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import org.activitypipeline.batch.job.BatchJob;
import org.activitypipeline.batch.lock.TableLocks;
import org.activitypipeline.common.event.EmployeeChange;
import org.activitypipeline.common.json.InvalidRecordException;
import org.activitypipeline.lakehouse.Tables;
import org.activitypipeline.lakehouse.hudi.HudiSettings;
import org.activitypipeline.lakehouse.hudi.HudiTable;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka → Hudi: {@code processed-activities} into {@code employee_activity},
 * {@code processed-employees} into {@code employee_changes} and {@code employees}, and
 * {@code processed-departments} into {@code department_changes}.
 *
 * <p>Each table keeps its own Kafka position in the extra metadata of the Hudi commit that wrote
 * the records before it, and each run resumes from the newest commit that has one. Until a commit
 * completes, neither its data nor its position is visible, and the next write rolls the inflight
 * commit back: a crash anywhere re-reads the same records, and the upsert by record key makes
 * that replay idempotent.
 *
 * <p>Metrics, by table: {@code batch_ingest_records_total} (rows committed), {@code batch_ingest_lag_records}
 * (records of the topic after the table's position, after each run) and the retention gauges
 * ({@code reportHeadroom}).
 */
public final class IngestJob implements BatchJob {

  public static final String NAME = "ingest";
  private static final Logger log = LoggerFactory.getLogger(IngestJob.class);

  private final IngestSettings settings;
  private final HudiSettings hudi;
  private final TableLocks locks;
  private final ActivityRows activityRows = new ActivityRows();
  private final EmployeeRows employeeRows = new EmployeeRows();
  private final DepartmentRows departmentRows = new DepartmentRows();

  private final MeterRegistry metrics;
  private final Map<String, AtomicLong> unreadAgeMillis = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> headroomMillis = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> lagRecords = new ConcurrentHashMap<>();
  private final Map<String, Counter> rowsWritten = new ConcurrentHashMap<>();

  public IngestJob(IngestSettings settings, HudiSettings hudi, TableLocks locks, MeterRegistry metrics) {
    this.settings = settings;
    this.hudi = hudi;
    this.locks = locks;
    this.metrics = metrics;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String run() {
    try (DeadLetters dlq = new DeadLetters(settings.kafka(), settings.deadLetters());
         Admin admin = Admin.create(settings.kafka())) {
      long activities = ingest(admin, new HudiTable(Tables.EMPLOYEE_ACTIVITY, hudi), settings.processedActivities(), dlq,
          this::activityRows);
      long changes = ingest(admin, new HudiTable(Tables.EMPLOYEE_CHANGES, hudi), settings.processedEmployees(), dlq,
          (t, records, d) -> employeeRows(t, records, d, true));
      long employees = ingest(admin, new HudiTable(Tables.EMPLOYEES, hudi), settings.processedEmployees(), dlq,
          (t, records, d) -> employeeRows(t, records, d, false));
      long departments = ingest(admin, new HudiTable(Tables.DEPARTMENT_CHANGES, hudi), settings.processedDepartments(), dlq,
          this::departmentRows);
      return "employee_activity=" + activities + " employee_changes=" + changes + " employees=" + employees
          + " department_changes=" + departments + " dead_letters=" + dlq.sent();
    }
  }

  /**
   * Reports how long Kafka keeps the oldest record of {@code topic} this table has not read yet
   * ({@code batch_ingest_unread_age_seconds}, {@code batch_ingest_retention_headroom_seconds}) and
   * warns when less than a quarter of the topic's retention (or compaction lag) is left: the batch
   * layer may be down that much longer before input is lost. Best effort: a failure is only logged.
   */
  private void reportHeadroom(Admin admin, String table, String topic, Long oldestUnreadMillis) {
    try {
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      Map<String, String> config = new HashMap<>();
      admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource).entries()
          .forEach(e -> config.put(e.name(), e.value()));
      RetentionHeadroom h = RetentionHeadroom.of(topic, config, oldestUnreadMillis, System.currentTimeMillis());
      gauge(unreadAgeMillis, "batch_ingest_unread_age_seconds", table, topic, IngestJob::seconds)
          .set(h.unreadAgeMillis());
      gauge(headroomMillis, "batch_ingest_retention_headroom_seconds", table, topic, IngestJob::seconds)
          .set(h.limitMillis() < 0 ? -1 : h.headroomMillis());
      if (h.low()) {
        log.warn("event=retention_headroom_low table={} topic={} unread_age={} limit={}={} headroom={}: Kafka may"
            + " remove records this table has not read", table, topic, Duration.ofMillis(h.unreadAgeMillis()),
            h.limitKey(), Duration.ofMillis(h.limitMillis()), Duration.ofMillis(h.headroomMillis()));
      }
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      log.warn("event=retention_headroom_unknown table={} topic={} error=\"{}\"", table, topic, e.toString());
    }
  }

  /**
   * Records of {@code topic} after the table's {@code position} ({@code batch_ingest_lag_records}): what
   * the next run has to read. Best effort, like {@link #reportHeadroom}.
   */
  private void reportLag(TopicBatchReader reader, String table, String topic, KafkaCheckpoint position) {
    try {
      gauge(lagRecords, "batch_ingest_lag_records", table, topic, AtomicLong::get)
          .set(reader.recordsAfter(position, settings.readTimeout()));
    } catch (RuntimeException e) {
      log.warn("event=ingest_lag_unknown table={} topic={} error=\"{}\"", table, topic, e.toString());
    }
  }

  private AtomicLong gauge(Map<String, AtomicLong> byTable, String name, String table, String topic,
                           ToDoubleFunction<AtomicLong> value) {
    return byTable.computeIfAbsent(table, t -> {
      AtomicLong v = new AtomicLong();
      metrics.gauge(name, Tags.of("table", t, "topic", topic), v, value);
      return v;
    });
  }

  /** Milliseconds as seconds; -1 (headroom: the topic keeps records forever) stays -1. */
  private static double seconds(AtomicLong millis) {
    return millis.get() < 0 ? -1 : millis.get() / 1000.0;
  }

  private Counter rowsWritten(String table) {
    return rowsWritten.computeIfAbsent(table, t -> Counter.builder("batch_ingest_records").tag("table", t)
        .description("Rows the ingest wrote to the table (committed to Hudi)").register(metrics));
  }

  /** The rows to write for one batch and the schema to write them with. */
  private record Rows(Schema schema, List<GenericRecord> rows) {}

  @FunctionalInterface
  private interface RowBuilder {
    Rows build(HudiTable table, List<ConsumerRecord<byte[], byte[]>> records, DeadLetters dlq);
  }

  private long ingest(Admin admin, HudiTable table, String topic, DeadLetters dlq, RowBuilder builder) {
    String key = KafkaCheckpoint.metadataKey(topic);
    long total = 0;
    boolean first = true;
    KafkaCheckpoint position;
    try (TableLocks.Held lock = locks.acquire(table.spec().name());
         TopicBatchReader reader = new TopicBatchReader(settings.kafka(), settings.groupId() + "-" + table.spec().name(),
             settings.batchMaxRecords())) {
      while (true) {
        KafkaCheckpoint from = table.latestCommitMetadataWith(key)
            .map(m -> KafkaCheckpoint.parse(topic, m.get(key))).orElse(KafkaCheckpoint.empty(topic));
        TopicBatchReader.Batch batch = reader.read(from, settings.batchMaxRecords(), settings.readTimeout());
        if (first) {
          first = false;
          reportHeadroom(admin, table.spec().name(), topic, batch.records().stream().map(ConsumerRecord::timestamp)
              .min(Long::compare).orElse(null));
        }
        if (batch.records().isEmpty()) {
          position = batch.next();
          break;
        }
        Rows rows = builder.build(table, batch.records(), dlq);
        dlq.flush(); // dead letters are durable before the checkpoint moves past them
        long started = System.nanoTime();
        String instant = table.upsert(rows.schema(), rows.rows(), Map.of(key, batch.next().encode()));
        reader.reportProgress(batch.next());
        rowsWritten(table.spec().name()).increment(rows.rows().size());
        total += rows.rows().size();
        log.info("event=hudi_commit table={} instant={} records={} read={} duration_ms={} checkpoint={}",
            table.spec().name(), instant, rows.rows().size(), batch.records().size(),
            (System.nanoTime() - started) / 1_000_000, batch.next().encode());
        if (batch.records().size() < settings.batchMaxRecords()) {
          position = batch.next();
          break;
        }
      }
      reportLag(reader, table.spec().name(), topic, position);
      return total;
    }
  }

  private Rows activityRows(HudiTable table, List<ConsumerRecord<byte[], byte[]>> records, DeadLetters dlq) {
    List<GenericRecord> rows = new ArrayList<>(records.size());
    for (ConsumerRecord<byte[], byte[]> r : records) {
      GenericRecord row = rowOrDeadLetter(r, dlq, ActivityRows.SCHEMA, () -> activityRows.toRow(r));
      if (row != null) {
        rows.add(row);
      }
    }
    return new Rows(ActivityRows.SCHEMA, rows);
  }

  private Rows departmentRows(HudiTable table, List<ConsumerRecord<byte[], byte[]>> records, DeadLetters dlq) {
    List<GenericRecord> rows = new ArrayList<>(records.size());
    for (ConsumerRecord<byte[], byte[]> r : records) {
      GenericRecord row = rowOrDeadLetter(r, dlq, DepartmentRows.SCHEMA, () -> departmentRows.toRow(r));
      if (row != null) {
        rows.add(row);
      }
    }
    return new Rows(DepartmentRows.SCHEMA, rows);
  }

  /**
   * The row {@code build} makes of {@code record}, or null (a record with no row). A record that fails,
   * with the expected {@link InvalidRecordException} or with anything else (a bug, a value Avro cannot
   * hold), or whose row does not fit the table's schema, goes to the dead-letter topic with the reason
   * and null is returned: one record never fails every run, the run commits the rest.
   */
  static GenericRecord rowOrDeadLetter(ConsumerRecord<byte[], byte[]> record, DeadLetters dlq, Schema schema,
                                       java.util.function.Supplier<GenericRecord> build) {
    GenericRecord built;
    try {
      built = build.get();
    } catch (InvalidRecordException e) {
      dlq.send(record, e.getMessage());
      return null;
    } catch (RuntimeException e) {
      log.error("event=record_failed topic={} partition={} offset={} error=\"{}\"", record.topic(), record.partition(),
          record.offset(), e.toString(), e);
      dlq.send(record, "unexpected error: " + e);
      return null;
    }
    GenericRecord row = built;
    if (row != null && !GenericData.get().validate(schema, row)) {
      // Names the field, never its value (an employee row's values are personal data).
      String field = schema.getFields().stream()
          .filter(f -> !GenericData.get().validate(f.schema(), row.get(f.pos()))).map(Schema.Field::name)
          .findFirst().orElse("?");
      dlq.send(record, "the row does not fit the table schema " + schema.getName() + ": field " + field);
      return null;
    }
    return row;
  }

  private Rows employeeRows(HudiTable table, List<ConsumerRecord<byte[], byte[]>> records, DeadLetters dlq,
                            boolean history) {
    List<ConsumerRecord<byte[], byte[]>> kept = new ArrayList<>(records.size());
    List<EmployeeChange> changes = new ArrayList<>(records.size());
    Set<String> newExtras = new TreeSet<>();
    List<ConsumerRecord<byte[], byte[]>> tombstones = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      try {
        EmployeeChange c = employeeRows.decode(r);
        if (c != null) {
          kept.add(r);
          changes.add(c);
          newExtras.addAll(EmployeeRows.extraValues(c).keySet());
        } else if (!history) {
          tombstones.add(r);
        }
      } catch (RuntimeException e) {
        if (history) { // both employee tables read the same records; dead-letter each bad one once
          dlq.send(r, e instanceof InvalidRecordException ? e.getMessage() : "unexpected error: " + e);
        }
      }
    }
    Schema base = history ? EmployeeRows.BASE_CHANGES : EmployeeRows.BASE_STATE;
    // Columns already in the table keep their place; new ones are appended (Hudi and Hive evolve by appending).
    Set<String> extras = new LinkedHashSet<>(table.schema().map(s -> Tables.extraColumns(s, base)).orElse(List.of()));
    extras.addAll(newExtras);
    Schema schema = history ? Tables.employeeChanges(extras) : Tables.employees(extras);
    List<GenericRecord> rows = new ArrayList<>(kept.size() + tombstones.size());
    for (int i = 0; i < kept.size(); i++) {
      EmployeeChange c = changes.get(i);
      ConsumerRecord<byte[], byte[]> r = kept.get(i);
      GenericRecord row = history ? rowOrDeadLetter(r, dlq, schema, () -> employeeRows.changeRow(schema, r, c))
          : rowOrDeadLetter(r, dlq, schema, () -> employeeRows.stateRow(schema, r, c));
      if (row != null) {
        rows.add(row);
      }
    }
    // A tombstone deletes its employee from the current state: compaction may have removed the delete
    // event before it (the history keeps the versions before the delete, which is what the views need).
    for (ConsumerRecord<byte[], byte[]> r : tombstones) {
      GenericRecord row = rowOrDeadLetter(r, dlq, schema, () -> employeeRows.tombstoneRow(schema, r));
      if (row != null) {
        rows.add(row);
      }
    }
    return new Rows(schema, rows);
  }
}
