package org.activitypipeline.batch.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.activitypipeline.batch.testing.BatchLayerProcess;
import org.activitypipeline.common.event.Activity;
import org.activitypipeline.common.event.EnrichedActivity;
import org.activitypipeline.common.event.HourCompleteness;
import org.activitypipeline.common.json.JsonCodec;
import org.activitypipeline.common.source.ActivityRow;
import org.activitypipeline.common.source.RawActivities;
import org.activitypipeline.common.time.ActivityBuckets;
import org.activitypipeline.common.topic.TopicReadiness;
import org.activitypipeline.localstack.LocalStack;
import org.activitypipeline.localstack.ServerKind;
import org.activitypipeline.localstack.junit.WithLocalStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The reconciliation against real Cassandra, Kafka and Hudi on HDFS (PostgreSQL for the ingest's locks), run through the batch layer's
 * JAR ({@code run-once reconcile}): an ingest hour whose rows the poller sent only in part (two
 * invalid rows among them, one it dead-lettered), with part of it in Hudi, a record in Kafka that
 * Cassandra does not have, and a reconciliation run that crashed with its transaction open. The
 * repairs must be exactly the rows missing from Kafka, sent once over two runs; the hour's record
 * must count what each system holds, computed here from what the test wrote. No hour is checked before
 * every shard's poller watermark has passed it.
 */
@WithLocalStack({ServerKind.POSTGRES, ServerKind.KAFKA, ServerKind.CASSANDRA, ServerKind.HDFS})
class ReconcileIT {
  final String run = "rc" + System.currentTimeMillis() % 1_000_000;
  final String raw = run + "-raw-activities";
  final String dlq = run + "-dlq";
  final String processed = run + "-processed-activities";
  final String pollerState = run + "-poller-state";
  final String completeness = run + "-activity-completeness";
  final String txn = run + "-reconcile";
  String bootstrap;

  @Test
  void missingRowsAreRepairedOnceAndEveryHourCountsWhatEachSystemHolds(LocalStack stack) throws Exception {
    Map<String, String> props = stack.connectionProperties();
    bootstrap = props.get("kafka.bootstrap.servers");
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      TopicReadiness.create(admin, List.of(new NewTopic(raw, 3, (short) 1), new NewTopic(dlq, 1, (short) 1),
          new NewTopic(processed, 2, (short) 1), new NewTopic(pollerState, 1, (short) 1),
          new NewTopic(completeness, 1, (short) 1)), Duration.ofMinutes(1));
    }
    // A closed hour: three hours back, rows one second apart from its start (write time = the id's time).
    Instant hour = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.HOURS);
    List<UUID> sentByPoller = new ArrayList<>();
    List<UUID> missing = new ArrayList<>();
    List<UUID> inHudi = new ArrayList<>();
    UUID invalidSent;
    UUID invalidMissing;
    RawActivities records = new RawActivities(raw, dlq, "activity.employee_activity");
    try (CqlSession cassandra = cassandra(props.get("cassandra.contact.points"));
         KafkaProducer<byte[], byte[]> producer = producer(bootstrap, null)) {
      PreparedStatement insert = cassandra.prepare("INSERT INTO activity.employee_activity (ingest_hour, shard,"
          + " activity_id, employee_id, activity_type, device_type, os, ip, location, duration_seconds, event_time,"
          + " metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      long t = hour.toEpochMilli() + 1_000;
      for (int i = 0; i < 30; i++) {
        UUID id = Uuids.startOf(t + i * 1_000L);
        // event times a little before the write, some the day before (a late upload near midnight)
        Instant event = Instant.ofEpochMilli(t + i * 1_000L).minus(i % 5 == 0 ? 2 : 0, ChronoUnit.DAYS);
        write(cassandra, insert, id, (long) (i % 7 + 1), event, 30 + i);
        if (i < 20) {
          sentByPoller.add(id);
          producer.send(records.record(activity(id, i % 7 + 1, event, 30 + i)));
          if (i % 2 == 0) {
            inHudi.add(id);
            producer.send(new ProducerRecord<>(processed, key(i % 7 + 1), JsonCodec.of(EnrichedActivity.class,
                EnrichedActivity.SCHEMA_VERSION).encode(new EnrichedActivity(EnrichedActivity.SCHEMA_VERSION,
                activity(id, i % 7 + 1, event, 30 + i), true, 1L, "Sales", "Clerk", "Berlin", "active",
                Instant.now()))));
          }
        } else {
          missing.add(id);
        }
      }
      invalidSent = Uuids.startOf(t + 40_000);
      write(cassandra, insert, invalidSent, null, Instant.ofEpochMilli(t + 40_000), 5); // no employee_id
      invalidMissing = Uuids.startOf(t + 41_000);
      write(cassandra, insert, invalidMissing, 3L, Instant.ofEpochMilli(t + 41_000), -5); // negative duration
      producer.send(records.deadLetter(ActivityRow.of(invalidSent, null, "login", "laptop", "linux", "10.0.0.1",
          "Berlin", 5, Instant.ofEpochMilli(t + 40_000), Map.of())));
      // In Kafka for this hour, not in Cassandra (a row deleted, or gone with its TTL).
      UUID gone = Uuids.startOf(t + 50_000);
      producer.send(records.record(activity(gone, 2, Instant.ofEpochMilli(t + 50_000), 9)));
      // A row of a later hour, beyond the poller's watermark: never checked, never repaired.
      UUID open = Uuids.startOf(Instant.now().toEpochMilli() - 1_000);
      write(cassandra, insert, open, 4L, Instant.now(), 12);
      // The pollers' watermarks, one per shard: all past the hour but shard 7, which is only half way
      // into it (its owner died; the group has not handed it on yet). A record of the single poller of old
      // (keyed by its transactional id) is far ahead and must not count once shards have their own.
      for (int shard = 0; shard < ActivityBuckets.DEFAULT_SHARDS; shard++) {
        pollerWatermark(producer, "shard-" + shard, shard == 7 ? hour.plusSeconds(1800)
            : Instant.now().minusSeconds(600));
      }
      pollerWatermark(producer, "activity-poller-0", Instant.now());
      producer.flush();
    }
    Path dir = Path.of("target", "it", run).toAbsolutePath();
    Map<String, String> config = new HashMap<>();
    config.put("kafka.bootstrap.servers", bootstrap);
    config.put("topic.raw-activities", raw);
    config.put("topic.dlq", dlq);
    config.put("topic.processed-activities", processed);
    config.put("topic.processed-employees", run + "-none");
    config.put("topic.processed-departments", run + "-none");
    config.put("topic.poller-state", pollerState);
    config.put("topic.activity-completeness", completeness);
    config.put("reconcile.transactional-id", txn);
    config.put("reconcile.lookback", "4h");
    config.put("cassandra.contact.point", props.get("cassandra.contact.points"));
    config.put("lakehouse.path", props.get("hdfs.uri") + "/" + run + "/lakehouse");
    config.put("hadoop.dfs.replication", "1");
    config.put("metrics.port", "0");
    config.put("quartz.jdbc.url", props.get("postgres.jdbc.url")); // the ingest's table locks
    config.put("quartz.jdbc.user", props.get("postgres.user"));
    config.put("quartz.jdbc.password", props.get("postgres.password"));
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      TopicReadiness.create(admin, List.of(new NewTopic(run + "-none", 1, (short) 1)), Duration.ofMinutes(1));
    }
    runOnce(dir, config, "ingest");

    String waiting = runOnce(dir, config, "reconcile");
    assertEquals(null, latest(completeness).get(HourCompleteness.key(hour)), "shard 7 has not passed the hour: "
        + waiting);
    assertEquals(new TreeSet<String>(), repairedIds(raw), "nothing is repaired while a shard may still send it");
    try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap, null)) {
      pollerWatermark(producer, "shard-7", Instant.now().minusSeconds(600)); // taken over, caught up
    }

    // A run that crashed in its transaction: a repair and a record claiming it, never committed.
    UUID phantom = missing.get(0);
    KafkaProducer<byte[], byte[]> crashed = producer(bootstrap, txn);
    crashed.initTransactions();
    crashed.beginTransaction();
    crashed.send(records.record(activity(phantom, 1, hour, 1)));
    crashed.send(new ProducerRecord<>(completeness, HourCompleteness.key(hour).getBytes(StandardCharsets.UTF_8),
        new HourCompleteness(hour, Instant.now(), 1, 0, 0, 1, 0, 0, 0, List.of(phantom.toString())).toJson()));
    crashed.flush(); // left open, as by kill -9: the next run's initTransactions aborts it

    String first = runOnce(dir, config, "reconcile");
    crashed.close(Duration.ZERO);
    TreeSet<String> expectedRepairs = new TreeSet<>();
    missing.forEach(id -> expectedRepairs.add(id.toString()));
    assertEquals(expectedRepairs, repairedIds(raw), "exactly the valid rows the poller never sent were sent, once:\n"
        + first);
    assertEquals(List.of(invalidMissing.toString()), List.copyOf(repairedIds(dlq)),
        "the invalid row the poller never saw is dead-lettered by the reconciliation");

    HourCompleteness h = latest(completeness).get(HourCompleteness.key(hour));
    assertEquals(32, h.sourceRows(), "rows in Cassandra: " + h);
    assertEquals(2, h.rejected(), "two invalid rows: " + h);
    assertEquals(21, h.inKafka(), "20 activities and one dead letter the poller sent: " + h);
    assertEquals(11, h.repaired(), "10 valid rows and one invalid row repaired: " + h);
    assertEquals(0, h.unrepaired(), h.toString());
    assertEquals(inHudi.size(), h.inHudi(), "the ingested half of the poller's rows: " + h);
    assertEquals(30 - inHudi.size(), h.notInHudi(), h.toString());
    assertEquals(1, h.notInSource(), "the record Cassandra does not have: " + h);
    Instant openHour = ActivityBuckets.ingestHour(Instant.now());
    assertTrue(latest(completeness).keySet().stream().map(Instant::parse).allMatch(x -> x.isBefore(openHour)),
        "no hour the poller has not passed is checked: " + latest(completeness).keySet());

    // Checked again: nothing more is sent, the counts stand.
    runOnce(dir, config, "reconcile");
    assertEquals(expectedRepairs, repairedIds(raw), "a second run repairs nothing again");
    assertEquals(1, repairedIds(dlq).size(), "a second run dead-letters nothing again");
    HourCompleteness again = latest(completeness).get(HourCompleteness.key(hour));
    assertEquals(h.repaired(), again.repaired());
    assertEquals(h.repairedIds(), again.repairedIds());
    assertTrue(again.checkedAt().isAfter(h.checkedAt()), "the hour was checked again");
  }

  private void pollerWatermark(KafkaProducer<byte[], byte[]> producer, String key, Instant watermark) {
    producer.send(new ProducerRecord<>(pollerState, key.getBytes(StandardCharsets.UTF_8),
        ("{\"schema_version\":1,\"watermark_ms\":" + watermark.toEpochMilli() + ",\"updated_at\":\"" + Instant.now()
            + "\"}").getBytes(StandardCharsets.UTF_8)));
  }

  private static String runOnce(Path dir, Map<String, String> config, String job) throws Exception {
    try (BatchLayerProcess p = new BatchLayerProcess(dir, job, config, "run-once", job)) {
      int code = p.runToEnd(300);
      assertEquals(0, code, job + " failed:\n" + p.logTail());
      return p.logTail();
    }
  }

  private static Activity activity(UUID id, long employee, Instant event, int duration) {
    return new Activity(Activity.SCHEMA_VERSION, id.toString(), employee, "email", "laptop", "linux", "10.0.0.1",
        "Berlin", duration, event, Instant.ofEpochMilli(ActivityBuckets.writeTimeMillis(id)), Map.of());
  }

  private static void write(CqlSession cassandra, PreparedStatement insert, UUID id, Long employee, Instant event,
                            int duration) {
    Instant written = Instant.ofEpochMilli(ActivityBuckets.writeTimeMillis(id));
    cassandra.execute(insert.bind(ActivityBuckets.ingestHour(written), ActivityBuckets.shardOf(id,
        ActivityBuckets.DEFAULT_SHARDS), id, employee, "login", "laptop", "linux", "10.0.0.1", "Berlin", duration,
        event, Map.of()));
  }

  private static byte[] key(long employee) {
    return Long.toString(employee).getBytes(StandardCharsets.UTF_8);
  }

  /** Ids of the committed records of {@code topic} that the reconciliation sent. */
  private TreeSet<String> repairedIds(String topic) {
    TreeSet<String> ids = new TreeSet<>();
    for (ConsumerRecord<byte[], byte[]> r : readAll(topic)) {
      if (r.headers().lastHeader(RawActivities.REPAIRED_BY_HEADER) != null) {
        ids.add(new String(r.headers().lastHeader(RawActivities.ACTIVITY_ID_HEADER).value(), StandardCharsets.UTF_8));
      }
    }
    return ids;
  }

  private Map<String, HourCompleteness> latest(String topic) {
    Map<String, HourCompleteness> out = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : readAll(topic)) {
      out.put(new String(r.key(), StandardCharsets.UTF_8), HourCompleteness.fromJson(r.value()));
    }
    return out;
  }

  private List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
        "isolation.level", "read_committed"),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps = c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition()))
          .toList();
      c.assign(tps);
      c.seekToBeginning(tps);
      Map<TopicPartition, Long> end = c.endOffsets(tps);
      while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  private KafkaProducer<byte[], byte[]> producer(String bootstrap, String transactionalId) {
    Map<String, Object> p = new HashMap<>(Map.of("bootstrap.servers", bootstrap, "linger.ms", 5));
    if (transactionalId != null) {
      p.put("transactional.id", transactionalId);
    }
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static CqlSession cassandra(String contactPoint) {
    String[] hp = contactPoint.split(":");
    return CqlSession.builder().addContactPoint(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])))
        .withLocalDatacenter("datacenter1").build();
  }
}
