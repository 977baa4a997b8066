package org.activitypipeline.speed.poller;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.servererrors.UnauthorizedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.activitypipeline.common.source.ActivityTableReader;
import org.activitypipeline.common.source.CassandraSecurity;
import org.activitypipeline.generators.activities.ActivityGenerator;
import org.activitypipeline.generators.activities.WrittenActivity;
import org.activitypipeline.localstack.LocalStack;
import org.activitypipeline.localstack.ServerKind;
import org.activitypipeline.localstack.StackPorts;
import org.activitypipeline.localstack.junit.LocalStackExtension;
import org.activitypipeline.localstack.junit.WithLocalStack;
import org.activitypipeline.speed.testing.SpeedLayerProcess;
import org.junit.jupiter.api.Test;

/**
 * A Cassandra as production runs it (PasswordAuthenticator, CassandraAuthorizer, client encryption
 * required) in a stack of its own: the activity generator writes as a role that may only modify the
 * table, the poller reads as a role that may only select from it, both over TLS with the nodes'
 * certificate validated; every row arrives once. Without credentials, without TLS, or with a wrong
 * password nothing connects, and a poller with a wrong password stops at start with one line naming
 * {@code cassandra.password}.
 */
@WithLocalStack({ServerKind.KAFKA})
class CassandraSecurityIT {
  private static final Path WORK = Path.of("target", "cassandra-security-it").toAbsolutePath();
  private static final String DC = "datacenter1";

  @Test
  void generatorAndPollerUseRolesOfTheirOwnOverTls(LocalStack shared) throws Exception {
    // +7: no port of any module's stack (offsets are multiples of 100) or of this module's shared one.
    StackPorts ports = StackPorts.defaults().shiftedBy(LocalStackExtension.portOffset() + 7);
    try (LocalStack secured = LocalStack.createWithSecuredCassandra(WORK.resolve("stack"), ports)) {
      secured.start(Set.of(ServerKind.CASSANDRA));
      Map<String, String> p = secured.connectionProperties();
      String contact = p.get("cassandra.contact.points");
      Path trust = Path.of(p.get("cassandra.truststore"));
      String trustPassword = p.get("cassandra.truststore.password");
      CassandraSecurity admin = new CassandraSecurity(p.get("cassandra.superuser"),
          p.get("cassandra.superuser.password"), trust, trustPassword);
      try (CqlSession s = ActivityTableReader.connect(contact, DC, admin, "it-admin")) {
        s.execute("CREATE ROLE IF NOT EXISTS activity_writer WITH PASSWORD = 'writer-secret' AND LOGIN = true");
        s.execute("GRANT MODIFY ON TABLE activity.employee_activity TO activity_writer");
        s.execute("CREATE ROLE IF NOT EXISTS poller_reader WITH PASSWORD = 'reader-secret' AND LOGIN = true");
        s.execute("GRANT SELECT ON TABLE activity.employee_activity TO poller_reader");
      }
      CassandraSecurity writer = new CassandraSecurity("activity_writer", "writer-secret", trust, trustPassword);
      CassandraSecurity reader = new CassandraSecurity("poller_reader", "reader-secret", trust, trustPassword);

      AllNodesFailedException noLogin = assertThrows(AllNodesFailedException.class,
          () -> ActivityTableReader.connect(contact, DC, new CassandraSecurity(null, null, trust, trustPassword), "it"));
      assertNotNull(CassandraSecurity.refusal(noLogin), "refused for want of a login: " + noLogin.getMessage());
      assertThrows(AllNodesFailedException.class, () -> ActivityTableReader.connect(contact, DC,
          new CassandraSecurity("poller_reader", "reader-secret", null, null), "it"), "plaintext is refused");
      try (CqlSession s = ActivityTableReader.connect(contact, DC, reader, "it-reader")) {
        assertThrows(UnauthorizedException.class, () -> s.execute("TRUNCATE activity.employee_activity"),
            "the poller's role may only read");
      }

      PollerExactlyOnceIT.Output out = PollerExactlyOnceIT.Output.create(shared, "secured");
      Map<String, String> config = config(out, contact, trust, trustPassword, "reader-secret");
      Set<UUID> written = new HashSet<>();
      try (SpeedLayerProcess poller = SpeedLayerProcess.of("poller", WORK, "poller-secured", config)) {
        poller.start();
        await("the poller loaded its state").atMost(Duration.ofSeconds(90))
            .until(() -> poller.logText().contains("event=state_loaded"));
        try (ActivityGenerator gen = ActivityGenerator.connect(contact, DC, writer, "activity", 8, 5,
            ActivityGenerator.DEFAULT_CONSISTENCY, 64, 1)) {
          for (WrittenActivity a : gen.write(600, List.of(1L, 2L, 3L), 0, 0, 600)) {
            written.add(a.activityId());
          }
          assertEquals(0, gen.failed(), "every write accepted: " + gen.lastError());
        }
        Map<UUID, Integer> seen = out.awaitIds(written.size(), Duration.ofMinutes(2));
        assertTrue(seen.keySet().containsAll(written), "every row polled: " + (written.size() - seen.size())
            + " missing");
        assertTrue(seen.entrySet().stream().filter(e -> written.contains(e.getKey())).allMatch(e -> e.getValue() == 1),
            "each once");
        poller.stopCleanly();
        assertTrue(!poller.logText().contains("reader-secret"), "the password is never logged");
      }

      Map<String, String> wrong = new LinkedHashMap<>(config);
      wrong.put("cassandra.password", "not-the-reader-secret");
      wrong.put("kafka.transactional.id", config.get("kafka.transactional.id") + "-wrong");
      try (SpeedLayerProcess bad = SpeedLayerProcess.of("poller", WORK, "poller-wrong-password", wrong)) {
        bad.start();
        await("a wrong password stops the poller").atMost(Duration.ofSeconds(90)).until(() -> !bad.isAlive());
        assertNotEquals(0, bad.stop(), "a non-zero exit:\n" + bad.logTail());
        List<String> lines = bad.logText().lines().filter(l -> l.contains("cassandra.password")).toList();
        assertEquals(1, lines.size(), "one line names the setting:\n" + bad.logTail());
        assertTrue(lines.get(0).contains("event=fatal"), lines.get(0));
        assertTrue(bad.logText().lines().noneMatch(l -> l.startsWith("\tat ")), "no stack trace:\n" + bad.logTail());
        assertTrue(!bad.logText().contains("not-the-reader-secret"), "the password is never logged");
      }
    }
  }

  private static Map<String, String> config(PollerExactlyOnceIT.Output out, String contact, Path trust,
                                            String trustPassword, String password) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("kafka.bootstrap.servers", out.bootstrap());
    c.put("kafka.transactional.id", out.transactionalId());
    c.put("topic.raw-activities", out.topic());
    c.put("topic.state", out.stateTopic());
    c.put("topic.dlq", out.dlqTopic());
    c.put("topic.shards", out.shardsTopic());
    c.put("poll.group.id", out.groupId());
    c.put("cassandra.contact.point", contact);
    c.put("cassandra.local.datacenter", DC);
    c.put("cassandra.username", "poller_reader");
    c.put("cassandra.password", password);
    c.put("cassandra.ssl.truststore.location", trust.toString());
    c.put("cassandra.ssl.truststore.password", trustPassword);
    c.put("poll.shards", "8");
    c.put("poll.initial.lookback", "0s");
    c.put("retry.backoff.max", "5s");
    c.put("metrics.port", "0");
    return c;
  }
}
