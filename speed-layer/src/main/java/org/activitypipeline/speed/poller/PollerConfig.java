package org.activitypipeline.speed.poller;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.activitypipeline.common.config.Config;
import org.activitypipeline.common.kafka.KafkaClients;
import org.activitypipeline.common.config.ConfigDef;
import org.activitypipeline.common.config.ConfigKey;
import org.activitypipeline.common.config.ConfigType;
import org.activitypipeline.common.config.Rules;
import org.activitypipeline.common.source.ActivityTableKeys;
import org.activitypipeline.common.source.CassandraSecurity;
import org.activitypipeline.common.time.ActivityBuckets;
import org.activitypipeline.common.topic.Topics;

/**
 * Every setting of the Cassandra poller: declared once here with type, default, rule and doc
 * ({@code docs/POLLER.md} is generated from {@link #DEF}). Environment variables {@code POLLER_*}
 * override the file.
 */
record PollerConfig(
    String bootstrapServers,
    String transactionalId,
    String rawActivitiesTopic,
    String stateTopic,
    String deadLetterTopic,
    String shardsTopic,
    String groupId,
    Duration sessionTimeout,
    String contactPoint,
    String localDatacenter,
    CassandraSecurity cassandraSecurity,
    String keyspace,
    String table,
    DefaultConsistencyLevel consistency,
    int shards,
    Duration pollInterval,
    Duration lag,
    Duration lateWindow,
    Duration maxSpan,
    Duration initialLookback,
    int pageSize,
    Duration backoffInitial,
    Duration backoffMax,
    String metricsBind,
    int metricsPort,
    Map<String, String> producerOverrides,
    Map<String, Object> kafka) {

  static final ConfigKey<String> BOOTSTRAP = ConfigKey.of("kafka.bootstrap.servers", ConfigType.STRING)
      .defaultValue("127.0.0.1:19092").doc("Kafka brokers, host:port[,host:port...].");
  static final ConfigKey<String> TRANSACTIONAL_ID = ConfigKey.of("kafka.transactional.id", ConfigType.STRING)
      .defaultValue("activity-poller-0")
      .doc("Stable id of this poller instance: its Kafka transactions. A restarted instance with the same id"
          + " fences the old one. Two instances must never share it (instances of one poll.group.id split the"
          + " shards, each with its own id).");
  static final ConfigKey<String> RAW_TOPIC = ConfigKey.of("topic.raw-activities", ConfigType.STRING)
      .defaultValue(Topics.RAW_ACTIVITIES.name()).doc("Where activity rows go, keyed by employee_id.");
  static final ConfigKey<String> STATE_TOPIC = ConfigKey.of("topic.state", ConfigType.STRING)
      .defaultValue(Topics.POLLER_STATE.name()).doc("Compacted topic holding each shard's committed watermark.");
  static final ConfigKey<String> DLQ_TOPIC = ConfigKey.of("topic.dlq", ConfigType.STRING)
      .defaultValue(Topics.PIPELINE_DLQ.name())
      .doc("Where rows that are not valid activities go (stage poller, the reason in dlq.reason), in the same"
          + " transaction as the rows of their poll.");
  static final ConfigKey<String> SHARDS_TOPIC = ConfigKey.of("topic.shards", ConfigType.STRING)
      .defaultValue(Topics.POLLER_SHARDS.name()).doc("Holds no records: one partition per shard (poll.shards), which"
          + " the pollers' consumer group (poll.group.id) splits between the running instances.");
  static final ConfigKey<String> GROUP_ID = ConfigKey.of("poll.group.id", ConfigType.STRING)
      .defaultValue("speed-layer-poller").doc("Consumer group of the poller instances: they split the shards between"
          + " them, and when one stops or goes silent its shards go to the others. Each instance needs its own"
          + " kafka.transactional.id.");
  static final ConfigKey<Duration> SESSION_TIMEOUT = ConfigKey.of("poll.session.timeout", ConfigType.DURATION)
      .defaultValue(Duration.ofSeconds(6)).validate(d -> d.compareTo(Duration.ofSeconds(6)) >= 0
          && d.compareTo(Duration.ofMinutes(30)) <= 0, "between 6s (the broker's group.min.session.timeout.ms) and 30m")
      .doc("An instance silent this long (crashed, stalled) loses its shards to the others; until then its shards"
          + " wait. A stalled instance that wakes up later cannot commit for shards it lost.");
  static final ConfigKey<String> CONTACT_POINT = ActivityTableKeys.CONTACT_POINT;
  static final ConfigKey<String> LOCAL_DC = ActivityTableKeys.LOCAL_DC;
  static final ConfigKey<String> KEYSPACE = ActivityTableKeys.KEYSPACE;
  static final ConfigKey<String> TABLE = ActivityTableKeys.TABLE;
  static final ConfigKey<DefaultConsistencyLevel> CONSISTENCY = ActivityTableKeys.CONSISTENCY;
  static final ConfigKey<Integer> SHARDS = ConfigKey.of("poll.shards", ConfigType.INT)
      .defaultValue(ActivityBuckets.DEFAULT_SHARDS).validate(n -> n >= 1 && n <= 1024, "between 1 and 1024")
      .doc("Shards per ingest hour; must equal the writers' shard count.");
  static final ConfigKey<Duration> INTERVAL = ConfigKey.of("poll.interval", ConfigType.DURATION)
      .defaultValue(Duration.ofMillis(500)).validate(Rules::positive, "positive")
      .doc("Pause between polls (a poll that finds rows is followed by the next one at once).");
  static final ConfigKey<Duration> LAG = ConfigKey.of("poll.lag", ConfigType.DURATION)
      .defaultValue(Duration.ofSeconds(1)).validate(d -> !d.isNegative(), "zero or positive")
      .doc("Rows younger than this (by write time) are left for the next poll: writes still in flight and"
          + " small clock differences between writers are visible by then.");
  static final ConfigKey<Duration> LATE_WINDOW = ConfigKey.of("poll.late.window", ConfigType.DURATION)
      .defaultValue(Duration.ofSeconds(30)).validate(d -> !d.isNegative(), "zero or positive")
      .doc("Every slice of write time is read a second time this much later: a row that becomes visible"
          + " up to poll.lag + this after its write time (writer clock behind, write in flight) is still emitted,"
          + " exactly once. Size it to the worst writer clock skew plus write latency. Costs one extra read per row.");
  static final ConfigKey<Duration> MAX_SPAN = ConfigKey.of("poll.max.span", ConfigType.DURATION)
      .defaultValue(Duration.ofSeconds(10)).validate(Rules::positive, "positive")
      .doc("Most write time one poll covers while catching up: bounds the rows per Kafka transaction."
          + " Over empty write time (first start, after a long stop) it doubles per empty poll, up to 8x.");
  static final ConfigKey<Duration> INITIAL_LOOKBACK = ConfigKey.of("poll.initial.lookback", ConfigType.DURATION)
      .defaultValue(Duration.ofHours(1)).validate(d -> !d.isNegative(), "zero or positive")
      .doc("On the very first start (no committed watermark): how far back to read. At most the table TTL.");
  static final ConfigKey<Integer> PAGE_SIZE = ConfigKey.of("poll.page.size", ConfigType.INT)
      .defaultValue(5000).validate(n -> n >= 100, "at least 100").doc("Rows per Cassandra page.");
  static final ConfigKey<Duration> BACKOFF_INITIAL = ConfigKey.of("retry.backoff.initial", ConfigType.DURATION)
      .defaultValue(Duration.ofSeconds(1)).validate(Rules::positive, "positive")
      .doc("First wait after a failed poll (Cassandra or Kafka unavailable); doubles up to retry.backoff.max.");
  static final ConfigKey<Duration> BACKOFF_MAX = ConfigKey.of("retry.backoff.max", ConfigType.DURATION)
      .defaultValue(Duration.ofSeconds(30)).validate(Rules::positive, "positive").doc("Longest wait.");
  static final ConfigKey<String> METRICS_BIND = ConfigKey.of("metrics.bind", ConfigType.STRING)
      .defaultValue("127.0.0.1").doc("Address of the /metrics and /health endpoint.");
  static final ConfigKey<Integer> METRICS_PORT = ConfigKey.of("metrics.port", ConfigType.INT)
      .defaultValue(9402).validate(p -> p >= 0 && p <= 65535, "a port (0 disables)").doc("Port of /metrics, /health.");

  static final ConfigDef DEF = ConfigDef.withEnvPrefix("POLLER")
      .define(BOOTSTRAP).define(TRANSACTIONAL_ID).define(RAW_TOPIC).define(STATE_TOPIC).define(DLQ_TOPIC)
      .define(SHARDS_TOPIC).define(GROUP_ID).define(SESSION_TIMEOUT)
      .define(CONTACT_POINT).define(LOCAL_DC).define(KEYSPACE).define(TABLE).define(CONSISTENCY)
      .define(ActivityTableKeys.USERNAME).define(ActivityTableKeys.PASSWORD).define(ActivityTableKeys.TRUSTSTORE)
      .define(ActivityTableKeys.TRUSTSTORE_PASSWORD)
      .define(SHARDS).define(INTERVAL).define(LAG).define(LATE_WINDOW).define(MAX_SPAN)
      .define(INITIAL_LOOKBACK).define(PAGE_SIZE).define(BACKOFF_INITIAL).define(BACKOFF_MAX)
      .define(METRICS_BIND).define(METRICS_PORT)
      .passThrough("kafka.producer.").passThrough(KafkaClients.PREFIX);

  static PollerConfig load(Path file, Map<String, String> env) {
    return from(DEF.load(file, env));
  }

  static PollerConfig from(Config c) {
    if (c.get(BACKOFF_MAX).compareTo(c.get(BACKOFF_INITIAL)) < 0) {
      throw new org.activitypipeline.common.config.ConfigException(BACKOFF_MAX.name(),
          "retry.backoff.max (" + c.get(BACKOFF_MAX) + ") must not be below retry.backoff.initial ("
              + c.get(BACKOFF_INITIAL) + ")");
    }
    return new PollerConfig(c.get(BOOTSTRAP), c.get(TRANSACTIONAL_ID), c.get(RAW_TOPIC), c.get(STATE_TOPIC),
        c.get(DLQ_TOPIC), c.get(SHARDS_TOPIC), c.get(GROUP_ID), c.get(SESSION_TIMEOUT), c.get(CONTACT_POINT), c.get(LOCAL_DC), CassandraSecurity.from(c), c.get(KEYSPACE), c.get(TABLE), c.get(CONSISTENCY), c.get(SHARDS),
        c.get(INTERVAL), c.get(LAG), c.get(LATE_WINDOW), c.get(MAX_SPAN),
        c.get(INITIAL_LOOKBACK), c.get(PAGE_SIZE), c.get(BACKOFF_INITIAL), c.get(BACKOFF_MAX),
        c.get(METRICS_BIND), c.get(METRICS_PORT), c.withPrefix("kafka.producer."),
        KafkaClients.connection(c, BOOTSTRAP, "poller", java.util.Set.of("transactional.id", "enable.idempotence",
            "group.id", "isolation.level", "enable.auto.commit")));
  }

  /** Never prints client secrets (sasl.jaas.config, ssl passwords). */
  @Override
  public String toString() {
    return "PollerConfig[kafka=" + KafkaClients.describe(kafka) + ", transactionalId=" + transactionalId
        + ", group=" + groupId + ", cassandra=" + contactPoint + "/" + localDatacenter + "/" + keyspace + "." + table
        + ", shards=" + shards + ", producer=" + org.activitypipeline.common.config.Secrets.masked(producerOverrides)
        + "]";
  }
}
