package org.activitypipeline.batch.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.activitypipeline.batch.ingest.IngestJob;
import org.activitypipeline.batch.ingest.IngestSettings;
import org.activitypipeline.batch.lock.TableLocks;
import org.activitypipeline.batch.testing.BatchScenario;
import org.activitypipeline.common.event.EnrichedActivity;
import org.activitypipeline.common.json.JsonCodec;
import org.activitypipeline.common.topic.TopicReadiness;
import org.activitypipeline.lakehouse.Tables;
import org.activitypipeline.lakehouse.hudi.HudiSettings;
import org.activitypipeline.lakehouse.hudi.HudiTable;
import org.activitypipeline.localstack.LocalStack;
import org.activitypipeline.localstack.ServerKind;
import org.activitypipeline.localstack.junit.WithLocalStack;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Small files on real HDFS: 20 small ingests leave one file per commit in the date's partition;
 * clustering rewrites them into a few files near the target size holding exactly the same
 * records, while another ingest into the same table runs at the same time and loses nothing.
 */
@WithLocalStack({ServerKind.POSTGRES, ServerKind.KAFKA, ServerKind.HDFS})
class ClusteringIT {

  static final long TARGET = 1L << 20;

  @Test
  void twentySmallIngestsBecomeAFewFilesNearTheTargetSize(LocalStack stack) throws Exception {
    Map<String, String> props = stack.connectionProperties();
    String run = "cl" + System.currentTimeMillis() % 1_000_000;
    String topic = run + "-processed-activities";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", props.get("kafka.bootstrap.servers")))) {
      TopicReadiness.create(admin, List.of(new NewTopic(topic, 3, (short) 1), new NewTopic(run + "-employees", 1,
          (short) 1), new NewTopic(run + "-departments", 1, (short) 1), new NewTopic(run + "-dlq", 1, (short) 1)),
          Duration.ofMinutes(1));
    }
    HudiSettings hudi = new HudiSettings(props.get("hdfs.uri") + "/" + run + "/lakehouse", Map.of("dfs.replication", "1"),
        128L << 20, 0, 256, TARGET, TARGET / 2, 10, 20, 30);
    IngestSettings ingest = new IngestSettings(Map.of("bootstrap.servers", props.get("kafka.bootstrap.servers")),
        run + "-employees", run + "-departments", topic, run + "-dlq", run, 50_000, Duration.ofSeconds(60));
    TableLocks locks = new TableLocks(props.get("postgres.jdbc.url"), props.get("postgres.user"),
        props.get("postgres.password"), Duration.ofMinutes(5));
    IngestJob job = new IngestJob(ingest, hudi, locks, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    BatchScenario scenario = new BatchScenario(7);
    HudiTable table = new HudiTable(Tables.EMPLOYEE_ACTIVITY, hudi);
    String partition = "event_date=" + BatchScenario.DAY0.toString().substring(0, 10);

    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
        Map.of("bootstrap.servers", props.get("kafka.bootstrap.servers")), new ByteArraySerializer(),
        new ByteArraySerializer())) {
      for (int i = 0; i < 20; i++) {
        send(producer, topic, scenario.activities(2_000, 0, 1, 100, "s" + i + "-"));
        job.run();
      }
      List<HudiTable.DataFile> before = table.latestFiles(partition);
      assertTrue(before.size() >= 20, "one new file per small ingest, was " + before.size());
      long totalBytes = before.stream().mapToLong(HudiTable.DataFile::sizeBytes).sum();

      // Clustering and one more ingest into the same table at the same time.
      CompletableFuture<String> clustering = CompletableFuture.supplyAsync(() -> new ClusteringJob(hudi, locks).run());
      send(producer, topic, scenario.activities(2_000, 0, 1, 100, "during-"));
      String ingestDuring = job.run();
      String clustered = clustering.get();
      assertTrue(clustered.contains("employee_activity@"), clustered);
      assertTrue(ingestDuring.contains("employee_activity=") , ingestDuring);
      job.run(); // whatever the concurrent ingest found already clustered-away or not yet there

      List<HudiTable.DataFile> after = table.latestFiles(partition);
      System.out.printf("clustering: %d files, %d bytes before -> %d files %s after (target %d)%n", before.size(),
          totalBytes, after.size(), after.stream().map(HudiTable.DataFile::sizeBytes).sorted().toList(), TARGET);
      long expectedFiles = (totalBytes + TARGET - 1) / TARGET;
      assertTrue(after.size() <= expectedFiles + 2, "few files after clustering: " + after.size()
          + " for " + totalBytes + " bytes with a target of " + TARGET + ": " + after);
      long nearTarget = after.stream().filter(f -> f.sizeBytes() >= TARGET / 2).count();
      assertTrue(nearTarget >= Math.min(after.size() - 2, expectedFiles - 1),
          "all but the remainders are near the target size: " + after);
    }
    Set<String> ids = new HashSet<>();
    for (GenericRecord r : table.readAll()) {
      assertTrue(ids.add(r.get("activity_id").toString()), "duplicate " + r.get("activity_id"));
    }
    assertEquals(scenario.distinctActivities().keySet(), ids, "the same records after clustering");
  }

  /** Sends the batch and checks every record arrived: input lost on the way would look like lost output. */
  private static void send(KafkaProducer<byte[], byte[]> producer, String topic, List<EnrichedActivity> batch)
      throws Exception {
    JsonCodec<EnrichedActivity> codec = JsonCodec.of(EnrichedActivity.class, EnrichedActivity.SCHEMA_VERSION);
    List<Future<RecordMetadata>> sent = new ArrayList<>(batch.size());
    for (EnrichedActivity e : batch) {
      sent.add(producer.send(new ProducerRecord<>(topic,
          Long.toString(e.activity().employeeId()).getBytes(StandardCharsets.UTF_8), codec.encode(e))));
    }
    for (Future<RecordMetadata> f : sent) {
      f.get();
    }
  }
}
