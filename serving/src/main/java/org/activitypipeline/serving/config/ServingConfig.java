package org.activitypipeline.serving.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.activitypipeline.common.config.Config;
import org.activitypipeline.common.config.ConfigDef;
import org.activitypipeline.common.config.ConfigException;
import org.activitypipeline.common.config.ConfigKey;
import org.activitypipeline.common.config.ConfigType;
import org.activitypipeline.common.config.Rules;
import org.activitypipeline.common.topic.Topics;

/**
 * Every setting of the serving process: declared once here with type, default, rule and doc
 * ({@code docs/SERVING.md} is generated from {@link #DEF}). Environment variables {@code SERVING_*}
 * override the file.
 *
 * @param kafka consumer settings of the topic readers (bootstrap servers plus {@code kafka.client.*})
 * @param authToken bearer token every {@code /api/} request must carry, or {@code null} for none
 */
public record ServingConfig(
    String httpBind,
    int httpPort,
    String authToken,
    Map<String, Object> kafka,
    String hourlyTopic,
    String dailyTopic,
    String employeesTopic,
    String activitiesTopic,
    String completenessTopic,
    String lakehouse,
    Map<String, String> hadoop,
    Duration lakehousePollInterval,
    boolean cacheEnabled,
    long cachePartitionRows,
    long cacheResultEntries,
    Duration queryMaxRange,
    int profileRecentActivities,
    Duration profileRecentWindow,
    long profileMaxEmployees,
    Duration shutdownTimeout) {

  static final ConfigKey<String> HTTP_BIND = ConfigKey.of("http.bind", ConfigType.STRING)
      .defaultValue("127.0.0.1").doc("Address the HTTP API, dashboard, /health, /ready and /metrics listen on"
          + " (0.0.0.0 for every interface).");
  static final ConfigKey<Integer> HTTP_PORT = ConfigKey.of("http.port", ConfigType.INT)
      .defaultValue(8080).validate(p -> p >= 0 && p <= 65535, "a port (0 = any free port)").doc("HTTP port.");
  static final ConfigKey<String> AUTH_TOKEN = ConfigKey.of("auth.token", ConfigType.PASSWORD).optional()
      .doc("When set, every /api/ request must carry 'Authorization: Bearer <token>' (401 otherwise); /health,"
          + " /ready, /metrics and the dashboard page stay open. Prefer the SERVING_AUTH_TOKEN environment variable.");
  static final ConfigKey<String> BOOTSTRAP = ConfigKey.of("kafka.bootstrap.servers", ConfigType.STRING)
      .defaultValue("127.0.0.1:19092").doc("Kafka brokers, host:port[,host:port...].");
  static final ConfigKey<String> TOPIC_HOURLY = ConfigKey.of("topic.hourly-activity-aggregations", ConfigType.STRING)
      .defaultValue(Topics.HOURLY_ACTIVITY_AGGREGATIONS.name()).doc("The speed layer's hourly windows (read_committed).");
  static final ConfigKey<String> TOPIC_DAILY = ConfigKey.of("topic.daily-device-aggregations", ConfigType.STRING)
      .defaultValue(Topics.DAILY_DEVICE_AGGREGATIONS.name()).doc("The speed layer's daily device windows (read_committed).");
  static final ConfigKey<String> TOPIC_EMPLOYEES = ConfigKey.of("topic.processed-employees", ConfigType.STRING)
      .defaultValue(Topics.PROCESSED_EMPLOYEES.name()).doc("Current employee state for profiles (compacted, read whole).");
  static final ConfigKey<String> TOPIC_COMPLETENESS = ConfigKey.of("topic.activity-completeness", ConfigType.STRING)
      .defaultValue(Topics.ACTIVITY_COMPLETENESS.name())
      .doc("The batch layer's reconciliation results per ingest hour (GET /api/v1/completeness).");
  static final ConfigKey<String> TOPIC_ACTIVITIES = ConfigKey.of("topic.processed-activities", ConfigType.STRING)
      .defaultValue(Topics.PROCESSED_ACTIVITIES.name()).doc("Enriched activities for the profiles' recent activity.");
  static final ConfigKey<String> LAKEHOUSE = ConfigKey.of("lakehouse.path", ConfigType.STRING)
      .defaultValue("hdfs://127.0.0.1:18020/lakehouse")
      .validate(s -> s.matches("[a-z][a-z0-9+.-]*://.+"), "a URI such as hdfs://namenode:8020/lakehouse or file:///data/lakehouse")
      .doc("Root of the batch layer's Hudi tables and its _batch_horizon.json (the batch layer's lakehouse.path).");
  static final ConfigKey<Duration> POLL = ConfigKey.of("lakehouse.poll-interval", ConfigType.DURATION)
      .defaultValue(Duration.ofSeconds(5)).validate(Rules::positive, "positive")
      .doc("How often the batch horizon and the batch views' newest Hudi commits are checked; a change invalidates"
          + " the caches.");
  static final ConfigKey<Boolean> CACHE_ENABLED = ConfigKey.of("cache.enabled", ConfigType.BOOLEAN)
      .defaultValue(true).doc("Cache batch-view partitions and query results (false: every request reads Hudi).");
  static final ConfigKey<Long> CACHE_ROWS = ConfigKey.of("cache.partitions.max-rows", ConfigType.LONG)
      .defaultValue(2_000_000L).validate(n -> n >= 1, "positive")
      .doc("Batch-view rows (one per window) kept in the partition cache, over all cached dates.");
  static final ConfigKey<Long> CACHE_RESULTS = ConfigKey.of("cache.results.max-entries", ConfigType.LONG)
      .defaultValue(10_000L).validate(n -> n >= 1, "positive").doc("Query results kept in the result cache.");
  static final ConfigKey<Duration> MAX_RANGE = ConfigKey.of("query.max-range", ConfigType.DURATION)
      .defaultValue(Duration.ofDays(93)).validate(Rules::positive, "positive")
      .doc("Longest time range one query may ask for (a longer one gets 400 naming the 'to' parameter).");
  static final ConfigKey<Integer> RECENT = ConfigKey.of("profile.recent-activities", ConfigType.INT)
      .defaultValue(20).validate(n -> n >= 1 && n <= 1000, "between 1 and 1000")
      .doc("Recent activities kept and returned per employee profile.");
  static final ConfigKey<Duration> RECENT_WINDOW = ConfigKey.of("profile.recent-window", ConfigType.DURATION)
      .defaultValue(Duration.ofHours(1)).validate(Rules::positive, "positive")
      .doc("At start, processed-activities is read from this far back (by record time) to fill the recent"
          + " activity; longer means a slower start on a busy topic.");
  static final ConfigKey<Long> MAX_EMPLOYEES = ConfigKey.of("profile.max-employees", ConfigType.LONG)
      .defaultValue(500_000L).validate(n -> n >= 1, "positive")
      .doc("Employees whose recent activity is kept in memory (least recently active dropped first).");
  static final ConfigKey<Duration> SHUTDOWN = ConfigKey.of("shutdown.timeout", ConfigType.DURATION)
      .defaultValue(Duration.ofSeconds(15)).validate(Rules::positive, "positive")
      .doc("SIGTERM: how long requests in flight may take to finish.");

  public static final ConfigDef DEF = ConfigDef.withEnvPrefix("SERVING")
      .define(HTTP_BIND).define(HTTP_PORT).define(AUTH_TOKEN).define(BOOTSTRAP).define(TOPIC_HOURLY)
      .define(TOPIC_DAILY).define(TOPIC_EMPLOYEES).define(TOPIC_ACTIVITIES).define(TOPIC_COMPLETENESS).define(LAKEHOUSE).define(POLL)
      .define(CACHE_ENABLED).define(CACHE_ROWS).define(CACHE_RESULTS).define(MAX_RANGE).define(RECENT)
      .define(RECENT_WINDOW).define(MAX_EMPLOYEES).define(SHUTDOWN)
      .passThrough("kafka.client.").passThrough("hadoop.");

  public ServingConfig {
    kafka = Map.copyOf(kafka);
    hadoop = Map.copyOf(hadoop);
  }

  /** @throws ConfigException naming the first bad key */
  public static ServingConfig load(Path file, Map<String, String> env) {
    return from(DEF.load(file, env));
  }

  public static ServingConfig from(Config c) {
    Map<String, Object> kafka = new HashMap<>(c.withPrefix("kafka.client."));
    for (String owned : new String[] {"bootstrap.servers", "isolation.level", "enable.auto.commit", "group.id"}) {
      if (kafka.containsKey(owned)) {
        throw new ConfigException("kafka.client." + owned, "kafka.client." + owned
            + " is set by the serving layer (it reads committed data only, without a consumer group)");
      }
    }
    kafka.put("bootstrap.servers", c.get(BOOTSTRAP));
    String token = c.get(AUTH_TOKEN);
    if (token != null && token.length() < 16) {
      throw new ConfigException(AUTH_TOKEN.name(), "auth.token must be at least 16 characters (a guessable token"
          + " is no protection)");
    }
    // An HTTP request must not hang while the NameNode is down: fail over to a 503 within about a
    // second instead of Hadoop's default 10 connection retries one second apart. Settable as hadoop.*.
    Map<String, String> hadoop = new HashMap<>(c.withPrefix("hadoop."));
    hadoop.putIfAbsent("ipc.client.connect.max.retries", "2");
    hadoop.putIfAbsent("ipc.client.connect.retry.interval", "300");
    return new ServingConfig(c.get(HTTP_BIND), c.get(HTTP_PORT), token, kafka, c.get(TOPIC_HOURLY),
        c.get(TOPIC_DAILY), c.get(TOPIC_EMPLOYEES), c.get(TOPIC_ACTIVITIES), c.get(TOPIC_COMPLETENESS), c.get(LAKEHOUSE), hadoop, c.get(POLL), c.get(CACHE_ENABLED), c.get(CACHE_ROWS), c.get(CACHE_RESULTS),
        c.get(MAX_RANGE), c.get(RECENT), c.get(RECENT_WINDOW), c.get(MAX_EMPLOYEES), c.get(SHUTDOWN));
  }

  /** Never prints the token. */
  @Override
  public String toString() {
    return "ServingConfig[http=" + httpBind + ":" + httpPort + ", auth=" + (authToken == null ? "off" : "bearer")
        + ", kafka=" + kafka.get("bootstrap.servers") + ", lakehouse=" + lakehouse + ", cache=" + cacheEnabled + "]";
  }
}
