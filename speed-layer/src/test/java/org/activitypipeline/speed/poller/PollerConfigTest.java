package org.activitypipeline.speed.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.activitypipeline.common.config.ConfigException;
import org.activitypipeline.localstack.testing.DeployFiles;
import org.junit.jupiter.api.Test;

class PollerConfigTest {
  private static final Path SHIPPED = Path.of("config", "poller.properties");
  private static final Path DOCS = Path.of("..", "docs", "POLLER.md");

  @Test
  void shippedFileLoadsAndEqualsTheDefaults() {
    assertEquals(PollerConfig.load(null, Map.of()), PollerConfig.load(SHIPPED, Map.of()));
  }

  @Test
  void theProductionExampleLoadsWithItsEnvironmentFile() {
    Path file = DeployFiles.PRODUCTION.resolve("poller.properties");
    DeployFiles.assertNoSecrets(file, PollerConfig.DEF);
    PollerConfig c = PollerConfig.load(file, DeployFiles.envExample("poller.env.example", PollerConfig.DEF));
    assertEquals("kafka-1.internal:9092,kafka-2.internal:9092,kafka-3.internal:9092", c.bootstrapServers());
    assertEquals("cassandra-1.internal:9042", c.contactPoint());
    assertEquals(DefaultConsistencyLevel.LOCAL_QUORUM, c.consistency());
  }

  @Test
  void theComposeConfigLoads() {
    PollerConfig c = PollerConfig.load(DeployFiles.COMPOSE.resolve("poller.properties"), Map.of());
    assertEquals("kafka:9092", c.bootstrapServers());
    assertEquals("cassandra:9042", c.contactPoint());
  }

  @Test
  void environmentOverridesAndValidation() {
    PollerConfig c = PollerConfig.load(SHIPPED, Map.of("POLLER_POLL_INTERVAL", "2s", "POLLER_POLL_SHARDS", "16"));
    assertEquals(Duration.ofSeconds(2), c.pollInterval());
    assertEquals(16, c.shards());
    ConfigException e = assertThrows(ConfigException.class,
        () -> PollerConfig.load(null, Map.of("POLLER_CASSANDRA_CONTACT_POINT", "nohost")));
    assertEquals("cassandra.contact.point", e.key());
    e = assertThrows(ConfigException.class, () -> PollerConfig.load(null,
        Map.of("POLLER_RETRY_BACKOFF_INITIAL", "1m", "POLLER_RETRY_BACKOFF_MAX", "1s")));
    assertEquals("retry.backoff.max", e.key());
  }

  @Test
  void docsListEveryKeyAsDeclared() throws Exception {
    String docs = Files.readString(DOCS);
    assertTrue(docs.contains(PollerConfig.DEF.toMarkdown()),
        "docs/POLLER.md is out of date; replace its key table with:\n" + PollerConfig.DEF.toMarkdown());
  }
}
