package org.activitypipeline.speed.processor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.activitypipeline.common.config.Config;
import org.activitypipeline.common.config.ConfigDef;
import org.activitypipeline.common.config.ConfigException;
import org.activitypipeline.common.config.ConfigKey;
import org.activitypipeline.common.config.ConfigType;
import org.activitypipeline.common.config.Rules;
import org.activitypipeline.common.config.Secrets;
import org.activitypipeline.common.kafka.KafkaClients;
import org.activitypipeline.common.topic.Topics;
import org.activitypipeline.speed.employees.EmployeeDirectory;
import org.activitypipeline.speed.employees.ColumnPolicy;
import org.activitypipeline.speed.employees.SalaryBands;

/**
 * Every setting of the stream processor: declared once here with type, default, rule and doc
 * ({@code docs/PROCESSOR.md} is generated from {@link #DEF}). Environment variables {@code PROCESSOR_*}
 * override the file.
 */
public record ProcessorConfig(
    String bootstrapServers,
    String applicationId,
    String instanceId,
    int threads,
    Duration commitInterval,
    Duration transactionTimeout,
    TopicNames topics,
    int internalPartitions,
    short internalReplicationFactor,
    Duration unknownEmployeeWait,
    Duration cdcWait,
    Duration windowAllowedLateness,
    Duration maxOutOfOrderness,
    Duration maxFutureSkew,
    Duration idleTimeout,
    Duration employeeHistory,
    SalaryBands salaryBands,
    ColumnPolicy columnPolicy,
    Duration restoreTimeout,
    Duration backoffInitial,
    Duration backoffMax,
    Duration shutdownTimeout,
    String metricsBind,
    int metricsPort,
    Map<String, String> producerOverrides,
    Map<String, String> consumerOverrides,
    Map<String, Object> kafka) {

  /** Names of the topics the processor reads and writes (DESIGN §4), plus its internal topics. */
  public record TopicNames(String cdcEmployees, String cdcDepartments, String rawActivities, String processedEmployees,
                       String processedDepartments, String processedActivities, String hourlyAggregations,
                       String dailyAggregations, String lateActivities, String deadLetters, String applicationId) {
    /** Partial window aggregates, re-keyed by window: the repartition hop between enrich and window tasks. */
    public String windowPartials() {
      return applicationId + "-window-partials";
    }

    /** Open windows and upstream watermarks of each window task (compacted). */
    public String windowChangelog() {
      return applicationId + "-window-changelog";
    }

    /** Watermark and activities waiting for their employee, per enrich task (compacted). */
    public String enrichChangelog() {
      return applicationId + "-enrich-changelog";
    }

    /**
     * The CDC stream's progress per cdc partition (compacted, one partition), written by the employee
     * and department tasks once the changes before it are committed; read by every directory.
     */
    public String cdcProgress() {
      return applicationId + "-cdc-progress";
    }
  }

  static final ConfigKey<String> BOOTSTRAP = ConfigKey.of("kafka.bootstrap.servers", ConfigType.STRING)
      .defaultValue("127.0.0.1:19092").doc("Kafka brokers, host:port[,host:port...].");
  static final ConfigKey<String> APPLICATION_ID = ConfigKey.of("application.id", ConfigType.STRING)
      .defaultValue("speed-layer-processor").validate(s -> s.matches("[A-Za-z0-9._-]+"), "letters, digits, . _ -")
      .doc("Consumer group of all processor instances, prefix of the internal topics and of the transactional ids."
          + " Changing it starts from scratch (new group, new state).");
  static final ConfigKey<String> INSTANCE_ID = ConfigKey.of("instance.id", ConfigType.STRING)
      .defaultValue("0").validate(s -> s.matches("[A-Za-z0-9._-]+"), "letters, digits, . _ -")
      .doc("Unique per process and stable across its restarts: thread i uses the transactional id"
          + " <application.id>-<instance.id>-<i>, so a restarted instance aborts what its previous run left open."
          + " Two live processes with the same id fence each other.");
  static final ConfigKey<Integer> THREADS = ConfigKey.of("threads", ConfigType.INT)
      .defaultValue(1).validate(n -> n >= 1 && n <= 64, "between 1 and 64")
      .doc("Stream threads in this process; each owns a consumer and a transactional producer. Partitions are"
          + " spread over all threads of all instances.");
  static final ConfigKey<Duration> COMMIT_INTERVAL = ConfigKey.of("commit.interval", ConfigType.DURATION)
      .defaultValue(Duration.ofMillis(100)).validate(Rules::positive, "positive")
      .doc("How often each thread commits its Kafka transaction: outputs become visible to read_committed"
          + " readers (and aggregates are upserted) at this pace.");
  static final ConfigKey<Duration> TRANSACTION_TIMEOUT = ConfigKey.of("kafka.transaction.timeout", ConfigType.DURATION)
      .defaultValue(Duration.ofSeconds(30)).validate(Rules::positive, "positive")
      .doc("How long the broker keeps a crashed thread's open transaction before aborting it (read_committed"
          + " readers wait that long at most). Far above commit.interval.");
  static final ConfigKey<String> TOPIC_CDC_EMPLOYEES = topic("topic.cdc-employees", Topics.CDC_EMPLOYEES.name(),
      "Debezium change events of public.employees (input).");
  static final ConfigKey<String> TOPIC_CDC_DEPARTMENTS = topic("topic.cdc-departments",
      Topics.CDC_DEPARTMENTS.name(), "Debezium change events of public.departments (input).");
  static final ConfigKey<String> TOPIC_RAW = topic("topic.raw-activities", Topics.RAW_ACTIVITIES.name(),
      "Polled activity rows (input).");
  static final ConfigKey<String> TOPIC_PROCESSED_EMPLOYEES = topic("topic.processed-employees",
      Topics.PROCESSED_EMPLOYEES.name(), "Employee state (output, compacted; every instance also reads all of it).");
  static final ConfigKey<String> TOPIC_PROCESSED_DEPARTMENTS = topic("topic.processed-departments",
      Topics.PROCESSED_DEPARTMENTS.name(), "Department states with their commit times (output, compacted; every"
          + " instance also reads all of it, and the batch layer keeps the history). Upgrading from a version that"
          + " kept them in <application.id>-departments: set this to that topic's name.");
  static final ConfigKey<String> TOPIC_PROCESSED_ACTIVITIES = topic("topic.processed-activities",
      Topics.PROCESSED_ACTIVITIES.name(), "Enriched activities (output).");
  static final ConfigKey<String> TOPIC_HOURLY = topic("topic.hourly-activity-aggregations",
      Topics.HOURLY_ACTIVITY_AGGREGATIONS.name(), "Hourly aggregates (output, compacted).");
  static final ConfigKey<String> TOPIC_DAILY = topic("topic.daily-device-aggregations",
      Topics.DAILY_DEVICE_AGGREGATIONS.name(), "Daily device aggregates (output, compacted).");
  static final ConfigKey<String> TOPIC_LATE = topic("topic.late-activities", Topics.LATE_ACTIVITIES.name(),
      "Activities that arrived after a window they belong to was closed (output).");
  static final ConfigKey<String> TOPIC_DLQ = topic("topic.dlq", Topics.PIPELINE_DLQ.name(),
      "Records that could not be processed, with the reason in headers (output).");
  static final ConfigKey<Integer> INTERNAL_PARTITIONS = ConfigKey.of("internal.partitions", ConfigType.INT)
      .defaultValue(6).validate(n -> n >= 1 && n <= 1024, "between 1 and 1024")
      .doc("Partitions of the window-partials and window-changelog topics: the parallelism of the window stage."
          + " Fixed once the topics exist (a different value is refused at start).");
  static final ConfigKey<Integer> INTERNAL_REPLICATION = ConfigKey.of("internal.replication.factor", ConfigType.INT)
      .defaultValue(-1).validate(n -> n == -1 || (n >= 1 && n <= 32), "-1 (broker default) or 1..32")
      .doc("Replication factor of the internal topics the processor creates; use 3 on a production cluster.");
  static final ConfigKey<Duration> UNKNOWN_EMPLOYEE_WAIT = ConfigKey.of("enrich.unknown-employee.wait",
      ConfigType.DURATION).defaultValue(Duration.ofSeconds(30)).validate(d -> !d.isNegative(), "zero or positive")
      .doc("An activity whose employee is not known yet (its change has not arrived) waits this long, then goes out"
          + " with employee_known=false. Waiting activities are kept in the enrich changelog, never dropped;"
          + " while one waits, the partition's watermark does not pass its event time. An employee change whose"
          + " department is not known yet holds its partition at most this long too.");
  static final ConfigKey<Duration> CDC_WAIT = ConfigKey.of("enrich.cdc-wait", ConfigType.DURATION)
      .defaultValue(Duration.ofSeconds(10)).validate(d -> !d.isNegative(), "zero or positive (0 disables)")
      .doc("An activity is enriched only once the CDC stream's progress (every cdc partition's latest heartbeat,"
          + " applied to the employee directory) has passed its event time (or its write time, if earlier), so an"
          + " employee move committed just before the activity is never missed; its raw-activities partition waits"
          + " meanwhile (about cdc's heartbeat.interval). If the progress does not get there within this time (cdc"
          + " down or slow), the activity goes on with what the directory has, and so do the partition's next"
          + " activities until the progress moves past one of them (each counted as processor.records{stage=enrich,outcome=cdc_unaligned}, and the expiry logged as event=cdc_wait_expired)."
          + " 0 disables the wait.");
  static final ConfigKey<Duration> WINDOW_ALLOWED_LATENESS = ConfigKey.of("window.allowed-lateness",
      ConfigType.DURATION).defaultValue(Duration.ofHours(24)).validate(d -> !d.isNegative(), "zero or positive")
      .doc("A window keeps accepting events until the watermark passes its end plus this (Kafka Streams calls it"
          + " grace): a late event updates the window, which is upserted again. Then the window is emitted once more"
          + " with is_final=true and its state dropped; events for it after that go to the late-activities topic"
          + " (and reach the batch layer through processed-activities). Open windows, each with its exact set of"
          + " employees, are held for this long: the gauge processor.state.entries reports them.");
  static final ConfigKey<Duration> MAX_OUT_OF_ORDERNESS = ConfigKey.of("window.max-out-of-orderness",
      ConfigType.DURATION).defaultValue(Duration.ZERO).validate(d -> !d.isNegative(), "zero or positive")
      .doc("A partition's watermark is its highest event time minus this (the stage's watermark is the minimum"
          + " over all raw-activities partitions). Zero gives the same lateness rule as Kafka Streams' grace.");
  static final ConfigKey<Duration> MAX_FUTURE_SKEW = ConfigKey.of("enrich.max-future-skew", ConfigType.DURATION)
      .defaultValue(Duration.ofMinutes(5)).validate(d -> !d.isNegative(), "zero or positive")
      .doc("An activity whose event_time is more than this after its write time (ingest_time) is invalid: it goes to"
          + " the dead-letter topic with the reason and never moves a watermark. Guards every window against a"
          + " device with a clock set ahead.");
  static final ConfigKey<Duration> IDLE_TIMEOUT = ConfigKey.of("window.idle-timeout", ConfigType.DURATION)
      .defaultValue(Duration.ofMinutes(5)).validate(d -> !d.isNegative(), "zero or positive (0 disables)")
      .doc("A raw-activities partition without input for this long (wall clock) is idle: the window stage leaves it"
          + " out of its minimum watermark until it has input again, so a partition nobody writes to does not"
          + " keep every window open. While all partitions are idle, no window closes. Events that a partition"
          + " coming back from idleness brings for windows closed meanwhile are counted (window after_close) and"
          + " reach the batch layer, not the closed window. 0 disables idleness.");
  static final ConfigKey<Duration> EMPLOYEE_HISTORY = ConfigKey.of("enrich.employee-history", ConfigType.DURATION)
      .defaultValue(EmployeeDirectory.DEFAULT_HISTORY).validate(d -> !d.isNegative(), "zero or positive")
      .doc("How long the employee directory keeps a superseded version of an employee: an activity is joined to the"
          + " employee as of its event time (the version committed at or before it) as long as that version is kept."
          + " An activity older than this is joined to the oldest version kept. Metric processor.directory.versions.");
  static final ConfigKey<String> SALARY_BANDS = ConfigKey.of("employee.salary-bands", ConfigType.STRING)
      .defaultValue("50000,75000,100000,150000").validate(ProcessorConfig::validBands, "ascending positive numbers")
      .doc("Upper bounds of the salary bands published instead of the raw salary, comma-separated.");
  static final ConfigKey<List<String>> EMPLOYEE_COLUMNS = ConfigKey.of("employee.columns", ConfigType.LIST)
      .defaultValue(List.of())
      .doc("The column policy of public.employees, column:action pairs (allow, hash, band, drop), comma-separated:"
          + " what processed-employees, and so Hudi, Hive and the API, get of each column. Known columns default to"
          + " allow, salary to band (it can only be band or drop); employee_id, department_id, status, created_at and"
          + " updated_at are always allowed; ids and dates cannot be hashed. A column added to the table later is"
          + " published only once listed here, e.g. desk:allow,ssn:drop,badge_id:hash.");
  static final ConfigKey<String> EMPLOYEE_COLUMNS_UNLISTED = ConfigKey.of("employee.columns.unlisted",
          ConfigType.STRING)
      .defaultValue("drop").validate(v -> v.equals("drop") || v.equals("hash"), "drop or hash")
      .doc("What happens to a column employee.columns does not list (added to the table after this policy was"
          + " written): dropped, or published as its hash. Each change carrying one counts in"
          + " processor.employee.unlisted.columns{column} and the first logs event=unlisted_column naming it.");
  static final ConfigKey<String> EMPLOYEE_HASH_KEY = ConfigKey.of("employee.columns.hash-key", ConfigType.PASSWORD)
      .optional()
      .doc("Secret key of the HMAC-SHA256 that hashed columns are published as (lowercase hex), at least 16"
          + " characters; required when any column is hashed. Changing it changes every hash. Best supplied as"
          + " PROCESSOR_EMPLOYEE_COLUMNS_HASH_KEY_FILE.");
  static final ConfigKey<Duration> RESTORE_TIMEOUT = ConfigKey.of("restore.timeout", ConfigType.DURATION)
      .defaultValue(Duration.ofMinutes(5)).validate(Rules::positive, "positive")
      .doc("Longest wait to read state (changelogs, the employee table) after a partition is assigned.");
  static final ConfigKey<Duration> BACKOFF_INITIAL = ConfigKey.of("retry.backoff.initial", ConfigType.DURATION)
      .defaultValue(Duration.ofMillis(500)).validate(Rules::positive, "positive")
      .doc("First wait after a failed transaction (broker down, fenced); doubles up to retry.backoff.max.");
  static final ConfigKey<Duration> BACKOFF_MAX = ConfigKey.of("retry.backoff.max", ConfigType.DURATION)
      .defaultValue(Duration.ofSeconds(30)).validate(Rules::positive, "positive").doc("Longest wait.");
  static final ConfigKey<Duration> SHUTDOWN_TIMEOUT = ConfigKey.of("shutdown.timeout", ConfigType.DURATION)
      .defaultValue(Duration.ofSeconds(30)).validate(Rules::positive, "positive")
      .doc("SIGTERM: longest wait for the threads to commit their open transaction and leave the group.");
  static final ConfigKey<String> METRICS_BIND = ConfigKey.of("metrics.bind", ConfigType.STRING)
      .defaultValue("127.0.0.1").doc("Address of the /metrics and /health endpoint.");
  static final ConfigKey<Integer> METRICS_PORT = ConfigKey.of("metrics.port", ConfigType.INT)
      .defaultValue(9403).validate(p -> p >= 0 && p <= 65535, "a port (0 disables)").doc("Port of /metrics, /health.");

  public static final ConfigDef DEF = ConfigDef.withEnvPrefix("PROCESSOR")
      .define(BOOTSTRAP).define(APPLICATION_ID).define(INSTANCE_ID).define(THREADS).define(COMMIT_INTERVAL)
      .define(TRANSACTION_TIMEOUT).define(TOPIC_CDC_EMPLOYEES).define(TOPIC_CDC_DEPARTMENTS).define(TOPIC_RAW)
      .define(TOPIC_PROCESSED_EMPLOYEES).define(TOPIC_PROCESSED_DEPARTMENTS).define(TOPIC_PROCESSED_ACTIVITIES)
      .define(TOPIC_HOURLY).define(TOPIC_DAILY)
      .define(TOPIC_LATE).define(TOPIC_DLQ).define(INTERNAL_PARTITIONS).define(INTERNAL_REPLICATION)
      .define(UNKNOWN_EMPLOYEE_WAIT).define(CDC_WAIT).define(WINDOW_ALLOWED_LATENESS).define(MAX_OUT_OF_ORDERNESS).define(MAX_FUTURE_SKEW)
      .define(IDLE_TIMEOUT).define(EMPLOYEE_HISTORY).define(SALARY_BANDS).define(EMPLOYEE_COLUMNS)
      .define(EMPLOYEE_COLUMNS_UNLISTED).define(EMPLOYEE_HASH_KEY)
      .define(RESTORE_TIMEOUT).define(BACKOFF_INITIAL).define(BACKOFF_MAX).define(SHUTDOWN_TIMEOUT)
      .define(METRICS_BIND).define(METRICS_PORT)
      .passThrough("kafka.producer.").passThrough("kafka.consumer.").passThrough(KafkaClients.PREFIX)
      .renamed("window.grace", WINDOW_ALLOWED_LATENESS);

  /** Client settings the processor sets itself: its exactly-once output depends on them. */
  private static final java.util.Set<String> OWNED = java.util.Set.of("transactional.id", "enable.idempotence",
      "transaction.timeout.ms", "group.id", "isolation.level", "enable.auto.commit");

  public static ProcessorConfig load(Path file, Map<String, String> env) {
    return from(DEF.load(file, env));
  }

  public static ProcessorConfig from(Config c) {
    if (c.get(BACKOFF_MAX).compareTo(c.get(BACKOFF_INITIAL)) < 0) {
      throw new ConfigException(BACKOFF_MAX.name(), "retry.backoff.max (" + c.get(BACKOFF_MAX)
          + ") must not be below retry.backoff.initial (" + c.get(BACKOFF_INITIAL) + ")");
    }
    if (c.get(TRANSACTION_TIMEOUT).compareTo(c.get(COMMIT_INTERVAL).multipliedBy(10)) < 0) {
      throw new ConfigException(TRANSACTION_TIMEOUT.name(), "kafka.transaction.timeout (" + c.get(TRANSACTION_TIMEOUT)
          + ") must be at least 10x commit.interval (" + c.get(COMMIT_INTERVAL) + ")");
    }
    Map<String, String> producer = c.withPrefix("kafka.producer.");
    Map<String, String> consumer = c.withPrefix("kafka.consumer.");
    for (String owned : new String[] {"transactional.id", "enable.idempotence", "transaction.timeout.ms",
        "bootstrap.servers"}) {
      if (producer.containsKey(owned)) {
        throw new ConfigException("kafka.producer." + owned, "is set by the processor (exactly-once depends on it)");
      }
    }
    for (String owned : new String[] {"group.id", "isolation.level", "enable.auto.commit", "bootstrap.servers"}) {
      if (consumer.containsKey(owned)) {
        throw new ConfigException("kafka.consumer." + owned, "is set by the processor (exactly-once depends on it)");
      }
    }
    String app = c.get(APPLICATION_ID);
    TopicNames topics = new TopicNames(c.get(TOPIC_CDC_EMPLOYEES), c.get(TOPIC_CDC_DEPARTMENTS), c.get(TOPIC_RAW),
        c.get(TOPIC_PROCESSED_EMPLOYEES), c.get(TOPIC_PROCESSED_DEPARTMENTS), c.get(TOPIC_PROCESSED_ACTIVITIES),
        c.get(TOPIC_HOURLY), c.get(TOPIC_DAILY), c.get(TOPIC_LATE), c.get(TOPIC_DLQ), app);
    return new ProcessorConfig(c.get(BOOTSTRAP), app, c.get(INSTANCE_ID), c.get(THREADS), c.get(COMMIT_INTERVAL),
        c.get(TRANSACTION_TIMEOUT), topics, c.get(INTERNAL_PARTITIONS), c.get(INTERNAL_REPLICATION).shortValue(),
        c.get(UNKNOWN_EMPLOYEE_WAIT), c.get(CDC_WAIT), c.get(WINDOW_ALLOWED_LATENESS), c.get(MAX_OUT_OF_ORDERNESS), c.get(MAX_FUTURE_SKEW),
        c.get(IDLE_TIMEOUT), c.get(EMPLOYEE_HISTORY), SalaryBands.parse(c.get(SALARY_BANDS)), columnPolicy(c), c.get(RESTORE_TIMEOUT), c.get(BACKOFF_INITIAL), c.get(BACKOFF_MAX),
        c.get(SHUTDOWN_TIMEOUT), c.get(METRICS_BIND), c.get(METRICS_PORT), producer, consumer,
        KafkaClients.connection(c, BOOTSTRAP, "processor", OWNED));
  }

  private static ColumnPolicy columnPolicy(Config c) {
    Map<String, ColumnPolicy.Action> columns;
    try {
      columns = ColumnPolicy.parseColumns(c.get(EMPLOYEE_COLUMNS));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(EMPLOYEE_COLUMNS.name(), "employee.columns: " + e.getMessage());
    }
    ColumnPolicy.Action unlisted = ColumnPolicy.Action.valueOf(c.get(EMPLOYEE_COLUMNS_UNLISTED).toUpperCase(
        java.util.Locale.ROOT));
    String key = c.get(EMPLOYEE_HASH_KEY);
    boolean hashes = unlisted == ColumnPolicy.Action.HASH || columns.containsValue(ColumnPolicy.Action.HASH);
    if (hashes && (key == null || key.length() < 16)) {
      throw new ConfigException(EMPLOYEE_HASH_KEY.name(), EMPLOYEE_HASH_KEY.name() + " must be set (at least 16"
          + " characters) when a column is hashed (employee.columns or employee.columns.unlisted)");
    }
    try {
      return ColumnPolicy.of(columns, unlisted, key);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(EMPLOYEE_COLUMNS.name(), EMPLOYEE_COLUMNS.name() + ": " + e.getMessage());
    }
  }

  /** Never prints client secrets (sasl.jaas.config, ssl passwords) or the hash key. */
  @Override
  public String toString() {
    return "ProcessorConfig[kafka=" + KafkaClients.describe(kafka) + ", applicationId=" + applicationId + ", instanceId="
        + instanceId + ", threads=" + threads + ", topics=" + topics + ", columnPolicy=" + columnPolicy
        + ", producer=" + Secrets.masked(producerOverrides) + ", consumer=" + Secrets.masked(consumerOverrides)
        + ", metrics=" + metricsBind + ":" + metricsPort + "]";
  }

  /** Thread {@code index}'s transactional id: stable across restarts of this instance. */
  public String transactionalId(int index) {
    return applicationId + "-" + instanceId + "-" + index;
  }

  private static ConfigKey<String> topic(String key, String defaultName, String doc) {
    return ConfigKey.of(key, ConfigType.STRING).defaultValue(defaultName).validate(s -> !s.isBlank(), "a topic name")
        .doc(doc);
  }

  private static boolean validBands(String s) {
    try {
      SalaryBands.parse(s);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
