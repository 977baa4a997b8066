package org.activitypipeline.common.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.activitypipeline.common.config.ConfigDef;
import org.activitypipeline.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CassandraSecurityTest {
  private static final ConfigDef DEF = ActivityTableKeys.declare(ConfigDef.withEnvPrefix("T"));

  private static CassandraSecurity from(Map<String, String> raw) {
    return CassandraSecurity.from(DEF.parse(raw));
  }

  @Test
  void noneByDefault() {
    assertEquals(CassandraSecurity.NONE, from(Map.of()));
  }

  @Test
  void incompleteSettingsNameTheMissingKey(@TempDir Path tmp) throws Exception {
    assertEquals("cassandra.password", assertThrows(ConfigException.class,
        () -> from(Map.of("cassandra.username", "poller"))).key());
    assertEquals("cassandra.username", assertThrows(ConfigException.class,
        () -> from(Map.of("cassandra.password", "pw"))).key());
    Path store = Files.writeString(tmp.resolve("t.p12"), "x");
    assertEquals("cassandra.ssl.truststore.password", assertThrows(ConfigException.class,
        () -> from(Map.of("cassandra.ssl.truststore.location", store.toString()))).key());
    assertEquals("cassandra.ssl.truststore.location", assertThrows(ConfigException.class,
        () -> from(Map.of("cassandra.ssl.truststore.location", tmp.resolve("missing.p12").toString(),
            "cassandra.ssl.truststore.password", "pw"))).key());
  }

  @Test
  void printsNoPassword() {
    CassandraSecurity s = from(Map.of("cassandra.username", "poller", "cassandra.password", "s3cret"));
    assertFalse(s.toString().contains("s3cret"), s.toString());
  }

  @Test
  void refusalIsNullForOtherFailures() {
    assertNull(CassandraSecurity.refusal(new IllegalStateException("boom", new RuntimeException("x"))));
  }
}
