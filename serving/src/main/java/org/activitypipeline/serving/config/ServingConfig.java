package org.activitypipeline.serving.config;

import java.nio.file.Path;
import java.time.Duration;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.activitypipeline.common.config.Config;
import org.activitypipeline.common.kafka.KafkaClients;
import org.activitypipeline.common.config.ConfigDef;
import org.activitypipeline.common.config.ConfigException;
import org.activitypipeline.common.config.ConfigKey;
import org.activitypipeline.common.config.ConfigType;
import org.activitypipeline.common.config.Rules;
import org.activitypipeline.common.topic.Topics;
import org.activitypipeline.serving.health.ScrapeTarget;

/**
 * Every setting of the serving process: declared once here with type, default, rule and doc
 * ({@code docs/SERVING.md} is generated from {@link #DEF}). Environment variables {@code SERVING_*}
 * override the file.
 *
 * @param kafka consumer settings of the topic readers (bootstrap servers plus {@code kafka.client.*})
 * @param authToken bearer token every {@code /api/} request must carry, or {@code null} for none (only
 *     with {@code auth.mode=none}, or on a loopback address for local development)
 * @param metricsToken bearer token {@code /metrics} needs, or {@code null}: open
 * @param allowedHosts the {@code Host} header values (lower case, no port) accepted, or {@code null}: any
 */
public record ServingConfig(
    String httpBind,
    int httpPort,
    AuthMode authMode,
    String authToken,
    String metricsToken,
    List<String> allowedHosts,
    int maxConcurrentQueries,
    int maxRequestBytes,
    int maxThreads,
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
    long cacheMaxBytes,
    Duration queryMaxRange,
    int profileRecentActivities,
    Duration profileRecentWindow,
    long profileMaxEmployees,
    List<ScrapeTarget> healthTargets,
    Duration healthScrapeInterval,
    Duration healthScrapeTimeout,
    Duration healthRateWindow,
    Duration healthLookback,
    String deadLetterTopic,
    String lateActivitiesTopic,
    Duration shutdownTimeout) {

  static final ConfigKey<String> HTTP_BIND = ConfigKey.of("http.bind", ConfigType.STRING)
      .defaultValue("127.0.0.1").doc("Address the HTTP API, dashboard, /health, /ready and /metrics listen on"
          + " (0.0.0.0 for every interface).");
  static final ConfigKey<Integer> HTTP_PORT = ConfigKey.of("http.port", ConfigType.INT)
      .defaultValue(8080).validate(p -> p >= 0 && p <= 65535, "a port (0 = any free port)").doc("HTTP port.");
  /** How the API is protected. */
  public enum AuthMode {
    /** Every /api/ request needs the bearer token (the default; required off loopback). */
    TOKEN,
    /** No authentication at all: must be chosen explicitly (e.g. behind an authenticating proxy). */
    NONE
  }

  static final ConfigKey<AuthMode> AUTH_MODE = ConfigKey.of("auth.mode", ConfigType.enumOf(AuthMode.class))
      .defaultValue(AuthMode.TOKEN)
      .doc("token: every /api/ request needs auth.token; serving refuses to start on a non-loopback http.bind"
          + " without one (on loopback without one it starts with a warning, for local development). none: no"
          + " authentication (only behind something that authenticates); auth.token must then be unset.");
  static final ConfigKey<String> AUTH_TOKEN = ConfigKey.of("auth.token", ConfigType.PASSWORD).optional()
      .validate(t -> t.length() >= 16, "at least 16 characters (a guessable token is no protection)")
      .doc("The bearer token every /api/ request (except the OpenAPI document and /api/v1/auth) must carry as"
          + " 'Authorization: Bearer <token>' (401 otherwise); /health, /ready and the dashboard page stay open."
          + " Generate it with 'openssl rand -hex 32'; prefer the SERVING_AUTH_TOKEN environment variable.");
  static final ConfigKey<String> METRICS_TOKEN = ConfigKey.of("metrics.token", ConfigType.PASSWORD).optional()
      .validate(t -> t.length() >= 16, "at least 16 characters (a guessable token is no protection)")
      .doc("When set, /metrics needs 'Authorization: Bearer <metrics.token>' (401 otherwise); unset: /metrics is"
          + " open. A token of its own, so the scraper never holds the API token.");
  static final ConfigKey<List<String>> ALLOWED_HOSTS = ConfigKey.of("http.allowed-hosts", ConfigType.LIST).optional()
      .validate(l -> l.stream().allMatch(h -> h.matches("[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\]")),
          "host names or IP addresses without scheme or port, comma-separated")
      .doc("When set, a request whose Host header (without the port) is not one of these gets 421 (a defence"
          + " against DNS rebinding); unset: any Host.");
  static final ConfigKey<Integer> MAX_QUERIES = ConfigKey.of("http.max-concurrent-queries", ConfigType.INT)
      .defaultValue(8).validate(n -> n >= 1 && n <= 1000, "between 1 and 1000")
      .doc("Expensive queries (hourly, daily, completeness, profiles) answered at once; one more gets 503 with"
          + " Retry-After at once instead of waiting in a queue.");
  static final ConfigKey<Integer> MAX_REQUEST_BYTES = ConfigKey.of("http.max-request-bytes", ConfigType.INT)
      .defaultValue(16 * 1024).validate(n -> n >= 1024 && n <= 1024 * 1024, "between 1024 and 1048576")
      .doc("Largest request body accepted (413 beyond; the API takes no bodies) and the size of Jetty's request"
          + " header buffer (a longer request line gets 414, longer headers 431).");
  static final ConfigKey<Integer> MAX_THREADS = ConfigKey.of("http.max-threads", ConfigType.INT)
      .defaultValue(64).validate(n -> n >= 8 && n <= 1000, "between 8 and 1000")
      .doc("Jetty's request threads at most (the acceptor and selector threads included).");
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
  static final ConfigKey<Long> CACHE_MAX_BYTES = ConfigKey.of("cache.max-bytes", ConfigType.LONG)
      .defaultValue(64L * 1024 * 1024).validate(n -> n >= 1024 * 1024, "at least 1048576 (1 MiB)")
      .doc("Heap the two query-result caches may hold together, in bytes (estimated per result from its windows'"
          + " field sizes; least recently used results go first).");
  static final ConfigKey<Duration> MAX_RANGE = ConfigKey.of("query.max-range", ConfigType.DURATION)
      .defaultValue(Duration.ofDays(93)).validate(Rules::positive, "positive")
      .validate(d -> d.compareTo(Duration.ofDays(3660)) <= 0, "at most 3660 days")
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
  static final ConfigKey<List<String>> HEALTH_TARGETS = ConfigKey.of("health.targets", ConfigType.LIST).optional()
      .doc("The processes' /metrics endpoints the dashboard's pipeline-health panel reads, as"
          + " process=http://host:port/metrics with process one of cdc, poller, processor, batch-layer; list every"
          + " instance of a scaled-out process (their figures are summed). Unset: the panel shows only what serving"
          + " holds itself (dead letters, late activities, completeness, freshness).");
  static final ConfigKey<Duration> HEALTH_INTERVAL = ConfigKey.of("health.scrape-interval", ConfigType.DURATION)
      .defaultValue(Duration.ofSeconds(10)).validate(d -> d.compareTo(Duration.ofSeconds(1)) >= 0, "at least 1s")
      .doc("How often health.targets are read.");
  static final ConfigKey<Duration> HEALTH_TIMEOUT = ConfigKey.of("health.scrape-timeout", ConfigType.DURATION)
      .defaultValue(Duration.ofSeconds(3)).validate(Rules::positive, "positive")
      .doc("How long one read of a target may take before it counts as down.");
  static final ConfigKey<Duration> HEALTH_WINDOW = ConfigKey.of("health.rate-window", ConfigType.DURATION)
      .defaultValue(Duration.ofMinutes(1)).validate(Rules::positive, "positive")
      .doc("Rates are averaged over this much time (at least two scrape intervals), like Prometheus' rate().");
  static final ConfigKey<Duration> HEALTH_LOOKBACK = ConfigKey.of("health.lookback", ConfigType.DURATION)
      .defaultValue(Duration.ofHours(24)).validate(Rules::positive, "positive")
      .validate(d -> d.compareTo(Duration.ofDays(31)) <= 0, "at most 31 days")
      .doc("At start, the dead-letter and late-activity topics are read from this far back (by record time);"
          + " the panel counts from there and shows late activities per hour over this span.");
  static final ConfigKey<String> TOPIC_DLQ = ConfigKey.of("topic.pipeline-dlq", ConfigType.STRING)
      .defaultValue(Topics.PIPELINE_DLQ.name()).doc("The dead-letter topic: the health panel's counts and reasons"
          + " (headers only).");
  static final ConfigKey<String> TOPIC_LATE = ConfigKey.of("topic.late-activities", ConfigType.STRING)
      .defaultValue(Topics.LATE_ACTIVITIES.name()).doc("Activities past their window's lateness: late per hour.");
  static final ConfigKey<Duration> SHUTDOWN = ConfigKey.of("shutdown.timeout", ConfigType.DURATION)
      .defaultValue(Duration.ofSeconds(15)).validate(Rules::positive, "positive")
      .doc("SIGTERM: how long requests in flight may take to finish.");

  public static final ConfigDef DEF = ConfigDef.withEnvPrefix("SERVING")
      .define(HTTP_BIND).define(HTTP_PORT).define(AUTH_MODE).define(AUTH_TOKEN).define(METRICS_TOKEN)
      .define(ALLOWED_HOSTS).define(MAX_QUERIES).define(MAX_REQUEST_BYTES).define(MAX_THREADS).define(BOOTSTRAP)
      .define(TOPIC_HOURLY).define(TOPIC_DAILY).define(TOPIC_EMPLOYEES).define(TOPIC_ACTIVITIES).define(TOPIC_COMPLETENESS)
      .define(LAKEHOUSE).define(POLL).define(CACHE_ENABLED).define(CACHE_ROWS).define(CACHE_MAX_BYTES).define(MAX_RANGE)
      .define(RECENT).define(RECENT_WINDOW).define(MAX_EMPLOYEES).define(HEALTH_TARGETS).define(HEALTH_INTERVAL)
      .define(HEALTH_TIMEOUT).define(HEALTH_WINDOW).define(HEALTH_LOOKBACK).define(TOPIC_DLQ).define(TOPIC_LATE)
      .define(SHUTDOWN)
      .renamed("cache.results.max-entries", CACHE_MAX_BYTES)
      .passThrough(KafkaClients.PREFIX).passThrough("hadoop.");

  public ServingConfig {
    kafka = Map.copyOf(kafka);
    hadoop = Map.copyOf(hadoop);
    allowedHosts = allowedHosts == null ? null : List.copyOf(allowedHosts);
    healthTargets = List.copyOf(healthTargets);
  }

  /** @throws ConfigException naming the first bad key */
  public static ServingConfig load(Path file, Map<String, String> env) {
    return from(DEF.load(file, env));
  }

  public static ServingConfig from(Config c) {
    // It reads committed data only, without a consumer group.
    Map<String, Object> kafka = KafkaClients.connection(c, BOOTSTRAP, "serving layer", java.util.Set.of(
        "isolation.level", "enable.auto.commit", "group.id"));
    String token = c.get(AUTH_TOKEN);
    AuthMode mode = c.get(AUTH_MODE);
    String bind = c.get(HTTP_BIND);
    if (mode == AuthMode.NONE && token != null) {
      throw new ConfigException(AUTH_MODE.name(), "auth.mode=none but auth.token is set: unset auth.token, or use"
          + " auth.mode=token (an ignored token would look like protection)");
    }
    if (mode == AuthMode.TOKEN && token == null && !isLoopback(bind)) {
      throw new ConfigException(AUTH_TOKEN.name(), "auth.token is required when http.bind (" + bind + ") is not a"
          + " loopback address: set SERVING_AUTH_TOKEN (e.g. from 'openssl rand -hex 32'), or set auth.mode=none"
          + " explicitly to serve without authentication");
    }
    String metricsToken = c.get(METRICS_TOKEN);
    if (metricsToken != null && metricsToken.equals(token)) {
      throw new ConfigException(METRICS_TOKEN.name(), "metrics.token must differ from auth.token (the scraper"
          + " must not hold the API token)");
    }
    List<String> hosts = c.get(ALLOWED_HOSTS);
    if (hosts != null) {
      if (hosts.isEmpty()) {
        throw new ConfigException(ALLOWED_HOSTS.name(), "http.allowed-hosts is set but empty: list the host names"
            + " clients use, or leave it unset");
      }
      hosts = hosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).distinct().toList();
    }
    List<ScrapeTarget> targets;
    try {
      targets = ScrapeTarget.parseAll(c.get(HEALTH_TARGETS) == null ? List.of() : c.get(HEALTH_TARGETS));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(HEALTH_TARGETS.name(), e.getMessage());
    }
    Duration interval = c.get(HEALTH_INTERVAL);
    if (c.get(HEALTH_WINDOW).compareTo(interval.multipliedBy(2)) < 0) {
      throw new ConfigException(HEALTH_WINDOW.name(), "health.rate-window (" + c.get(HEALTH_WINDOW) + ") must be at"
          + " least two health.scrape-interval (" + interval + "): a rate needs two reads");
    }
    // An HTTP request must not hang while the NameNode is down: fail over to a 503 within about a
    // second instead of Hadoop's default 10 connection retries one second apart. Settable as hadoop.*.
    Map<String, String> hadoop = new HashMap<>(c.withPrefix("hadoop."));
    hadoop.putIfAbsent("ipc.client.connect.max.retries", "2");
    hadoop.putIfAbsent("ipc.client.connect.retry.interval", "300");
    return new ServingConfig(bind, c.get(HTTP_PORT), mode, token, metricsToken, hosts, c.get(MAX_QUERIES),
        c.get(MAX_REQUEST_BYTES), c.get(MAX_THREADS), kafka, c.get(TOPIC_HOURLY), c.get(TOPIC_DAILY),
        c.get(TOPIC_EMPLOYEES), c.get(TOPIC_ACTIVITIES), c.get(TOPIC_COMPLETENESS), c.get(LAKEHOUSE), hadoop,
        c.get(POLL), c.get(CACHE_ENABLED), c.get(CACHE_ROWS), c.get(CACHE_MAX_BYTES), c.get(MAX_RANGE), c.get(RECENT),
        c.get(RECENT_WINDOW), c.get(MAX_EMPLOYEES), targets, interval, c.get(HEALTH_TIMEOUT), c.get(HEALTH_WINDOW),
        c.get(HEALTH_LOOKBACK), c.get(TOPIC_DLQ), c.get(TOPIC_LATE), c.get(SHUTDOWN));
  }

  /** True when the API has no token although auth.mode=token: allowed on loopback only, with a warning. */
  public boolean unauthenticatedLoopback() {
    return authMode == AuthMode.TOKEN && authToken == null;
  }

  /**
   * Whether {@code bind} only listens on this machine. A literal address (127.x, ::1) or "localhost" is
   * judged without DNS; any other name resolves, and counts as loopback only when every address it
   * resolves to is one (a name that cannot be resolved cannot be bound either, and is not loopback).
   */
  static boolean isLoopback(String bind) {
    if (bind.equalsIgnoreCase("localhost")) {
      return true;
    }
    try {
      InetAddress[] all = InetAddress.getAllByName(bind);
      for (InetAddress a : all) {
        if (!a.isLoopbackAddress()) {
          return false;
        }
      }
      return all.length > 0;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Never prints the token. */
  @Override
  public String toString() {
    return "ServingConfig[http=" + httpBind + ":" + httpPort + ", auth=" + (authToken == null ? "off" : "bearer")
        + ", metrics=" + (metricsToken == null ? "open" : "bearer")
        + ", kafka=" + kafka.get("bootstrap.servers") + ", lakehouse=" + lakehouse + ", cache=" + cacheEnabled + "]";
  }
}
