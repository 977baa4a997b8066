package org.activitypipeline.speed.cdc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Turns a {@link CdcConfig} into the properties of Debezium's embedded engine and PostgreSQL
 * connector. Pure: no I/O, unit-tested.
 *
 * <p>Some properties are fixed because the exactly-once bridge depends on them (the JSON format,
 * pgoutput, the pre-created publication, retrying forever); {@code debezium.*} overrides of those are
 * rejected by {@link #ownerOf}. Other defaults chosen here (transaction metadata, {@code
 * decimal.handling.mode=string}, no tombstones) may be overridden.
 */
final class DebeziumProperties {
  static final String CONNECTOR = "io.debezium.connector.postgresql.PostgresConnector";
  static final String KAFKA_OFFSET_STORE = "org.apache.kafka.connect.storage.KafkaOffsetBackingStore";
  static final String FILE_OFFSET_STORE = "org.apache.kafka.connect.storage.FileOffsetBackingStore";

  /** Set from declared keys: a {@code debezium.} override would silently contradict the typed config. */
  private static final Map<String, String> FROM_KEYS = Map.ofEntries(
      Map.entry("name", "engine.name"),
      Map.entry("bootstrap.servers", "kafka.bootstrap.servers"),
      Map.entry("database.hostname", "postgres.host"),
      Map.entry("database.port", "postgres.port"),
      Map.entry("database.dbname", "postgres.database"),
      Map.entry("database.user", "postgres.user"),
      Map.entry("database.password", "postgres.password"),
      Map.entry("slot.name", "postgres.slot.name"),
      Map.entry("publication.name", "postgres.publication.name"),
      Map.entry("table.include.list", "table.include.list"),
      Map.entry("topic.prefix", "topic.prefix"),
      Map.entry("snapshot.mode", "snapshot.mode"),
      Map.entry("offset.storage", "offset.storage"),
      Map.entry("offset.storage.topic", "offset.storage.topic"),
      Map.entry("offset.storage.partitions", "offset.storage.partitions"),
      Map.entry("offset.storage.replication.factor", "offset.storage.replication.factor"),
      Map.entry("offset.storage.file.filename", "offset.storage.file"),
      Map.entry("offset.flush.interval.ms", "offset.flush.interval"),
      Map.entry("offset.flush.timeout.ms", "offset.flush.timeout"),
      Map.entry("heartbeat.interval.ms", "heartbeat.interval"),
      Map.entry("heartbeat.action.query", "heartbeat.action.query"),
      Map.entry("poll.interval.ms", "poll.interval"),
      Map.entry("max.batch.size", "max.batch.size"),
      Map.entry("max.queue.size", "max.queue.size"),
      Map.entry("retriable.restart.connector.wait.ms", "postgres.reconnect.wait"),
      Map.entry("errors.retry.delay.initial.ms", "engine.retry.delay.initial"),
      Map.entry("errors.retry.delay.max.ms", "engine.retry.delay.max"));

  /** Fixed: the bridge's guarantees rest on them. */
  private static final Map<String, String> FIXED = Map.of(
      "connector.class", CONNECTOR,
      "plugin.name", "pgoutput",
      "publication.autocreate.mode", "disabled",
      "errors.max.retries", "-1",
      "converter.schemas.enable", "false");

  /** Defaults that suit the JSON contract of the cdc topics; overridable. */
  private static final Map<String, String> DEFAULTS = Map.of(
      // BEGIN/END records carry commit positions: acknowledging END stores the position right after the
      // transaction, so a clean restart sends nothing twice. Each event also gets transaction.id/total_order.
      "provide.transaction.metadata", "true",
      // NUMERIC as "81234.50", not base64 bytes (JSON without schemas cannot say how to decode those).
      "decimal.handling.mode", "string",
      // The cdc topics use cleanup.policy=delete: tombstones would only be noise for consumers.
      "tombstones.on.delete", "false");

  private DebeziumProperties() {
  }

  /** Why {@code debezium.<key>} may not be passed through, or {@code null} if it may. */
  static String ownerOf(String key) {
    if (FROM_KEYS.containsKey(key)) {
      return "set it with the key '" + FROM_KEYS.get(key) + "'";
    }
    if (FIXED.containsKey(key)) {
      return "fixed to " + FIXED.get(key) + " (the exactly-once bridge depends on it)";
    }
    return null;
  }

  static Properties from(CdcConfig c) {
    Map<String, String> p = new LinkedHashMap<>(FIXED);
    p.putAll(DEFAULTS);
    p.put("name", c.engineName());
    p.put("database.hostname", c.postgresHost());
    p.put("database.port", String.valueOf(c.postgresPort()));
    p.put("database.dbname", c.postgresDatabase());
    p.put("database.user", c.postgresUser());
    p.put("database.password", c.postgresPassword());
    p.put("slot.name", c.slotName());
    p.put("publication.name", c.publicationName());
    List<String> tables = new ArrayList<>(c.tableIncludeList());
    if (!c.heartbeatInterval().isZero() && !tables.contains(c.heartbeatTable())) {
      tables.add(c.heartbeatTable()); // its changes become progress records (KafkaBridge)
    }
    p.put("table.include.list", String.join(",", tables));
    p.put("topic.prefix", c.topicPrefix());
    p.put("snapshot.mode", c.snapshotMode());
    switch (c.offsetStorage()) {
      case KAFKA -> {
        p.put("offset.storage", KAFKA_OFFSET_STORE);
        // The offset store's producer, consumer and admin read the engine's top-level settings: the
        // same connection (security included) as every other client of the process.
        c.kafka().forEach((k, v) -> p.put(k, String.valueOf(v)));
        p.put("offset.storage.topic", c.offsetTopic());
        p.put("offset.storage.partitions", String.valueOf(c.offsetTopicPartitions()));
        p.put("offset.storage.replication.factor", String.valueOf(c.offsetTopicReplicationFactor()));
      }
      case FILE -> {
        p.put("offset.storage", FILE_OFFSET_STORE);
        p.put("offset.storage.file.filename", c.offsetFile().toAbsolutePath().toString());
      }
    }
    p.put("offset.flush.interval.ms", String.valueOf(c.offsetFlushInterval().toMillis()));
    p.put("offset.flush.timeout.ms", String.valueOf(c.offsetFlushTimeout().toMillis()));
    p.put("heartbeat.interval.ms", String.valueOf(c.heartbeatInterval().toMillis()));
    if (!c.heartbeatInterval().isZero()) {
      p.put("heartbeat.action.query", c.heartbeatActionQuery());
    }
    p.put("poll.interval.ms", String.valueOf(c.pollInterval().toMillis()));
    p.put("max.batch.size", String.valueOf(c.maxBatchSize()));
    p.put("max.queue.size", String.valueOf(c.maxQueueSize()));
    p.put("retriable.restart.connector.wait.ms", String.valueOf(c.reconnectWait().toMillis()));
    p.put("errors.retry.delay.initial.ms", String.valueOf(c.engineRetryInitial().toMillis()));
    p.put("errors.retry.delay.max.ms", String.valueOf(c.engineRetryMax().toMillis()));
    p.putAll(c.debeziumOverrides());
    Properties props = new Properties();
    props.putAll(p);
    return props;
  }
}
