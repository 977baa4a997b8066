package org.activitypipeline.common.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.activitypipeline.common.config.Config;
import org.activitypipeline.common.config.ConfigDef;
import org.activitypipeline.common.config.ConfigException;
import org.activitypipeline.common.config.ConfigKey;
import org.activitypipeline.common.config.ConfigType;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {
  private static final ConfigKey<String> BOOTSTRAP = ConfigKey.of("kafka.bootstrap.servers", ConfigType.STRING)
      .defaultValue("b:9092").doc("brokers");
  private static final ConfigDef DEF = KafkaClients.declare(ConfigDef.withEnvPrefix("T").define(BOOTSTRAP));
  private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required"
      + " username=\"poller\" password=\"p0ller-secret\";";

  private static Map<String, Object> connection(Map<String, String> raw) {
    Config c = DEF.parse(raw);
    return KafkaClients.connection(c, BOOTSTRAP, "test process", Set.of("isolation.level"));
  }

  @Test
  void everyClientGetsTheConnectionThenTheTuningThenWhatTheCodeOwns() {
    Map<String, Object> kafka = connection(Map.of("kafka.client.security.protocol", "SASL_SSL",
        "kafka.client.sasl.jaas.config", JAAS, "kafka.client.linger.ms", "1"));
    Properties p = KafkaClients.properties(kafka, Map.of("linger.ms", "20", "security.protocol", "PLAINTEXT"),
        Map.of("isolation.level", "read_committed", "security.protocol", "SASL_SSL"));
    assertEquals("b:9092", p.get("bootstrap.servers"));
    assertEquals(JAAS, p.get("sasl.jaas.config"));
    assertEquals("20", p.get("linger.ms"), "the role's tuning over the shared settings");
    assertEquals("read_committed", p.get("isolation.level"));
    assertEquals("SASL_SSL", p.get("security.protocol"), "what the code owns wins");
  }

  @Test
  void ownedSettingsAndBootstrapAreRefusedNamingTheKey() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> connection(Map.of("kafka.client.isolation.level", "read_uncommitted")));
    assertEquals("kafka.client.isolation.level", e.key());
    assertTrue(e.getMessage().contains("test process"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> connection(Map.of("kafka.client.bootstrap.servers", "x:1")));
    assertEquals("kafka.client.bootstrap.servers", e.key());
    assertTrue(e.getMessage().contains("kafka.bootstrap.servers"), e.getMessage());
  }

  @Test
  void describeHidesSecrets() {
    String text = KafkaClients.describe(connection(Map.of("kafka.client.sasl.jaas.config", JAAS,
        "kafka.client.ssl.truststore.password", "tr0st", "kafka.client.ssl.key.password", "k3y",
        "kafka.client.security.protocol", "SASL_SSL")));
    assertFalse(text.contains("p0ller-secret") || text.contains("tr0st") || text.contains("k3y"), text);
    assertTrue(text.contains("SASL_SSL") && text.contains("b:9092"), text);
  }
}
