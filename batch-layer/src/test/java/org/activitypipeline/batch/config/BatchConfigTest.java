package org.activitypipeline.batch.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.activitypipeline.common.config.ConfigException;
import org.activitypipeline.localstack.testing.DeployFiles;
import org.junit.jupiter.api.Test;

class BatchConfigTest {

  @Test
  void shippedFileLoadsWithTheDocumentedSchedules() {
    BatchConfig cfg = BatchConfig.load(Path.of("config", "batch.properties"), Map.of());
    assertEquals("hdfs://127.0.0.1:18020/lakehouse", cfg.hudi().lakehouse());
    assertEquals("1", cfg.hudi().hadoop().get("dfs.replication"));
    assertEquals(Map.of("ingest", "0 * * * * ?", "views", "30 */5 * * * ?", "cluster", "0 15/30 * * * ?",
        "hive-sync", "45 */5 * * * ?", "reconcile", "0 20 * * * ?"), cfg.cronByJob(), "views-full is on demand only");
    assertEquals("127.0.0.1:19042", cfg.reconcile().contactPoint());
    assertEquals("127.0.0.1:19092", cfg.ingest().kafka().get("bootstrap.servers"));
  }

  @Test
  void theProductionExampleLoadsWithItsEnvironmentFile() {
    Path file = DeployFiles.PRODUCTION.resolve("batch.properties");
    DeployFiles.assertNoSecrets(file, BatchConfig.DEF);
    BatchConfig cfg = BatchConfig.load(file, DeployFiles.envExample("batch.env.example", BatchConfig.DEF));
    assertEquals("kafka-1.internal:9092,kafka-2.internal:9092,kafka-3.internal:9092",
        cfg.ingest().kafka().get("bootstrap.servers"));
    assertEquals("hdfs://namenode.internal:8020/lakehouse", cfg.hudi().lakehouse());
    assertEquals("change-me", cfg.jdbcPassword(), "the password comes from the environment file");
    assertEquals(Map.of("ingest", "0 * * * * ?", "views", "30 */5 * * * ?", "cluster", "0 15/30 * * * ?",
        "hive-sync", "45 */5 * * * ?", "reconcile", "0 20 * * * ?"), cfg.cronByJob());
    assertEquals("cassandra-1.internal:9042", cfg.reconcile().contactPoint());
    assertEquals("dc1", cfg.reconcile().localDatacenter());
  }

  @Test
  void theComposeConfigLoads() {
    Path file = DeployFiles.COMPOSE.resolve("batch.properties");
    DeployFiles.assertNoSecrets(file, BatchConfig.DEF);
    // docker-compose.yml gives the service its password in the environment, as this does.
    BatchConfig cfg = BatchConfig.load(file, Map.of("BATCH_QUARTZ_JDBC_PASSWORD", "pipeline"));
    assertEquals("kafka:9092", cfg.ingest().kafka().get("bootstrap.servers"));
    assertEquals("hdfs://namenode:8020/lakehouse", cfg.hudi().lakehouse());
    assertEquals("thrift://hive-metastore:9083", cfg.hive().metastoreUris());
  }

  @Test
  void environmentOverridesTheFileAndOffUnschedules() {
    BatchConfig cfg = BatchConfig.load(Path.of("config", "batch.properties"),
        Map.of("BATCH_JOB_CLUSTER_CRON", "off", "BATCH_INGEST_BATCH_MAX_RECORDS", "10"));
    assertEquals(10, cfg.ingest().batchMaxRecords());
    assertTrue(!cfg.cronByJob().containsKey("cluster"));
  }

  @Test
  void badValuesNameTheKey(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
    ConfigException e = assertThrows(ConfigException.class, () -> BatchConfig.load(null,
        Map.of("BATCH_LAKEHOUSE_PATH", "/no/scheme", "BATCH_QUARTZ_JDBC_PASSWORD", "secret")));
    assertTrue(e.getMessage().contains("lakehouse.path"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> BatchConfig.load(null,
        Map.of("BATCH_ARCHIVE_MIN_COMMITS", "5", "BATCH_QUARTZ_JDBC_PASSWORD", "secret")));
    assertTrue(e.getMessage().contains("archive.min-commits"), e.getMessage());
    Path file = Files.writeString(tmp.resolve("b.properties"),
        "kafka.client.isolation.level=read_uncommitted\nquartz.jdbc.password=secret\n");
    e = assertThrows(ConfigException.class, () -> BatchConfig.load(file, Map.of()));
    assertTrue(e.getMessage().contains("kafka.client.isolation.level"), e.getMessage());
  }

  @Test
  void thePasswordHasNoDefaultAndCanComeFromAFile(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
    ConfigException e = assertThrows(ConfigException.class, () -> BatchConfig.load(null, Map.of()));
    assertEquals("quartz.jdbc.password", e.key(), e.getMessage());
    assertTrue(e.getMessage().contains("BATCH_QUARTZ_JDBC_PASSWORD"), e.getMessage());

    Path secret = Files.writeString(tmp.resolve("password"), "s3cret-from-a-file\n");
    BatchConfig cfg = BatchConfig.load(null, Map.of("BATCH_QUARTZ_JDBC_PASSWORD_FILE", secret.toString()));
    assertEquals("s3cret-from-a-file", cfg.jdbcPassword(), "the file's content, without its line break");
    assertTrue(!cfg.toString().contains("s3cret"), "never printed: " + cfg);

    e = assertThrows(ConfigException.class, () -> BatchConfig.load(null, Map.of("BATCH_QUARTZ_JDBC_PASSWORD_FILE",
        secret.toString(), "BATCH_QUARTZ_JDBC_PASSWORD", "other")));
    assertEquals("quartz.jdbc.password", e.key(), e.getMessage());
    e = assertThrows(ConfigException.class, () -> BatchConfig.load(null,
        Map.of("BATCH_QUARTZ_JDBC_PASSWORD_FILE", tmp.resolve("missing").toString())));
    assertEquals("quartz.jdbc.password", e.key(), e.getMessage());
    assertTrue(e.getMessage().contains("BATCH_QUARTZ_JDBC_PASSWORD_FILE"), e.getMessage());
  }

  @Test
  void docsListEveryKeyAsDeclared() throws IOException {
    String docs = Files.readString(Path.of("..", "docs", "BATCH.md"));
    assertTrue(docs.contains(BatchConfig.DEF.toMarkdown()),
        "docs/BATCH.md is out of date; replace its key table with:\n" + BatchConfig.DEF.toMarkdown());
  }
}
