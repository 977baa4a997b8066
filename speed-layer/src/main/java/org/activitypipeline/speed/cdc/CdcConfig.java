package org.activitypipeline.speed.cdc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.activitypipeline.common.config.Config;
import org.activitypipeline.common.kafka.KafkaClients;
import org.activitypipeline.common.config.ConfigDef;
import org.activitypipeline.common.config.ConfigException;
import org.activitypipeline.common.config.ConfigKey;
import org.activitypipeline.common.config.ConfigType;
import org.activitypipeline.common.config.Rules;
import org.activitypipeline.common.topic.RecordLimits;
import org.activitypipeline.common.topic.Topics;

/**
 * Every setting of the cdc process, declared once here with type, default, rule and doc
 * ({@code docs/CDC.md} is generated from {@link #DEF}; {@code CdcConfigTest} fails when it drifts).
 * Environment variables {@code CDC_*} override the file. Defaults fit the local stack, except the
 * password, which is always required.
 *
 * <p>Keys under {@code debezium.} go to Debezium unchanged (see {@link DebeziumProperties}), those
 * under {@code kafka.producer.} to the transactional producer. Neither may set what a declared key
 * or the exactly-once bridge owns: that is rejected naming the key.
 */
record CdcConfig(
    String bootstrapServers,
    String transactionalId,
    Duration transactionTimeout,
    String postgresHost,
    int postgresPort,
    String postgresDatabase,
    String postgresUser,
    String postgresPassword,
    String slotName,
    String publicationName,
    List<String> tableIncludeList,
    String topicPrefix,
    String deadLetterTopic,
    String engineName,
    String snapshotMode,
    OffsetStorage offsetStorage,
    String offsetTopic,
    int offsetTopicPartitions,
    int offsetTopicReplicationFactor,
    Path offsetFile,
    Duration offsetFlushInterval,
    Duration offsetFlushTimeout,
    Duration heartbeatInterval,
    String heartbeatActionQuery,
    String heartbeatTable,
    Duration pollInterval,
    int maxBatchSize,
    int maxQueueSize,
    Duration reconnectWait,
    Duration engineRetryInitial,
    Duration engineRetryMax,
    Duration restartBackoffInitial,
    Duration restartBackoffMax,
    Duration shutdownTimeout,
    String metricsBind,
    int metricsPort,
    Map<String, String> debeziumOverrides,
    Map<String, String> producerOverrides,
    Map<String, Object> kafka) {

  /** Where Debezium keeps its source offsets between runs. */
  enum OffsetStorage { KAFKA, FILE }

  static final String DEBEZIUM_PREFIX = "debezium.";
  static final String PRODUCER_PREFIX = "kafka.producer.";

  static final ConfigKey<String> BOOTSTRAP = ConfigKey.of("kafka.bootstrap.servers", ConfigType.STRING)
      .defaultValue("127.0.0.1:19092").doc("Kafka brokers, host:port[,host:port...]; also hosts the offsets topic.");
  static final ConfigKey<String> TRANSACTIONAL_ID = ConfigKey.of("kafka.transactional.id", ConfigType.STRING)
      .defaultValue("speed-layer-cdc-0")
      .doc("Stable transactional.id of this cdc instance. A new instance with the same id fences the old one,"
          + " which then exits with code 3. Keep it across restarts; never share it between two slots.");
  static final ConfigKey<Duration> TRANSACTION_TIMEOUT = ConfigKey.of("kafka.transaction.timeout", ConfigType.DURATION)
      .defaultValue(Duration.ofSeconds(60)).validate(Rules::positive, "positive")
      .doc("transaction.timeout.ms of the producer: how long the broker keeps a transaction of a crashed"
          + " instance open before aborting it (read_committed consumers wait that long at most).");
  static final ConfigKey<String> PG_HOST = ConfigKey.of("postgres.host", ConfigType.STRING)
      .defaultValue("127.0.0.1").doc("PostgreSQL host (wal_level=logical).");
  static final ConfigKey<Integer> PG_PORT = ConfigKey.of("postgres.port", ConfigType.INT)
      .defaultValue(15432).validate(p -> p >= 1 && p <= 65535, "a port").doc("PostgreSQL port.");
  static final ConfigKey<String> PG_DATABASE = ConfigKey.of("postgres.database", ConfigType.STRING)
      .defaultValue("hr").doc("Database holding public.employees and public.departments.");
  static final ConfigKey<String> PG_USER = ConfigKey.of("postgres.user", ConfigType.STRING)
      .defaultValue("cdc_replicator")
      .doc("Replication role (LOGIN REPLICATION, SELECT on the captured tables, UPDATE on public.cdc_heartbeat)."
          + " Never a superuser.");
  static final ConfigKey<String> PG_PASSWORD = ConfigKey.of("postgres.password", ConfigType.PASSWORD)
      .doc("Password of postgres.user.");
  static final ConfigKey<String> SLOT = ConfigKey.of("postgres.slot.name", ConfigType.STRING)
      .defaultValue("cdc_employees")
      .validate(s -> s.matches("[a-z0-9_]{1,63}"), "1 to 63 of lower-case letters, digits and _")
      .doc("Logical replication slot (pgoutput), created on first start. One slot per cdc instance.");
  static final ConfigKey<String> PUBLICATION = ConfigKey.of("postgres.publication.name", ConfigType.STRING)
      .defaultValue("employee_cdc")
      .doc("Publication created by init-scripts/postgres/02-cdc.sql (never created or altered by cdc:"
          + " publication.autocreate.mode=disabled). It must include the captured tables and public.cdc_heartbeat.");
  static final ConfigKey<List<String>> TABLES = ConfigKey.of("table.include.list", ConfigType.LIST)
      .defaultValue(List.of("public.employees", "public.departments")).validate(l -> !l.isEmpty(), "non-empty")
      .doc("Captured tables, schema.table. Each goes to topic <topic.prefix>.<schema>.<table>.");
  static final ConfigKey<String> TOPIC_PREFIX = ConfigKey.of("topic.prefix", ConfigType.STRING)
      .defaultValue("cdc").validate(s -> s.matches("[A-Za-z0-9_.-]+"), "a valid topic name part")
      .doc("Topic name prefix (Debezium topic.prefix); also names the source in every event.");
  static final ConfigKey<String> DLQ_TOPIC = ConfigKey.of("topic.dlq", ConfigType.STRING)
      .defaultValue(Topics.PIPELINE_DLQ.name())
      .doc("Where a reference to a change too large for one Kafka record goes (stage cdc: topic, key, op, LSN, size;"
          + " never the row's values), in the transaction of its batch, so it cannot stall cdc.");
  static final ConfigKey<String> ENGINE_NAME = ConfigKey.of("engine.name", ConfigType.STRING)
      .defaultValue("speed-layer-cdc")
      .doc("Debezium engine name: the key of this instance's offsets in the offset store. Change it only"
          + " together with a new slot.");
  static final ConfigKey<String> SNAPSHOT_MODE = ConfigKey.of("snapshot.mode", ConfigType.STRING)
      .defaultValue("initial")
      .validate(Set.of("initial", "no_data", "when_needed", "always", "initial_only", "recovery")::contains,
          "one of initial, no_data, when_needed, always, initial_only, recovery")
      .doc("Debezium snapshot.mode: initial emits every existing row once (op=r) before streaming;"
          + " no_data streams only changes made after the slot was created.");
  static final ConfigKey<OffsetStorage> OFFSET_STORAGE = ConfigKey.of("offset.storage",
      ConfigType.enumOf(OffsetStorage.class)).defaultValue(OffsetStorage.KAFKA)
      .doc("kafka: a compacted Kafka topic (survives the loss of this host; preferred); file: offset.storage.file.");
  static final ConfigKey<String> OFFSET_TOPIC = ConfigKey.of("offset.storage.topic", ConfigType.STRING)
      .defaultValue("cdc-offsets").doc("Compacted offsets topic (offset.storage=kafka); created if missing.");
  static final ConfigKey<Integer> OFFSET_TOPIC_PARTITIONS = ConfigKey.of("offset.storage.partitions", ConfigType.INT)
      .defaultValue(1).validate(n -> n >= 1, "at least 1").doc("Partitions of a newly created offsets topic.");
  static final ConfigKey<Integer> OFFSET_TOPIC_REPLICATION = ConfigKey.of("offset.storage.replication.factor",
      ConfigType.INT).defaultValue(-1).validate(n -> n == -1 || n >= 1, "-1 (broker default) or at least 1")
      .doc("Replication factor of a newly created offsets topic; use 3 on a production cluster.");
  static final ConfigKey<Path> OFFSET_FILE = ConfigKey.of("offset.storage.file", ConfigType.PATH).optional()
      .doc("Offsets file (offset.storage=file; required then). Lost with the host: a new host re-reads from"
          + " the slot's position, duplicates are removed downstream by LSN.");
  static final ConfigKey<Duration> OFFSET_FLUSH_INTERVAL = ConfigKey.of("offset.flush.interval", ConfigType.DURATION)
      .defaultValue(Duration.ofSeconds(1)).validate(d -> !d.isNegative(), "zero or positive")
      .doc("How often Debezium stores the position of records already committed to Kafka (and then confirms it"
          + " to the slot). After a crash at most this much is sent again (duplicates, never losses).");
  static final ConfigKey<Duration> OFFSET_FLUSH_TIMEOUT = ConfigKey.of("offset.flush.timeout", ConfigType.DURATION)
      .defaultValue(Duration.ofSeconds(10)).validate(Rules::positive, "positive")
      .doc("Longest wait for one offset flush before the engine fails (and is restarted).");
  static final ConfigKey<Duration> HEARTBEAT_INTERVAL = ConfigKey.of("heartbeat.interval", ConfigType.DURATION)
      .defaultValue(Duration.ofSeconds(1)).validate(d -> !d.isNegative(), "zero or positive")
      .doc("Heartbeat period: runs heartbeat.action.query and confirms the position to the slot even when no"
          + " captured table changes, so PostgreSQL can recycle WAL. Each heartbeat's row change also becomes a"
          + " progress record on every partition of the captured tables' topics, which tells the processor how"
          + " far the employee history is complete (the enricher waits for it, enrich.cdc-wait): the period is"
          + " about the wait this adds to each activity. 0 disables (WAL then grows while idle, and the enricher"
          + " waits enrich.cdc-wait once per partition, then goes on without alignment).");
  static final ConfigKey<String> HEARTBEAT_QUERY = ConfigKey.of("heartbeat.action.query", ConfigType.STRING)
      .defaultValue("UPDATE public.cdc_heartbeat SET beat_at = now() WHERE id = 1")
      .doc("Statement run on every heartbeat; it must write heartbeat.table.");
  static final ConfigKey<String> HEARTBEAT_TABLE = ConfigKey.of("heartbeat.table", ConfigType.STRING)
      .defaultValue("public.cdc_heartbeat")
      .validate(s -> s.matches("[A-Za-z0-9_]+\\.[A-Za-z0-9_]+"), "schema.table")
      .doc("Table heartbeat.action.query writes (it must be in the publication). It is captured too, but its"
          + " changes are not forwarded: each becomes a progress record (header cdc.progress, the heartbeat's"
          + " commit time) on every partition of the captured tables' topics.");
  static final ConfigKey<Duration> POLL_INTERVAL = ConfigKey.of("poll.interval", ConfigType.DURATION)
      .defaultValue(Duration.ofMillis(10)).validate(Rules::positive, "positive")
      .doc("Debezium poll.interval.ms: the wait for more changes before a batch is handed over (latency floor).");
  static final ConfigKey<Integer> MAX_BATCH = ConfigKey.of("max.batch.size", ConfigType.INT)
      .defaultValue(4096).validate(n -> n >= 1, "at least 1")
      .doc("Most changes per batch, i.e. per Kafka transaction.");
  static final ConfigKey<Integer> MAX_QUEUE = ConfigKey.of("max.queue.size", ConfigType.INT)
      .defaultValue(16384).validate(n -> n >= 2, "at least 2")
      .doc("Changes Debezium buffers ahead of the Kafka bridge; must exceed max.batch.size.");
  static final ConfigKey<Duration> RECONNECT_WAIT = ConfigKey.of("postgres.reconnect.wait", ConfigType.DURATION)
      .defaultValue(Duration.ofSeconds(2)).validate(Rules::positive, "positive")
      .doc("Pause before Debezium reconnects after a retriable PostgreSQL error (retriable.restart.connector.wait.ms).");
  static final ConfigKey<Duration> ENGINE_RETRY_INITIAL = ConfigKey.of("engine.retry.delay.initial",
      ConfigType.DURATION).defaultValue(Duration.ofMillis(300)).validate(Rules::positive, "positive")
      .doc("First delay of Debezium's own retries of retriable errors (errors.max.retries=-1: forever).");
  static final ConfigKey<Duration> ENGINE_RETRY_MAX = ConfigKey.of("engine.retry.delay.max", ConfigType.DURATION)
      .defaultValue(Duration.ofSeconds(10)).validate(Rules::positive, "positive")
      .doc("Longest delay of Debezium's own retries.");
  static final ConfigKey<Duration> RESTART_INITIAL = ConfigKey.of("retry.backoff.initial", ConfigType.DURATION)
      .defaultValue(Duration.ofSeconds(1)).validate(Rules::positive, "positive")
      .doc("First wait before the supervisor restarts a failed engine (Kafka error, lost connection the engine"
          + " gave up on); doubles up to retry.backoff.max.");
  static final ConfigKey<Duration> RESTART_MAX = ConfigKey.of("retry.backoff.max", ConfigType.DURATION)
      .defaultValue(Duration.ofSeconds(60)).validate(Rules::positive, "positive")
      .doc("Longest wait between restarts; an engine that ran this long without failing starts the backoff over.");
  static final ConfigKey<Duration> SHUTDOWN_TIMEOUT = ConfigKey.of("shutdown.timeout", ConfigType.DURATION)
      .defaultValue(Duration.ofSeconds(30)).validate(Rules::positive, "positive")
      .doc("On SIGTERM: longest wait for the in-flight batch to commit and the engine to stop.");
  static final ConfigKey<String> METRICS_BIND = ConfigKey.of("metrics.bind", ConfigType.STRING)
      .defaultValue("127.0.0.1").doc("Address of the /metrics and /health endpoint.");
  static final ConfigKey<Integer> METRICS_PORT = ConfigKey.of("metrics.port", ConfigType.INT)
      .defaultValue(9401).validate(p -> p >= 0 && p <= 65535, "a port (0 disables)")
      .doc("Port of /metrics (Prometheus) and /health (200 while the engine streams).");

  static final ConfigDef DEF = ConfigDef.withEnvPrefix("CDC")
      .define(BOOTSTRAP).define(TRANSACTIONAL_ID).define(TRANSACTION_TIMEOUT)
      .define(PG_HOST).define(PG_PORT).define(PG_DATABASE).define(PG_USER).define(PG_PASSWORD)
      .define(SLOT).define(PUBLICATION).define(TABLES).define(TOPIC_PREFIX).define(DLQ_TOPIC).define(ENGINE_NAME).define(SNAPSHOT_MODE)
      .define(OFFSET_STORAGE).define(OFFSET_TOPIC).define(OFFSET_TOPIC_PARTITIONS).define(OFFSET_TOPIC_REPLICATION)
      .define(OFFSET_FILE).define(OFFSET_FLUSH_INTERVAL).define(OFFSET_FLUSH_TIMEOUT)
      .define(HEARTBEAT_INTERVAL).define(HEARTBEAT_QUERY).define(HEARTBEAT_TABLE).define(POLL_INTERVAL).define(MAX_BATCH).define(MAX_QUEUE)
      .define(RECONNECT_WAIT).define(ENGINE_RETRY_INITIAL).define(ENGINE_RETRY_MAX)
      .define(RESTART_INITIAL).define(RESTART_MAX).define(SHUTDOWN_TIMEOUT)
      .define(METRICS_BIND).define(METRICS_PORT)
      .passThrough(DEBEZIUM_PREFIX).passThrough(PRODUCER_PREFIX).passThrough(KafkaClients.PREFIX);

  /** @throws ConfigException naming the first bad key */
  static CdcConfig load(Path file, Map<String, String> env) {
    return from(DEF.load(file, env));
  }

  /** Applies the cross-key rules; @throws ConfigException naming the offending key */
  static CdcConfig from(Config c) {
    if (c.get(MAX_QUEUE) <= c.get(MAX_BATCH)) {
      throw new ConfigException(MAX_QUEUE.name(), "max.queue.size (" + c.get(MAX_QUEUE)
          + ") must be greater than max.batch.size (" + c.get(MAX_BATCH) + ")");
    }
    if (c.get(OFFSET_STORAGE) == OffsetStorage.FILE && c.get(OFFSET_FILE) == null) {
      throw new ConfigException(OFFSET_FILE.name(), "offset.storage.file is required when offset.storage=file");
    }
    requireNotBelow(c, RESTART_MAX, RESTART_INITIAL);
    requireNotBelow(c, ENGINE_RETRY_MAX, ENGINE_RETRY_INITIAL);
    Map<String, String> debezium = c.withPrefix(DEBEZIUM_PREFIX);
    for (String key : debezium.keySet()) {
      String owner = DebeziumProperties.ownerOf(key);
      if (owner != null) {
        throw new ConfigException(DEBEZIUM_PREFIX + key, "'" + DEBEZIUM_PREFIX + key + "' cannot be passed through: "
            + owner);
      }
    }
    Map<String, String> producer = c.withPrefix(PRODUCER_PREFIX);
    for (String key : producer.keySet()) {
      String owner = KafkaBridge.ownerOfProducerKey(key);
      if (owner != null) {
        throw new ConfigException(PRODUCER_PREFIX + key, "'" + PRODUCER_PREFIX + key + "' cannot be passed through: "
            + owner);
      }
    }
    return new CdcConfig(c.get(BOOTSTRAP), c.get(TRANSACTIONAL_ID), c.get(TRANSACTION_TIMEOUT),
        c.get(PG_HOST), c.get(PG_PORT), c.get(PG_DATABASE), c.get(PG_USER), c.get(PG_PASSWORD),
        c.get(SLOT), c.get(PUBLICATION), c.get(TABLES), c.get(TOPIC_PREFIX), c.get(DLQ_TOPIC), c.get(ENGINE_NAME), c.get(SNAPSHOT_MODE),
        c.get(OFFSET_STORAGE), c.get(OFFSET_TOPIC), c.get(OFFSET_TOPIC_PARTITIONS), c.get(OFFSET_TOPIC_REPLICATION),
        c.get(OFFSET_FILE), c.get(OFFSET_FLUSH_INTERVAL), c.get(OFFSET_FLUSH_TIMEOUT),
        c.get(HEARTBEAT_INTERVAL), c.get(HEARTBEAT_QUERY), c.get(HEARTBEAT_TABLE), c.get(POLL_INTERVAL), c.get(MAX_BATCH), c.get(MAX_QUEUE),
        c.get(RECONNECT_WAIT), c.get(ENGINE_RETRY_INITIAL), c.get(ENGINE_RETRY_MAX),
        c.get(RESTART_INITIAL), c.get(RESTART_MAX), c.get(SHUTDOWN_TIMEOUT),
        c.get(METRICS_BIND), c.get(METRICS_PORT), debezium, producer,
        KafkaClients.connection(c, BOOTSTRAP, "cdc", java.util.Set.of("transactional.id", "enable.idempotence",
            "transaction.timeout.ms", "acks")));
  }

  /** Never printed with the password. */
  @Override
  public String toString() {
    return "CdcConfig[slot=" + slotName + ", publication=" + publicationName + ", tables=" + tableIncludeList
        + ", postgres=" + postgresUser + "@" + postgresHost + ":" + postgresPort + "/" + postgresDatabase
        + ", kafka=" + KafkaClients.describe(kafka) + ", transactional.id=" + transactionalId + ", offsets=" + offsetStorage + "]";
  }

  /** Topics of the captured tables: {@code <topic.prefix>.<schema>.<table>}. */
  List<String> capturedTopics() {
    return tableIncludeList.stream().map(t -> topicPrefix + "." + t).toList();
  }

  /**
   * The largest change event value the bridge sends as it is: the producer's max.request.size (1 MiB
   * unless overridden) less 4 KiB for key, headers and batch overhead.
   */
  int maxChangeBytes() {
    return RecordLimits.maxValueBytes(producerOverrides);
  }

  /** Where Debezium sends the heartbeat table's changes (never created: the bridge turns them into progress). */
  String heartbeatTopic() {
    return topicPrefix + "." + heartbeatTable;
  }

  private static void requireNotBelow(Config c, ConfigKey<Duration> max, ConfigKey<Duration> min) {
    if (c.get(max).compareTo(c.get(min)) < 0) {
      throw new ConfigException(max.name(), max.name() + " (" + c.get(max).toMillis() + "ms) must not be below "
          + min.name() + " (" + c.get(min).toMillis() + "ms)");
    }
  }
}
