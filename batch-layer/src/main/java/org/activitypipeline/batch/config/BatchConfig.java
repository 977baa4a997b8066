package org.activitypipeline.batch.config;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.activitypipeline.batch.hive.HiveSettings;
import org.activitypipeline.batch.ingest.IngestSettings;
import org.activitypipeline.batch.reconcile.ReconcileSettings;
import org.activitypipeline.common.config.Config;
import org.activitypipeline.common.kafka.KafkaClients;
import org.activitypipeline.common.config.ConfigDef;
import org.activitypipeline.common.config.ConfigException;
import org.activitypipeline.common.config.ConfigKey;
import org.activitypipeline.common.config.ConfigType;
import org.activitypipeline.common.config.Rules;
import org.activitypipeline.common.source.ActivityTableKeys;
import org.activitypipeline.common.source.CassandraSecurity;
import org.activitypipeline.common.time.ActivityBuckets;
import org.activitypipeline.common.topic.Topics;
import org.activitypipeline.lakehouse.hudi.HudiSettings;

/**
 * Every setting of the batch layer: declared once here with type, default, rule and doc
 * ({@code docs/BATCH.md} is generated from {@link #DEF}). Environment variables {@code BATCH_*}
 * override the file.
 */
public record BatchConfig(
    IngestSettings ingest,
    ReconcileSettings reconcile,
    HudiSettings hudi,
    HiveSettings hive,
    String jdbcUrl,
    String jdbcUser,
    String jdbcPassword,
    String instanceId,
    int schedulerThreads,
    Duration clusterCheckinInterval,
    Duration misfireThreshold,
    Map<String, String> cronByJob,
    Duration lockWait,
    Duration horizonLag,
    String metricsBind,
    int metricsPort,
    Duration shutdownTimeout) {

  /** Never prints the password or client secrets. */
  @Override
  public String toString() {
    return "BatchConfig[" + ingest + ", " + reconcile + ", " + hudi + ", " + hive + ", quartz=" + jdbcUser + "@"
        + jdbcUrl + ", instanceId=" + instanceId + ", schedulerThreads=" + schedulerThreads + ", cronByJob="
        + cronByJob + ", metrics=" + metricsBind + ":" + metricsPort + "]";
  }

  /** Jobs in the order they are documented; cron {@value #OFF} leaves a job unscheduled (run-once still works). */
  public static final String[] JOBS = {"ingest", "views", "views-full", "cluster", "hive-sync", "reconcile"};

  static final ConfigKey<String> BOOTSTRAP = ConfigKey.of("kafka.bootstrap.servers", ConfigType.STRING)
      .defaultValue("127.0.0.1:19092").doc("Kafka brokers, host:port[,host:port...].");
  static final ConfigKey<String> TOPIC_EMPLOYEES = ConfigKey.of("topic.processed-employees", ConfigType.STRING)
      .defaultValue(Topics.PROCESSED_EMPLOYEES.name()).doc("Employee changes from the processor (input).");
  static final ConfigKey<String> TOPIC_DEPARTMENTS = ConfigKey.of("topic.processed-departments", ConfigType.STRING)
      .defaultValue(Topics.PROCESSED_DEPARTMENTS.name())
      .doc("Department states from the processor (input of department_changes: the names' history).");
  static final ConfigKey<String> TOPIC_ACTIVITIES = ConfigKey.of("topic.processed-activities", ConfigType.STRING)
      .defaultValue(Topics.PROCESSED_ACTIVITIES.name()).doc("Enriched activities from the processor (input).");
  static final ConfigKey<String> TOPIC_DLQ = ConfigKey.of("topic.dlq", ConfigType.STRING)
      .defaultValue(Topics.PIPELINE_DLQ.name()).doc("Records that cannot be stored go here with the reason.");
  static final ConfigKey<String> GROUP_ID = ConfigKey.of("ingest.group-id", ConfigType.STRING)
      .defaultValue("batch-layer").doc("Prefix of the consumer groups the ingest mirrors its positions to, one per"
          + " table (for lag monitoring only: the positions that count are in the Hudi commits).");
  static final ConfigKey<Integer> BATCH_MAX = ConfigKey.of("ingest.batch.max-records", ConfigType.INT)
      .defaultValue(50_000).validate(n -> n >= 1 && n <= 5_000_000, "between 1 and 5000000")
      .doc("Records per Hudi commit at most; a run commits batches until it has caught up with the topic.");
  static final ConfigKey<Duration> READ_TIMEOUT = ConfigKey.of("ingest.read-timeout", ConfigType.DURATION)
      .defaultValue(Duration.ofSeconds(60)).validate(Rules::positive, "positive")
      .doc("Longest wait for Kafka within one batch (metadata, end offsets, the records up to them).");
  static final ConfigKey<String> TOPIC_RAW = ConfigKey.of("topic.raw-activities", ConfigType.STRING)
      .defaultValue(Topics.RAW_ACTIVITIES.name())
      .doc("The poller's output: the reconciliation reads what the poller sent there and sends the rows it missed.");
  static final ConfigKey<String> TOPIC_POLLER_STATE = ConfigKey.of("topic.poller-state", ConfigType.STRING)
      .defaultValue(Topics.POLLER_STATE.name()).doc("The poller's committed watermarks: an ingest hour is reconciled"
          + " only once the poller is past it (reconcile.settle).");
  static final ConfigKey<String> TOPIC_COMPLETENESS = ConfigKey.of("topic.activity-completeness", ConfigType.STRING)
      .defaultValue(Topics.ACTIVITY_COMPLETENESS.name()).doc("Per ingest hour, what the reconciliation found and"
          + " repaired (written in the transaction of the repairs; the serving layer's /api/v1/completeness).");
  static final ConfigKey<String> CASSANDRA_CONTACT = ActivityTableKeys.CONTACT_POINT;
  static final ConfigKey<String> CASSANDRA_DC = ActivityTableKeys.LOCAL_DC;
  static final ConfigKey<String> CASSANDRA_KEYSPACE = ActivityTableKeys.KEYSPACE;
  static final ConfigKey<String> CASSANDRA_TABLE = ActivityTableKeys.TABLE;
  static final ConfigKey<DefaultConsistencyLevel> CASSANDRA_CONSISTENCY = ActivityTableKeys.CONSISTENCY;
  static final ConfigKey<Integer> RECONCILE_SHARDS = ConfigKey.of("reconcile.shards", ConfigType.INT)
      .defaultValue(ActivityBuckets.DEFAULT_SHARDS).validate(n -> n >= 1 && n <= 1024, "between 1 and 1024")
      .doc("Shards per ingest hour; must equal the writers' and the poller's (poll.shards).");
  static final ConfigKey<Duration> RECONCILE_SETTLE = ConfigKey.of("reconcile.settle", ConfigType.DURATION)
      .defaultValue(Duration.ofMinutes(10)).validate(Rules::positive, "positive")
      .doc("An ingest hour is checked once the pollers' committed watermarks (of every shard) are this far past its end. Must"
          + " exceed the poller's poll.late.window + 8 x poll.max.span (its last look at the hour), or rows the"
          + " poller is about to send are sent twice.");
  static final ConfigKey<Duration> RECONCILE_LOOKBACK = ConfigKey.of("reconcile.lookback", ConfigType.DURATION)
      .defaultValue(Duration.ofHours(3)).validate(d -> d.compareTo(Duration.ofHours(1)) >= 0, "at least 1h")
      .doc("Every run checks the closed ingest hours that ended within this much: a row that becomes visible"
          + " later than that after its write time is not found. Each hour costs one read of its Cassandra"
          + " partitions and its stretch of raw-activities per run.");
  static final ConfigKey<Integer> RECONCILE_MAX_REPAIRS = ConfigKey.of("reconcile.max-repairs-per-hour",
      ConfigType.INT).defaultValue(10_000).validate(n -> n >= 0 && n <= 20_000, "between 0 and 20000")
      .doc("Most rows repaired for one ingest hour (their ids are kept in the hour's completeness record, which"
          + " must stay below Kafka's record size). More missing rows are reported (unrepaired, an error log).");
  static final ConfigKey<String> RECONCILE_TXN = ConfigKey.of("reconcile.transactional-id", ConfigType.STRING)
      .defaultValue("batch-layer-reconcile").doc("Transactional id of the reconciliation's producer: a run fences"
          + " any older one and aborts what it left open. One per pipeline.");
  static final ConfigKey<String> LAKEHOUSE = ConfigKey.of("lakehouse.path", ConfigType.STRING)
      .defaultValue("hdfs://127.0.0.1:18020/lakehouse")
      .validate(s -> s.matches("[a-z][a-z0-9+.-]*://.+"), "a URI such as hdfs://namenode:8020/lakehouse or file:///data/lakehouse")
      .doc("Root of the Hudi tables; each table is a folder under it. Also holds _batch_horizon.json.");
  static final ConfigKey<Long> MAX_FILE = ConfigKey.of("hudi.max-file-bytes", ConfigType.LONG)
      .defaultValue(128L << 20).validate(n -> n >= (1 << 20), "at least 1 MiB")
      .doc("Largest parquet base file a write produces.");
  static final ConfigKey<Long> SMALL_FILE = ConfigKey.of("hudi.small-file-bytes", ConfigType.LONG)
      .defaultValue(0L).validate(n -> n >= 0, "zero or positive")
      .doc("Base files below this size get new inserts added on write (Hudi's small-file handling, which rewrites"
          + " the whole file in a COPY_ON_WRITE table). 0 (default): every ingest writes new files and stays as fast"
          + " as its own data; the cluster job merges them later. Set it (e.g. 100 MiB, Hudi's default) for rare,"
          + " large ingests.");
  static final ConfigKey<Integer> RECORD_SIZE = ConfigKey.of("hudi.record-size-estimate", ConfigType.INT)
      .defaultValue(256).validate(n -> n >= 16, "at least 16")
      .doc("Bytes per record Hudi assumes for file sizing before a table has statistics.");
  static final ConfigKey<Long> CLUSTER_TARGET = ConfigKey.of("clustering.target-file-bytes", ConfigType.LONG)
      .defaultValue(128L << 20).validate(n -> n >= (1 << 20), "at least 1 MiB")
      .doc("Size the cluster job aims at for the files it writes.");
  static final ConfigKey<Long> CLUSTER_SMALL = ConfigKey.of("clustering.small-file-bytes", ConfigType.LONG)
      .defaultValue(64L << 20).validate(n -> n >= 1, "positive")
      .doc("Files below this size are rewritten by the cluster job.");
  static final ConfigKey<Integer> RETAIN = ConfigKey.of("clean.retain-commits", ConfigType.INT)
      .defaultValue(10).validate(n -> n >= 1, "at least 1")
      .doc("Cleaning (after every commit) keeps the file versions the last this-many commits need; older versions"
          + " are deleted. Readers of a snapshot older than that fail.");
  static final ConfigKey<Integer> ARCHIVE_MIN = ConfigKey.of("archive.min-commits", ConfigType.INT)
      .defaultValue(20).validate(n -> n >= 2, "at least 2").doc("Archival leaves at least this many instants on the"
          + " active timeline (must be above clean.retain-commits).");
  static final ConfigKey<Integer> ARCHIVE_MAX = ConfigKey.of("archive.max-commits", ConfigType.INT)
      .defaultValue(30).validate(n -> n >= 3, "at least 3").doc("Archival starts when the active timeline has more.");
  static final ConfigKey<String> METASTORE = ConfigKey.of("hive.metastore.uris", ConfigType.STRING)
      .defaultValue("thrift://127.0.0.1:19083").validate(s -> s.startsWith("thrift://"), "thrift://host:port[,...]")
      .doc("Hive Metastore the hive-sync job registers tables, partitions and views in.");
  static final ConfigKey<String> HIVE_DB = ConfigKey.of("hive.database", ConfigType.STRING)
      .defaultValue("activity").validate(s -> s.matches("[a-z_][a-z0-9_]*"), "lower-case letters, digits, _")
      .doc("Hive database of the tables and views (created when missing).");
  static final ConfigKey<String> JDBC_URL = ConfigKey.of("quartz.jdbc.url", ConfigType.STRING)
      .defaultValue("jdbc:postgresql://127.0.0.1:15432/hr").validate(s -> s.startsWith("jdbc:postgresql:"),
          "a jdbc:postgresql: URL")
      .doc("PostgreSQL with the Quartz tables (init-scripts/postgres/03-quartz.sql); also holds the per-table"
          + " write locks (advisory locks).");
  static final ConfigKey<String> JDBC_USER = ConfigKey.of("quartz.jdbc.user", ConfigType.STRING)
      .defaultValue("pipeline").doc("Database user.");
  static final ConfigKey<String> JDBC_PASSWORD = ConfigKey.of("quartz.jdbc.password", ConfigType.PASSWORD)
      .doc("Database password; no default (a development password must never be what production falls back"
          + " to). Supply it as BATCH_QUARTZ_JDBC_PASSWORD or, better, BATCH_QUARTZ_JDBC_PASSWORD_FILE (a file"
          + " holding it).");
  static final ConfigKey<String> INSTANCE_ID = ConfigKey.of("quartz.instance-id", ConfigType.STRING)
      .defaultValue("AUTO").doc("Unique per node in the Quartz cluster; AUTO derives one from host name and time.");
  static final ConfigKey<Integer> THREADS = ConfigKey.of("quartz.threads", ConfigType.INT)
      .defaultValue(4).validate(n -> n >= 1 && n <= 32, "between 1 and 32")
      .doc("Jobs this node runs at once (different jobs; a job never overlaps itself in the cluster).");
  static final ConfigKey<Duration> CHECKIN = ConfigKey.of("quartz.cluster-checkin-interval", ConfigType.DURATION)
      .defaultValue(Duration.ofSeconds(5)).validate(Rules::positive, "positive")
      .doc("How often a node tells the cluster it is alive; a node silent for longer is considered dead and its"
          + " running jobs are re-run elsewhere.");
  static final ConfigKey<Duration> MISFIRE = ConfigKey.of("quartz.misfire-threshold", ConfigType.DURATION)
      .defaultValue(Duration.ofSeconds(60)).validate(Rules::positive, "positive")
      .doc("A trigger later than this is a misfire: that run is skipped and the next one on schedule runs.");
  static final ConfigKey<Duration> LOCK_WAIT = ConfigKey.of("lock.wait", ConfigType.DURATION)
      .defaultValue(Duration.ofMinutes(10)).validate(Rules::positive, "positive")
      .doc("Longest wait for a table's write lock held by another job (ingest vs. cluster) before the job fails.");
  static final ConfigKey<Duration> HORIZON_LAG = ConfigKey.of("views.horizon-lag", ConfigType.DURATION)
      .defaultValue(Duration.ofMinutes(10)).validate(d -> !d.isNegative(), "zero or positive")
      .doc("The batch horizon stays this far behind the newest ingested event time, rounded down to the hour:"
          + " the newest hour is still filling. Behind the horizon the serving layer answers each period from the"
          + " layer that counted more events in it, so a late event is never hidden by an older batch view.");
  static final ConfigKey<String> METRICS_BIND = ConfigKey.of("metrics.bind", ConfigType.STRING)
      .defaultValue("127.0.0.1").doc("Address of the /metrics and /health endpoint.");
  static final ConfigKey<Integer> METRICS_PORT = ConfigKey.of("metrics.port", ConfigType.INT)
      .defaultValue(9404).validate(p -> p >= 0 && p <= 65535, "a port (0 disables)").doc("Port of /metrics, /health.");
  static final ConfigKey<Duration> SHUTDOWN = ConfigKey.of("shutdown.timeout", ConfigType.DURATION)
      .defaultValue(Duration.ofMinutes(2)).validate(Rules::positive, "positive")
      .doc("SIGTERM: how long running jobs may take to finish before the process exits (an unfinished Hudi"
          + " commit is rolled back by the next writer).");

  /** The cron value that leaves a job unscheduled (run-once still runs it). */
  public static final String OFF = "off";

  private static final Map<String, ConfigKey<String>> CRON = new LinkedHashMap<>();

  static {
    cron("ingest", "0 * * * * ?", "Kafka → employee_activity, employee_changes, employees.");
    cron("views", "30 */5 * * * ?", "Recompute the batch views for the dates touched since the last run.");
    cron("views-full", OFF, "Recompute the batch views for all dates (on demand: run-once views-full).");
    cron("cluster", "0 15/30 * * * ?", "Cluster small files of every table.");
    cron("hive-sync", "45 */5 * * * ?", "Register tables, partitions, new columns and views in the Hive Metastore.");
    cron("reconcile", "0 20 * * * ?", "Check closed ingest hours of Cassandra against Kafka and Hudi; send the rows"
        + " the poller missed.");
  }

  private static void cron(String job, String defaultCron, String doc) {
    CRON.put(job, ConfigKey.of("job." + job + ".cron", ConfigType.STRING).defaultValue(defaultCron)
        .doc("Quartz cron (sec min hour day month weekday, UTC) of the " + job + " job, or " + OFF
            + " to leave it unscheduled: " + doc));
  }

  public static final ConfigDef DEF = define();

  private static ConfigDef define() {
    ConfigDef def = ConfigDef.withEnvPrefix("BATCH")
        .define(BOOTSTRAP).define(TOPIC_EMPLOYEES).define(TOPIC_DEPARTMENTS).define(TOPIC_ACTIVITIES).define(TOPIC_DLQ).define(GROUP_ID)
        .define(TOPIC_RAW).define(TOPIC_POLLER_STATE)
        .define(TOPIC_COMPLETENESS);
    def = ActivityTableKeys.declare(def)
        .define(RECONCILE_SHARDS).define(RECONCILE_SETTLE)
        .define(RECONCILE_LOOKBACK).define(RECONCILE_MAX_REPAIRS).define(RECONCILE_TXN)
        .define(BATCH_MAX).define(READ_TIMEOUT).define(LAKEHOUSE).define(MAX_FILE).define(SMALL_FILE)
        .define(RECORD_SIZE).define(CLUSTER_TARGET).define(CLUSTER_SMALL).define(RETAIN).define(ARCHIVE_MIN)
        .define(ARCHIVE_MAX).define(METASTORE).define(HIVE_DB).define(JDBC_URL).define(JDBC_USER)
        .define(JDBC_PASSWORD).define(INSTANCE_ID).define(THREADS).define(CHECKIN).define(MISFIRE).define(LOCK_WAIT)
        .define(HORIZON_LAG).define(METRICS_BIND).define(METRICS_PORT).define(SHUTDOWN);
    for (ConfigKey<String> cron : CRON.values()) {
      def = def.define(cron); // ConfigDef is immutable: define returns the extended definition
    }
    return def.passThrough(KafkaClients.PREFIX).passThrough("hadoop.");
  }

  public static BatchConfig load(Path file, Map<String, String> env) {
    return from(DEF.load(file, env));
  }

  public static BatchConfig from(Config c) {
    if (c.get(ARCHIVE_MIN) <= c.get(RETAIN)) {
      throw new ConfigException(ARCHIVE_MIN.name(), "archive.min-commits (" + c.get(ARCHIVE_MIN)
          + ") must be above clean.retain-commits (" + c.get(RETAIN) + ")");
    }
    if (c.get(ARCHIVE_MAX) <= c.get(ARCHIVE_MIN)) {
      throw new ConfigException(ARCHIVE_MAX.name(), "archive.max-commits (" + c.get(ARCHIVE_MAX)
          + ") must be above archive.min-commits (" + c.get(ARCHIVE_MIN) + ")");
    }
    // Its exactly-once ingest and reconciliation depend on the owned settings.
    Map<String, Object> kafka = KafkaClients.connection(c, BOOTSTRAP, "batch layer", java.util.Set.of(
        "isolation.level", "enable.auto.commit", "group.id", "transactional.id"));
    Map<String, String> cron = new LinkedHashMap<>();
    CRON.forEach((job, key) -> {
      String expr = c.get(key).trim();
      if (!expr.equalsIgnoreCase(OFF)) {
        cron.put(job, expr);
      }
    });
    IngestSettings ingest = new IngestSettings(kafka, c.get(TOPIC_EMPLOYEES), c.get(TOPIC_DEPARTMENTS),
        c.get(TOPIC_ACTIVITIES), c.get(TOPIC_DLQ), c.get(GROUP_ID), c.get(BATCH_MAX), c.get(READ_TIMEOUT));
    ReconcileSettings reconcile = new ReconcileSettings(kafka, c.get(CASSANDRA_CONTACT), c.get(CASSANDRA_DC),
        CassandraSecurity.from(c),
        c.get(CASSANDRA_KEYSPACE), c.get(CASSANDRA_TABLE), c.get(CASSANDRA_CONSISTENCY), c.get(RECONCILE_SHARDS), 5000,
        c.get(TOPIC_RAW), c.get(TOPIC_DLQ), c.get(TOPIC_POLLER_STATE), c.get(TOPIC_COMPLETENESS), c.get(RECONCILE_TXN),
        c.get(RECONCILE_SETTLE), c.get(RECONCILE_LOOKBACK), c.get(RECONCILE_MAX_REPAIRS));
    HudiSettings hudi = new HudiSettings(c.get(LAKEHOUSE), c.withPrefix("hadoop."), c.get(MAX_FILE),
        c.get(SMALL_FILE), c.get(RECORD_SIZE), c.get(CLUSTER_TARGET), c.get(CLUSTER_SMALL), c.get(RETAIN),
        c.get(ARCHIVE_MIN), c.get(ARCHIVE_MAX));
    return new BatchConfig(ingest, reconcile, hudi, new HiveSettings(c.get(METASTORE), c.get(HIVE_DB)), c.get(JDBC_URL),
        c.get(JDBC_USER), c.get(JDBC_PASSWORD), c.get(INSTANCE_ID), c.get(THREADS), c.get(CHECKIN), c.get(MISFIRE),
        cron, c.get(LOCK_WAIT), c.get(HORIZON_LAG), c.get(METRICS_BIND), c.get(METRICS_PORT), c.get(SHUTDOWN));
  }
}
