package org.activitypipeline.speed.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.activitypipeline.common.config.ConfigException;
import org.activitypipeline.localstack.testing.DeployFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CdcConfigTest {
  static final Map<String, String> PASSWORD = Map.of("CDC_POSTGRES_PASSWORD", "cdc");

  @TempDir
  Path dir;

  @Test
  void defaultsFitTheLocalStack() {
    CdcConfig c = CdcConfig.load(null, PASSWORD);
    assertEquals("127.0.0.1:19092", c.bootstrapServers());
    assertEquals(15432, c.postgresPort());
    assertEquals("cdc_replicator", c.postgresUser());
    assertEquals("employee_cdc", c.publicationName());
    assertEquals(List.of("public.employees", "public.departments"), c.tableIncludeList());
    assertEquals(CdcConfig.OffsetStorage.KAFKA, c.offsetStorage());
    assertEquals("cdc-offsets", c.offsetTopic());
    assertEquals(Duration.ofMillis(10), c.pollInterval());
    CdcConfig secret = CdcConfig.load(null, Map.of("CDC_POSTGRES_PASSWORD", "s3cr3t-pw"));
    assertFalse(secret.toString().contains("s3cr3t-pw"), "never print the password");
  }

  @Test
  void theShippedConfigFileLoadsAsIs() {
    CdcConfig c = CdcConfig.load(Path.of("config", "cdc.properties"), Map.of());
    assertEquals("cdc", c.postgresPassword());
    assertEquals("cdc", c.topicPrefix());
    assertEquals("UPDATE public.cdc_heartbeat SET beat_at = now() WHERE id = 1", c.heartbeatActionQuery());
  }

  @Test
  void theProductionExampleLoadsWithItsEnvironmentFile() {
    Path file = DeployFiles.PRODUCTION.resolve("cdc.properties");
    DeployFiles.assertNoSecrets(file, CdcConfig.DEF);
    CdcConfig c = CdcConfig.load(file, DeployFiles.envExample("cdc.env.example", CdcConfig.DEF));
    assertEquals("kafka-1.internal:9092,kafka-2.internal:9092,kafka-3.internal:9092", c.bootstrapServers());
    assertEquals("postgres.internal", c.postgresHost());
    assertEquals("change-me", c.postgresPassword(), "the password comes from the environment file");
    assertEquals(3, c.offsetTopicReplicationFactor());
  }

  @Test
  void theComposeConfigLoads() {
    Path file = DeployFiles.COMPOSE.resolve("cdc.properties");
    DeployFiles.assertNoSecrets(file, CdcConfig.DEF);
    CdcConfig c = CdcConfig.load(file, PASSWORD);
    assertEquals("kafka:9092", c.bootstrapServers());
    assertEquals("postgres", c.postgresHost());
    assertEquals(5432, c.postgresPort());
  }

  @Test
  void missingPasswordNamesTheKeyAndItsEnvironmentVariable() {
    ConfigException e = assertThrows(ConfigException.class, () -> CdcConfig.load(null, Map.of()));
    assertEquals("postgres.password", e.key());
    assertTrue(e.getMessage().contains("CDC_POSTGRES_PASSWORD"), e.getMessage());
  }

  @Test
  void queueMustExceedBatch() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> CdcConfig.load(null, env("CDC_MAX_BATCH_SIZE", "100", "CDC_MAX_QUEUE_SIZE", "100")));
    assertEquals("max.queue.size", e.key());
  }

  @Test
  void fileOffsetsNeedAFile() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> CdcConfig.load(null, env("CDC_OFFSET_STORAGE", "file")));
    assertEquals("offset.storage.file", e.key());
    CdcConfig c = CdcConfig.load(null, env("CDC_OFFSET_STORAGE", "file", "CDC_OFFSET_STORAGE_FILE", "/tmp/o.dat"));
    assertEquals(Path.of("/tmp/o.dat"), c.offsetFile());
  }

  @Test
  void badSlotNameIsRejected() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> CdcConfig.load(null, env("CDC_POSTGRES_SLOT_NAME", "My-Slot")));
    assertEquals("postgres.slot.name", e.key());
  }

  @Test
  void passThroughCannotContradictDeclaredOrFixedKeys() throws IOException {
    Path file = dir.resolve("cdc.properties");
    Files.writeString(file, "postgres.password=x\ndebezium.slot.name=other\n");
    ConfigException e = assertThrows(ConfigException.class, () -> CdcConfig.load(file, Map.of()));
    assertEquals("debezium.slot.name", e.key());
    assertTrue(e.getMessage().contains("postgres.slot.name"), e.getMessage());

    Files.writeString(file, "postgres.password=x\ndebezium.plugin.name=decoderbufs\n");
    assertEquals("debezium.plugin.name", assertThrows(ConfigException.class, () -> CdcConfig.load(file, Map.of())).key());

    Files.writeString(file, "postgres.password=x\nkafka.producer.enable.idempotence=false\n");
    assertEquals("kafka.producer.enable.idempotence",
        assertThrows(ConfigException.class, () -> CdcConfig.load(file, Map.of())).key());

    Files.writeString(file, "postgres.password=x\ndebezium.time.precision.mode=connect\n"
        + "kafka.producer.compression.type=lz4\n");
    CdcConfig c = CdcConfig.load(file, Map.of());
    assertEquals(Map.of("time.precision.mode", "connect"), c.debeziumOverrides());
    assertEquals(Map.of("compression.type", "lz4"), c.producerOverrides());
  }

  @Test
  void typoIsAnErrorNotADefault() throws IOException {
    Path file = dir.resolve("cdc.properties");
    Files.writeString(file, "postgres.password=x\npostgres.slot=oops\n");
    assertEquals("postgres.slot", assertThrows(ConfigException.class, () -> CdcConfig.load(file, Map.of())).key());
  }

  @Test
  void docsHoldTheGeneratedKeyReference() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "CDC.md"));
    assertTrue(doc.contains(CdcConfig.DEF.toMarkdown()),
        "docs/CDC.md is stale: paste the output of 'java -jar speed-layer/target/speed-layer.jar cdc --config-reference'");
  }

  private static Map<String, String> env(String... kv) {
    Map<String, String> m = new HashMap<>(PASSWORD);
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }
}
