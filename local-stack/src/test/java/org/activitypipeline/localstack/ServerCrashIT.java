package org.activitypipeline.localstack;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.activitypipeline.common.topic.TopicReadiness;
import org.activitypipeline.localstack.junit.WithLocalStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** kill -9 of one server while clients are connected; restart; the same clients carry on. */
@WithLocalStack({ServerKind.KAFKA, ServerKind.CASSANDRA})
class ServerCrashIT {
  private static final Set<Thread.State> BLOCKED_STATES = Set.of(Thread.State.WAITING, Thread.State.TIMED_WAITING);

  @Test
  void kafkaBrokerKilledAndRestartedProducerAndConsumerRecover(LocalStack stack) throws Exception {
    String topic = "it-crash-" + UUID.randomUUID();
    try (Admin admin = KafkaIT.admin(stack)) {
      TopicReadiness.create(admin, List.of(new NewTopic(topic, 1, (short) 1)), Duration.ofSeconds(60));
    }
    Properties pp = new Properties();
    pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaIT.bootstrap(stack));
    pp.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    pp.put(ProducerConfig.ACKS_CONFIG, "all");
    pp.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000);
    pp.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    // The broker is restarted while the send below is outstanding (see there), so neither send() nor the
    // delivery has to outlast more than the restart itself.
    pp.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 120_000);
    ExecutorService sender = Executors.newSingleThreadExecutor(r -> new Thread(r, "it-crash-sender"));
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, "k", "before-crash")).get(30, TimeUnit.SECONDS);

      ManagedServer kafka = stack.server(ServerKind.KAFKA);
      long pidBefore = kafka.pid();
      kafka.kill();
      assertFalse(kafka.isRunning());
      // Sent while the broker is down, on a thread of its own: send() itself may block for the topic's
      // metadata until a broker answers (whether it does depends on the metadata cache's age), so the
      // restart must not wait for it to return.
      AtomicReference<Thread> sending = new AtomicReference<>();
      Future<RecordMetadata> pending = sender.submit(() -> {
        sending.set(Thread.currentThread());
        return producer.send(new ProducerRecord<>(topic, "k", "during-outage")).get();
      });
      // The sender blocks either inside send() (waiting for metadata) or on the delivery: the send is outstanding.
      await("the send is outstanding").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
          .until(() -> sending.get() != null && BLOCKED_STATES.contains(sending.get().getState()));
      assertFalse(pending.isDone(), "nothing is delivered while the broker is down");
      kafka.start();
      assertNotEquals(pidBefore, kafka.pid(), "a new broker process");
      pending.get(120, TimeUnit.SECONDS);
      producer.send(new ProducerRecord<>(topic, "k", "after-restart")).get(60, TimeUnit.SECONDS);
    } finally {
      sender.shutdownNow();
    }
    List<String> values = KafkaIT.readAll(KafkaIT.bootstrap(stack), topic, "read_committed", 3);
    assertEquals(List.of("before-crash", "during-outage", "after-restart"), values,
        "nothing lost, nothing duplicated (idempotent producer) across the broker crash");
  }

  @Test
  void cassandraKilledAndRestartedSessionReconnectsAndDataSurvives(LocalStack stack) throws Exception {
    Instant hour = Instant.parse("2001-02-03T04:00:00Z");
    int shard = (int) (System.nanoTime() & 0xffff);
    UUID id = Uuids.timeBased();
    try (CqlSession session = CassandraIT.session(stack)) {
      PreparedStatement insert = session.prepare("INSERT INTO activity.employee_activity (ingest_hour, shard,"
          + " activity_id, employee_id, activity_type, event_time) VALUES (?, ?, ?, ?, ?, ?)");
      PreparedStatement read = session.prepare("SELECT employee_id FROM activity.employee_activity"
          + " WHERE ingest_hour = ? AND shard = ? AND activity_id = ?");
      session.execute(insert.bind(hour, shard, id, 7L, "login", hour));

      ManagedServer cassandra = stack.server(ServerKind.CASSANDRA);
      cassandra.kill();
      assertFalse(cassandra.isRunning());
      cassandra.start();
      assertTrue(cassandra.isRunning());

      // The session made before the crash reconnects by itself (driver reconnection policy).
      await("the pre-crash session reads the pre-crash row").atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
          .until(() -> session.execute(read.bind(hour, shard, id)).one().getLong(0) == 7L);
    }
  }
}
