package org.activitypipeline.speed.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.activitypipeline.common.config.ConfigException;
import org.activitypipeline.common.topic.Topics;
import org.activitypipeline.localstack.testing.DeployFiles;
import org.activitypipeline.speed.employees.SalaryBands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProcessorConfigTest {

  private static ProcessorConfig parse(Map<String, String> raw) {
    return ProcessorConfig.from(ProcessorConfig.DEF.parse(raw));
  }

  private static ConfigException rejected(Map<String, String> raw) {
    return assertThrows(ConfigException.class, () -> parse(raw));
  }

  @Test
  void defaultsLoad() {
    ProcessorConfig c = parse(Map.of());
    assertEquals("127.0.0.1:19092", c.bootstrapServers());
    assertEquals("speed-layer-processor", c.applicationId());
    assertEquals("0", c.instanceId());
    assertEquals(1, c.threads());
    assertEquals(Duration.ofMillis(100), c.commitInterval());
    assertEquals(Duration.ofSeconds(30), c.transactionTimeout());
    assertEquals(6, c.internalPartitions());
    assertEquals(-1, c.internalReplicationFactor());
    assertEquals(Duration.ofSeconds(30), c.unknownEmployeeWait());
    assertEquals(Duration.ofHours(24), c.windowAllowedLateness());
    assertEquals(Duration.ZERO, c.maxOutOfOrderness());
    assertEquals(SalaryBands.DEFAULT, c.salaryBands());
    assertEquals(Duration.ofMinutes(5), c.restoreTimeout());
    assertEquals(Duration.ofMillis(500), c.backoffInitial());
    assertEquals(Duration.ofSeconds(30), c.backoffMax());
    assertEquals(Duration.ofSeconds(30), c.shutdownTimeout());
    assertEquals("127.0.0.1", c.metricsBind());
    assertEquals(9403, c.metricsPort());
    assertEquals(Map.of(), c.producerOverrides());
    assertEquals(Map.of(), c.consumerOverrides());

    ProcessorConfig.TopicNames t = c.topics();
    assertEquals(Topics.CDC_EMPLOYEES.name(), t.cdcEmployees());
    assertEquals(Topics.CDC_DEPARTMENTS.name(), t.cdcDepartments());
    assertEquals(Topics.RAW_ACTIVITIES.name(), t.rawActivities());
    assertEquals(Topics.PROCESSED_EMPLOYEES.name(), t.processedEmployees());
    assertEquals(Topics.PROCESSED_ACTIVITIES.name(), t.processedActivities());
    assertEquals(Topics.HOURLY_ACTIVITY_AGGREGATIONS.name(), t.hourlyAggregations());
    assertEquals(Topics.DAILY_DEVICE_AGGREGATIONS.name(), t.dailyAggregations());
    assertEquals(Topics.LATE_ACTIVITIES.name(), t.lateActivities());
    assertEquals(Topics.PIPELINE_DLQ.name(), t.deadLetters());

    assertEquals(c, ProcessorConfig.load(null, Map.of()), "load without file or environment gives the defaults");
  }

  @Test
  void environmentOverridesDefaultsAndTheFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("processor.properties");
    Files.writeString(file, "threads=2\nwindow.allowed-lateness=1m\ninstance.id=from-file\nkafka.producer.linger.ms=20\n");
    ProcessorConfig c = ProcessorConfig.load(file, Map.of(
        "PROCESSOR_THREADS", "4",
        "PROCESSOR_ENRICH_UNKNOWN_EMPLOYEE_WAIT", "0s",
        "PROCESSOR_WINDOW_MAX_OUT_OF_ORDERNESS", "2m",
        "PROCESSOR_TOPIC_RAW_ACTIVITIES", "raw-v2",
        "PROCESSOR_EMPLOYEE_SALARY_BANDS", "40000, 80000",
        "UNRELATED_VARIABLE", "ignored"));
    assertEquals(4, c.threads(), "environment beats the file");
    assertEquals(Duration.ofMinutes(1), c.windowAllowedLateness(), "file beats the default");
    assertEquals("from-file", c.instanceId());
    assertEquals(Duration.ZERO, c.unknownEmployeeWait());
    assertEquals(Duration.ofMinutes(2), c.maxOutOfOrderness());
    assertEquals("raw-v2", c.topics().rawActivities());
    assertEquals(SalaryBands.parse("40000,80000"), c.salaryBands());
    assertEquals(Map.of("linger.ms", "20"), c.producerOverrides(), "pass-through keys lose their prefix");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "65", "-1", "two"})
  void badThreadCountNamesTheKey(String threads) {
    assertEquals("threads", rejected(Map.of("threads", threads)).key());
  }

  @ParameterizedTest
  @ValueSource(strings = {"75000,50000", "50000,50000", "abc", "0,10000", "50000,", "-5"})
  void badSalaryBandsNameTheKey(String bands) {
    ConfigException e = rejected(Map.of("employee.salary-bands", bands));
    assertEquals("employee.salary-bands", e.key());
    assertTrue(e.getMessage().contains("employee.salary-bands"), e.getMessage());
  }

  @Test
  void transactionTimeoutMustBeAtLeastTenCommitIntervals() {
    ConfigException e = rejected(Map.of("commit.interval", "100ms", "kafka.transaction.timeout", "999ms"));
    assertEquals("kafka.transaction.timeout", e.key());
    assertTrue(e.getMessage().contains("commit.interval"), e.getMessage());
    assertEquals("kafka.transaction.timeout",
        rejected(Map.of("commit.interval", "5s", "kafka.transaction.timeout", "30s")).key());
    // exactly 10x is enough
    assertEquals(Duration.ofSeconds(1),
        parse(Map.of("commit.interval", "100ms", "kafka.transaction.timeout", "1s")).transactionTimeout());
  }

  @ParameterizedTest
  @ValueSource(strings = {"kafka.producer.transactional.id", "kafka.producer.enable.idempotence",
      "kafka.producer.transaction.timeout.ms", "kafka.producer.bootstrap.servers", "kafka.consumer.group.id",
      "kafka.consumer.isolation.level", "kafka.consumer.enable.auto.commit", "kafka.consumer.bootstrap.servers"})
  void clientSettingsExactlyOnceDependsOnAreRejected(String key) {
    ConfigException e = rejected(Map.of(key, "x"));
    assertEquals(key, e.key());
  }

  @Test
  void otherClientSettingsPassThrough() {
    ProcessorConfig c = parse(Map.of("kafka.producer.compression.type", "zstd", "kafka.consumer.max.poll.records",
        "100"));
    assertEquals(Map.of("compression.type", "zstd"), c.producerOverrides());
    assertEquals(Map.of("max.poll.records", "100"), c.consumerOverrides());
  }

  @Test
  void unknownKeyIsRejectedByName() {
    ConfigException e = rejected(Map.of("therads", "2"));
    assertEquals("therads", e.key());
    assertTrue(e.getMessage().contains("therads"), e.getMessage());
    assertEquals("kafka.producr.acks", rejected(Map.of("kafka.producr.acks", "all")).key());
  }

  @Test
  void otherBadValuesNameTheirKey() {
    assertEquals("retry.backoff.max",
        rejected(Map.of("retry.backoff.initial", "10s", "retry.backoff.max", "1s")).key());
    assertEquals("application.id", rejected(Map.of("application.id", "has space")).key());
    assertEquals("instance.id", rejected(Map.of("instance.id", "a/b")).key());
    assertEquals("commit.interval", rejected(Map.of("commit.interval", "0s")).key());
    assertEquals("internal.partitions", rejected(Map.of("internal.partitions", "0")).key());
    assertEquals("internal.replication.factor", rejected(Map.of("internal.replication.factor", "0")).key());
    assertEquals("window.allowed-lateness", rejected(Map.of("window.allowed-lateness", "soon")).key());
    assertEquals("metrics.port", rejected(Map.of("metrics.port", "70000")).key());
  }

  @Test
  void theOldGraceKeyIsRefusedNamingItsNewName(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("processor.properties");
    Files.writeString(file, "window.grace=10m\n");
    ConfigException fromFile = assertThrows(ConfigException.class, () -> ProcessorConfig.load(file, Map.of()));
    assertEquals("window.grace", fromFile.key());
    assertTrue(fromFile.getMessage().contains("renamed to 'window.allowed-lateness'"), fromFile.getMessage());
    // An old environment variable would otherwise be ignored without a word.
    ConfigException fromEnv = assertThrows(ConfigException.class,
        () -> ProcessorConfig.load(null, Map.of("PROCESSOR_WINDOW_GRACE", "10m")));
    assertTrue(fromEnv.getMessage().contains("environment variable PROCESSOR_WINDOW_GRACE")
        && fromEnv.getMessage().contains("PROCESSOR_WINDOW_ALLOWED_LATENESS"), fromEnv.getMessage());
  }

  @Test
  void transactionalIdIsApplicationInstanceAndThreadIndex() {
    ProcessorConfig c = parse(Map.of("application.id", "proc", "instance.id", "host-7"));
    assertEquals("proc-host-7-0", c.transactionalId(0));
    assertEquals("proc-host-7-3", c.transactionalId(3));
    assertEquals("speed-layer-processor-0-1", parse(Map.of()).transactionalId(1));
  }

  @Test
  void internalTopicsArePrefixedWithTheApplicationId() {
    ProcessorConfig.TopicNames t = parse(Map.of("application.id", "proc.v2")).topics();
    assertEquals("proc.v2-window-partials", t.windowPartials());
    assertEquals("proc.v2-window-changelog", t.windowChangelog());
    assertEquals("proc.v2-enrich-changelog", t.enrichChangelog());
    assertEquals("speed-layer-processor-window-partials", parse(Map.of()).topics().windowPartials());
    assertEquals("processed-departments", parse(Map.of("application.id", "proc.v2")).topics().processedDepartments(),
        "department states are a public topic now, not <application.id>-departments");
  }

  @Test
  void shippedConfigFileLoads() {
    ProcessorConfig c = ProcessorConfig.load(Path.of("config", "processor.properties"), Map.of());
    assertEquals("speed-layer-processor", c.applicationId());
    assertEquals(9403, c.metricsPort());
    assertEquals("10000", c.consumerOverrides().get("session.timeout.ms"));
  }

  @Test
  void theProductionExampleLoadsWithItsEnvironmentFile() {
    Path file = DeployFiles.PRODUCTION.resolve("processor.properties");
    DeployFiles.assertNoSecrets(file, ProcessorConfig.DEF);
    Map<String, String> env = DeployFiles.envExample("processor.env.example", ProcessorConfig.DEF);
    assertTrue(env.containsKey("PROCESSOR_INSTANCE_ID"), "each host sets its instance id in processor.env");
    ProcessorConfig c = ProcessorConfig.load(file, env);
    assertEquals("kafka-1.internal:9092,kafka-2.internal:9092,kafka-3.internal:9092", c.bootstrapServers());
    assertEquals("speed-layer-processor", c.applicationId());
    assertEquals(3, c.internalReplicationFactor());
    assertEquals(parse(Map.of()).topics(), c.topics(), "the contract's topic names");
  }

  @Test
  void theComposeConfigLoads() {
    ProcessorConfig c = ProcessorConfig.load(DeployFiles.COMPOSE.resolve("processor.properties"), Map.of());
    assertEquals("kafka:9092", c.bootstrapServers());
    assertEquals("0.0.0.0", c.metricsBind());
  }

  @Test
  void docsListEveryKeyAsDeclared() throws IOException {
    String docs = java.nio.file.Files.readString(Path.of("..", "docs", "PROCESSOR.md"));
    assertTrue(docs.contains(ProcessorConfig.DEF.toMarkdown()),
        "docs/PROCESSOR.md is out of date; replace its key table with:\n" + ProcessorConfig.DEF.toMarkdown());
  }
}
