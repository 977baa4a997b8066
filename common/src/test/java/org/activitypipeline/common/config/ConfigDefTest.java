package org.activitypipeline.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigDefTest {
  static final ConfigKey<String> BOOTSTRAP = ConfigKey.of("kafka.bootstrap.servers", ConfigType.STRING)
      .doc("Kafka brokers, host:port,...");
  static final ConfigKey<Duration> POLL = ConfigKey.of("poll.interval", ConfigType.DURATION)
      .defaultValue(Duration.ofMillis(500))
      .validate(d -> !d.isNegative() && !d.isZero(), "positive");
  static final ConfigKey<Integer> THREADS = ConfigKey.of("threads", ConfigType.INT).defaultValue(1)
      .validate(n -> n >= 1 && n <= 64, "between 1 and 64");
  static final ConfigKey<List<String>> TABLES = ConfigKey.of("tables", ConfigType.LIST).defaultValue(List.of("a"));
  static final ConfigKey<String> SECRET = ConfigKey.of("db.password", ConfigType.PASSWORD).optional();

  static final ConfigDef DEF = ConfigDef.withEnvPrefix("SPEED")
      .define(BOOTSTRAP).define(POLL).define(THREADS).define(TABLES).define(SECRET)
      .passThrough("kafka.producer.");

  @TempDir
  Path dir;

  @Test
  void fileValuesAndDefaults() throws IOException {
    Path file = write("kafka.bootstrap.servers=h:9092\nthreads=4\ntables=x, y ,,z\n");
    Config config = DEF.load(file, Map.of());
    assertEquals("h:9092", config.get(BOOTSTRAP));
    assertEquals(4, config.get(THREADS));
    assertEquals(Duration.ofMillis(500), config.get(POLL));
    assertEquals(List.of("x", "y", "z"), config.get(TABLES));
    assertNull(config.get(SECRET));
  }

  @Test
  void environmentOverridesFile() throws IOException {
    Path file = write("kafka.bootstrap.servers=h:9092\npoll.interval=1s\n");
    Config config = DEF.load(file, Map.of("SPEED_POLL_INTERVAL", "250ms", "SPEED_KAFKA_BOOTSTRAP_SERVERS", "e:1"));
    assertEquals(Duration.ofMillis(250), config.get(POLL));
    assertEquals("e:1", config.get(BOOTSTRAP));
  }

  @Test
  void missingRequiredKeyIsNamedWithItsEnvironmentVariable() {
    ConfigException e = assertThrows(ConfigException.class, () -> DEF.load(null, Map.of()));
    assertEquals("kafka.bootstrap.servers", e.key());
    assertTrue(e.getMessage().contains("'kafka.bootstrap.servers'"), e.getMessage());
    assertTrue(e.getMessage().contains("SPEED_KAFKA_BOOTSTRAP_SERVERS"), e.getMessage());
  }

  @Test
  void malformedValueNamesKeyValueAndOrigin() throws IOException {
    Path file = write("kafka.bootstrap.servers=h:9092\nthreads=many\n");
    ConfigException e = assertThrows(ConfigException.class, () -> DEF.load(file, Map.of()));
    assertEquals("threads", e.key());
    assertTrue(e.getMessage().contains("'many'") && e.getMessage().contains("expected an integer")
        && e.getMessage().contains("file app.properties"), e.getMessage());
  }

  @Test
  void validatorFailureSaysWhatIsAllowed() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> DEF.load(null, Map.of("SPEED_KAFKA_BOOTSTRAP_SERVERS", "h:1", "SPEED_THREADS", "0")));
    assertEquals("threads", e.key());
    assertTrue(e.getMessage().contains("between 1 and 64")
        && e.getMessage().contains("environment variable SPEED_THREADS"), e.getMessage());
  }

  @Test
  void badDurationIsRejected() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> DEF.load(null, Map.of("SPEED_KAFKA_BOOTSTRAP_SERVERS", "h:1", "SPEED_POLL_INTERVAL", "fast")));
    assertEquals("poll.interval", e.key());
    assertTrue(e.getMessage().contains("duration"), e.getMessage());
  }

  @Test
  void unknownKeyIsATypoNotADefault() throws IOException {
    Path file = write("kafka.bootstrap.servers=h:9092\nthread=4\n");
    ConfigException e = assertThrows(ConfigException.class, () -> DEF.load(file, Map.of()));
    assertEquals("thread", e.key());
    assertTrue(e.getMessage().contains("Unknown config key 'thread'"), e.getMessage());
  }

  @Test
  void passThroughKeysKeepTheirSuffix() throws IOException {
    Path file = write("kafka.bootstrap.servers=h:9092\nkafka.producer.linger.ms=5\n");
    Config config = DEF.load(file, Map.of());
    assertEquals(Map.of("linger.ms", "5"), config.withPrefix("kafka.producer."));
  }

  @Test
  void missingFileIsReportedByPath() {
    ConfigException e = assertThrows(ConfigException.class, () -> DEF.load(dir.resolve("nope.properties"), Map.of()));
    assertTrue(e.getMessage().contains("nope.properties"), e.getMessage());
  }

  @Test
  void passwordsAreNeverPrinted() {
    Config config = DEF.load(null, Map.of("SPEED_KAFKA_BOOTSTRAP_SERVERS", "h:1", "SPEED_DB_PASSWORD", "s3cret"));
    assertEquals("s3cret", config.get(SECRET));
    assertTrue(!config.toString().contains("s3cret") && config.toString().contains("db.password=[hidden]"));
  }

  @Test
  void undeclaredKeyCannotBeRead() {
    Config config = DEF.load(null, Map.of("SPEED_KAFKA_BOOTSTRAP_SERVERS", "h:1"));
    assertThrows(IllegalArgumentException.class, () -> config.get(ConfigKey.of("other", ConfigType.STRING)));
  }

  @Test
  void markdownReferenceListsEveryKey() {
    String md = DEF.toMarkdown();
    for (ConfigKey<?> key : DEF.keys()) {
      assertTrue(md.contains("`" + key.name() + "`"), key.name());
    }
    assertTrue(md.contains("(required)") && md.contains("`500ms`") && md.contains("Must be between 1 and 64"), md);
  }

  @Test
  void durationsInManyForms() {
    assertEquals(Duration.ofHours(2), ConfigType.parseDuration("2h"));
    assertEquals(Duration.ofDays(1), ConfigType.parseDuration("1d"));
    assertEquals(Duration.ofSeconds(30), ConfigType.parseDuration("PT30S"));
    assertEquals(Duration.ofMinutes(10), ConfigType.parseDuration("10m"));
  }

  private Path write(String content) throws IOException {
    Path file = dir.resolve("app.properties");
    Files.writeString(file, content);
    return file;
  }
}
