package org.activitypipeline.serving.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.activitypipeline.common.config.ConfigException;
import org.activitypipeline.localstack.testing.DeployFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServingConfigTest {

  @Test
  void shippedFileLoadsWithTheLocalStackAddresses() {
    ServingConfig cfg = ServingConfig.load(Path.of("config", "serving.properties"), Map.of());
    assertEquals("127.0.0.1:19092", cfg.kafka().get("bootstrap.servers"));
    assertEquals("hdfs://127.0.0.1:18020/lakehouse", cfg.lakehouse());
    assertEquals(8080, cfg.httpPort());
    assertNull(cfg.authToken());
    assertTrue(cfg.cacheEnabled());
  }

  @Test
  void environmentOverridesTheFileAndTheTokenNeverPrints() {
    ServingConfig cfg = ServingConfig.load(Path.of("config", "serving.properties"),
        Map.of("SERVING_AUTH_TOKEN", "0123456789abcdef-secret", "SERVING_HTTP_PORT", "9999",
            "SERVING_CACHE_ENABLED", "false", "SERVING_LAKEHOUSE_POLL_INTERVAL", "2s"));
    assertEquals("0123456789abcdef-secret", cfg.authToken());
    assertEquals(9999, cfg.httpPort());
    assertFalse(cfg.cacheEnabled());
    assertEquals(Duration.ofSeconds(2), cfg.lakehousePollInterval());
    assertFalse(cfg.toString().contains("secret"), cfg.toString());
  }

  @Test
  void badValuesNameTheKey(@TempDir Path tmp) throws IOException {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ServingConfig.load(null, Map.of("SERVING_HTTP_PORT", "70000")));
    assertTrue(e.getMessage().contains("http.port"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> ServingConfig.load(null, Map.of("SERVING_AUTH_TOKEN", "short")));
    assertTrue(e.getMessage().contains("auth.token"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> ServingConfig.load(null, Map.of("SERVING_LAKEHOUSE_PATH", "/x")));
    assertTrue(e.getMessage().contains("lakehouse.path"), e.getMessage());
    Path file = Files.writeString(tmp.resolve("s.properties"), "kafka.client.isolation.level=read_uncommitted\n");
    e = assertThrows(ConfigException.class, () -> ServingConfig.load(file, Map.of()));
    assertTrue(e.getMessage().contains("kafka.client.isolation.level"), e.getMessage());
    Path typo = Files.writeString(tmp.resolve("t.properties"), "http.prot=1\n");
    e = assertThrows(ConfigException.class, () -> ServingConfig.load(typo, Map.of()));
    assertTrue(e.getMessage().contains("http.prot"), e.getMessage());
  }

  @Test
  void docsListEveryKeyAsDeclared() throws IOException {
    String docs = Files.readString(Path.of("..", "docs", "SERVING.md"));
    assertTrue(docs.contains(ServingConfig.DEF.toMarkdown()),
        "docs/SERVING.md is out of date; replace its key table with:\n" + ServingConfig.DEF.toMarkdown());
  }

  @Test
  void theDeploymentExamplesLoad() {
    Path file = DeployFiles.PRODUCTION.resolve("serving.properties");
    DeployFiles.assertNoSecrets(file, ServingConfig.DEF);
    Map<String, String> env = new java.util.HashMap<>(DeployFiles.envExample("serving.env.example", ServingConfig.DEF));
    assertEquals("", env.get("SERVING_AUTH_TOKEN"), "the example ships no token");
    env.put("SERVING_AUTH_TOKEN", "a-token-of-32-characters-or-so!!");
    ServingConfig vm = ServingConfig.load(file, env);
    assertEquals("0.0.0.0", vm.httpBind());
    assertEquals("kafka-1.internal:9092,kafka-2.internal:9092,kafka-3.internal:9092", vm.kafka().get("bootstrap.servers"));
    ServingConfig compose = ServingConfig.load(DeployFiles.COMPOSE.resolve("serving.properties"), Map.of());
    assertEquals("hdfs://namenode:8020/lakehouse", compose.lakehouse());
    assertEquals("2", compose.hadoop().get("ipc.client.connect.max.retries"), "fail-fast HDFS client by default");
  }
}
