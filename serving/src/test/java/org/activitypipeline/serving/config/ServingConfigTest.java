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
import java.util.List;
import java.util.Map;
import org.activitypipeline.common.config.ConfigException;
import org.activitypipeline.localstack.testing.DeployFiles;
import org.activitypipeline.serving.health.ScrapeTarget;
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
    assertTrue(cfg.unauthenticatedLoopback(), "loopback without a token: allowed for local development, with a warning");
    assertEquals(ServingConfig.AuthMode.TOKEN, cfg.authMode());
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
    // As shipped, the token still has to be filled in: serving refuses to start on 0.0.0.0 without it.
    ConfigException e = assertThrows(ConfigException.class, () -> ServingConfig.load(file, env));
    assertEquals("auth.token", e.key(), e.getMessage());
    env.put("SERVING_AUTH_TOKEN", "a-token-of-32-characters-or-so!!");
    ServingConfig vm = ServingConfig.load(file, env);
    assertEquals("0.0.0.0", vm.httpBind());
    assertEquals("kafka-1.internal:9092,kafka-2.internal:9092,kafka-3.internal:9092", vm.kafka().get("bootstrap.servers"));
    Path composeFile = DeployFiles.COMPOSE.resolve("serving.properties");
    e = assertThrows(ConfigException.class, () -> ServingConfig.load(composeFile, Map.of()));
    assertEquals("auth.token", e.key(), "compose binds 0.0.0.0: no token, no start");
    ServingConfig compose = ServingConfig.load(composeFile, Map.of("SERVING_AUTH_TOKEN", "compose-token-0123456789abcdef"));
    assertEquals("hdfs://namenode:8020/lakehouse", compose.lakehouse());
    assertEquals("2", compose.hadoop().get("ipc.client.connect.max.retries"), "fail-fast HDFS client by default");
    assertEquals(List.of("cdc", "poller", "poller", "processor", "processor", "batch-layer", "batch-layer"),
        vm.healthTargets().stream().map(ScrapeTarget::process).toList(), "every instance of every process");
    assertEquals("http://speed-2.internal:9403/metrics", vm.healthTargets().get(4).uri().toString());
    assertEquals(4, compose.healthTargets().size());
    assertEquals("http://batch-layer:9404/metrics", compose.healthTargets().get(3).uri().toString());
  }

  @Test
  void healthTargetsAndTheRateWindowAreCheckedNamingTheKey() {
    for (String bad : new String[] {"processor", "kafka=http://k:1/metrics", "cdc=ftp://h:1/metrics",
        "cdc=http://user:pw@h:1/metrics", "cdc=not a url"}) {
      ConfigException e = assertThrows(ConfigException.class,
          () -> ServingConfig.load(null, Map.of("SERVING_HEALTH_TARGETS", bad)), bad);
      assertEquals("health.targets", e.key(), bad + ": " + e.getMessage());
      assertFalse(e.getMessage().contains("pw@"), "no credentials echoed: " + e.getMessage());
    }
    ConfigException e = assertThrows(ConfigException.class, () -> ServingConfig.load(null,
        Map.of("SERVING_HEALTH_SCRAPE_INTERVAL", "30s", "SERVING_HEALTH_RATE_WINDOW", "45s")));
    assertEquals("health.rate-window", e.key(), e.getMessage());
    assertEquals(List.of(), ServingConfig.load(null, Map.of()).healthTargets(), "none by default");
    ServingConfig local = ServingConfig.load(Path.of("config/serving.properties"), Map.of());
    assertEquals(List.of("cdc", "poller", "processor", "batch-layer"),
        local.healthTargets().stream().map(ScrapeTarget::process).toList(), "run-local.sh's processes");
  }

  @Test
  void offLoopbackTheTokenIsRequiredUnlessAuthIsExplicitlyOff() {
    for (String bind : new String[] {"0.0.0.0", "::", "10.1.2.3", "192.168.0.1"}) {
      ConfigException e = assertThrows(ConfigException.class,
          () -> ServingConfig.load(null, Map.of("SERVING_HTTP_BIND", bind)), bind);
      assertEquals("auth.token", e.key(), bind + ": " + e.getMessage());
      assertTrue(e.getMessage().contains("auth.token") && e.getMessage().contains(bind), e.getMessage());
    }
    for (String bind : new String[] {"127.0.0.1", "127.0.0.2", "::1", "localhost"}) {
      assertTrue(ServingConfig.load(null, Map.of("SERVING_HTTP_BIND", bind)).unauthenticatedLoopback(), bind);
    }
    ServingConfig open = ServingConfig.load(null, Map.of("SERVING_HTTP_BIND", "0.0.0.0", "SERVING_AUTH_MODE", "none"));
    assertEquals(ServingConfig.AuthMode.NONE, open.authMode());
    assertNull(open.authToken());
    assertFalse(open.unauthenticatedLoopback(), "explicitly off: no warning about a missing token");
    ServingConfig secured = ServingConfig.load(null, Map.of("SERVING_HTTP_BIND", "0.0.0.0",
        "SERVING_AUTH_TOKEN", "0123456789abcdef0123"));
    assertEquals("0123456789abcdef0123", secured.authToken());

    ConfigException e = assertThrows(ConfigException.class, () -> ServingConfig.load(null,
        Map.of("SERVING_AUTH_MODE", "none", "SERVING_AUTH_TOKEN", "0123456789abcdef0123")));
    assertEquals("auth.mode", e.key(), e.getMessage());
    assertTrue(e.getMessage().contains("auth.token"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> ServingConfig.load(null, Map.of("SERVING_AUTH_MODE", "off")));
    assertEquals("auth.mode", e.key(), e.getMessage());
  }

  @Test
  void theMetricsTokenIsLongAndNotTheApiToken() {
    ServingConfig cfg = ServingConfig.load(null, Map.of("SERVING_METRICS_TOKEN", "metrics-0123456789abcdef"));
    assertEquals("metrics-0123456789abcdef", cfg.metricsToken());
    assertFalse(cfg.toString().contains("metrics-0123"), cfg.toString());
    assertNull(ServingConfig.load(null, Map.of()).metricsToken(), "optional: /metrics open by default");
    ConfigException e = assertThrows(ConfigException.class,
        () -> ServingConfig.load(null, Map.of("SERVING_METRICS_TOKEN", "0123456789abcde"))); // 15 characters
    assertEquals("metrics.token", e.key(), e.getMessage());
    assertTrue(e.getMessage().contains("16 characters"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> ServingConfig.load(null,
        Map.of("SERVING_METRICS_TOKEN", "0123456789abcdef0123", "SERVING_AUTH_TOKEN", "0123456789abcdef0123")));
    assertEquals("metrics.token", e.key(), e.getMessage());
  }

  @Test
  void allowedHostsAreHostNamesWithoutPorts() {
    assertNull(ServingConfig.load(null, Map.of()).allowedHosts(), "unset: any Host");
    ServingConfig cfg = ServingConfig.load(null,
        Map.of("SERVING_HTTP_ALLOWED_HOSTS", "serving.example.com, LOCALHOST,127.0.0.1,[::1]"));
    assertEquals(java.util.List.of("serving.example.com", "localhost", "127.0.0.1", "[::1]"), cfg.allowedHosts());
    for (String bad : new String[] {"http://serving.example.com", "serving.example.com:8080", "a b", "*"}) {
      ConfigException e = assertThrows(ConfigException.class,
          () -> ServingConfig.load(null, Map.of("SERVING_HTTP_ALLOWED_HOSTS", bad)), bad);
      assertEquals("http.allowed-hosts", e.key(), e.getMessage());
    }
    ConfigException e = assertThrows(ConfigException.class,
        () -> ServingConfig.load(null, Map.of("SERVING_HTTP_ALLOWED_HOSTS", " , ")));
    assertEquals("http.allowed-hosts", e.key(), "an empty list would refuse every request");
  }

  @Test
  void limitsHaveBoundsAndTheOldResultCacheKeyIsRefused(@TempDir Path tmp) throws IOException {
    ServingConfig cfg = ServingConfig.load(null, Map.of());
    assertEquals(8, cfg.maxConcurrentQueries());
    assertEquals(16 * 1024, cfg.maxRequestBytes());
    assertEquals(64L * 1024 * 1024, cfg.cacheMaxBytes());
    for (Map.Entry<String, String> bad : Map.of("SERVING_HTTP_MAX_CONCURRENT_QUERIES", "0",
        "SERVING_HTTP_MAX_REQUEST_BYTES", "100", "SERVING_HTTP_MAX_THREADS", "2", "SERVING_CACHE_MAX_BYTES", "1000",
        "SERVING_QUERY_MAX_RANGE", "5000d").entrySet()) {
      ConfigException e = assertThrows(ConfigException.class, () -> ServingConfig.load(null, Map.of(bad.getKey(),
          bad.getValue())), bad.toString());
      assertEquals(bad.getKey(), ServingConfig.DEF.envName(e.key()), e.getMessage());
    }
    Path old = Files.writeString(tmp.resolve("old.properties"), "cache.results.max-entries=10000\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ServingConfig.load(old, Map.of()));
    assertTrue(e.getMessage().contains("cache.max-bytes"), e.getMessage());
  }
}
