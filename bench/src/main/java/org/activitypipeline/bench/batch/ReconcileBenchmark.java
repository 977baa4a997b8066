package org.activitypipeline.bench.batch;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.activitypipeline.batch.ingest.ActivityRows;
import org.activitypipeline.batch.reconcile.ReconcileJob;
import org.activitypipeline.batch.reconcile.ReconcileSettings;
import org.activitypipeline.common.source.CassandraSecurity;
import org.activitypipeline.bench.report.LoadAverage;
import org.activitypipeline.common.event.Activity;
import org.activitypipeline.common.event.EnrichedActivity;
import org.activitypipeline.common.event.HourCompleteness;
import org.activitypipeline.common.json.JsonCodec;
import org.activitypipeline.common.source.RawActivities;
import org.activitypipeline.common.time.ActivityBuckets;
import org.activitypipeline.common.topic.TopicReadiness;
import org.activitypipeline.lakehouse.Tables;
import org.activitypipeline.lakehouse.hudi.HudiSettings;
import org.activitypipeline.lakehouse.hudi.HudiTable;
import org.activitypipeline.localstack.LocalStack;
import org.activitypipeline.localstack.ServerKind;
import org.activitypipeline.localstack.StackPorts;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench reconcile}: what one check of one ingest hour costs, for hours of different sizes side
 * by side (runs alternate between them), split by system: the Cassandra partitions of the hour, the
 * stretch of raw-activities, the Hudi key lookup in an event-date partition that holds {@code
 * --day-factor} hours like it, and the transaction. The first run of each hour repairs the rows left
 * out of Kafka (checked); later runs repair nothing (checked).
 */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
    description = "Cost of the reconciliation of one ingest hour against Cassandra, Kafka and Hudi.")
public final class ReconcileBenchmark implements Callable<Integer> {
  @Option(names = "--rows", split = ",", defaultValue = "20000,80000",
      description = "Rows per ingest hour, one hour per value (default ${DEFAULT-VALUE}).")
  List<Integer> rows;
  @Option(names = "--runs", defaultValue = "3", description = "Checks of each hour (default ${DEFAULT-VALUE}).")
  int runs;
  @Option(names = "--day-factor", defaultValue = "24",
      description = "The Hudi partition holds this many hours of rows (default ${DEFAULT-VALUE}: a day).")
  int dayFactor;
  @Option(names = "--port-offset", defaultValue = "7200", description = "Local stack port offset (default ${DEFAULT-VALUE}).")
  int portOffset;
  @Option(names = "--data-dir", defaultValue = "target/bench-reconcile-stack", description = "Local stack data (wiped).")
  Path dataDir;

  private static final JsonCodec<EnrichedActivity> ENRICHED =
      JsonCodec.of(EnrichedActivity.class, EnrichedActivity.SCHEMA_VERSION);
  private static final Duration SETTLE = Duration.ofMinutes(10);
  private Map<String, String> props;

  record Hour(int rows, Instant hour, ReconcileSettings settings, HudiSettings hudi, int missing) {}

  record Run(int rows, int run, double total, double cassandra, double kafka, double hudi, double send) {}

  @Override
  public Integer call() throws Exception {
    BatchBenchmark.deleteRecursively(dataDir);
    try (LocalStack stack = LocalStack.create(dataDir.toAbsolutePath(), StackPorts.defaults().shiftedBy(portOffset))) {
      stack.start(EnumSet.of(ServerKind.KAFKA, ServerKind.CASSANDRA, ServerKind.HDFS));
      props = stack.connectionProperties();
      String loadBefore = LoadAverage.now();
      LoadAverage load = new LoadAverage();
      List<Hour> hours = new ArrayList<>();
      Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(3, ChronoUnit.HOURS);
      for (int i = 0; i < rows.size(); i++) {
        hours.add(prepare(i, rows.get(i), base.minus(2L * i, ChronoUnit.HOURS)));
        load.sample();
      }
      List<Run> results = new ArrayList<>();
      for (int r = 1; r <= runs; r++) {
        for (Hour h : hours) {
          results.add(check(h, r));
          load.sample();
        }
      }
      report(results, loadBefore, load);
      return 0;
    }
  }

  private Hour prepare(int index, int n, Instant hour) throws Exception {
    String p = "bench" + index + ".";
    ReconcileSettings settings = new ReconcileSettings(Map.of("bootstrap.servers", kafka()),
        props.get("cassandra.contact.points"), "datacenter1", CassandraSecurity.NONE, "activity", "employee_activity",
        DefaultConsistencyLevel.LOCAL_ONE, ActivityBuckets.DEFAULT_SHARDS, 5000, p + "raw-activities", p + "dlq",
        p + "poller-state", p + "completeness", p + "reconcile", SETTLE, Duration.ofHours(1), 20_000);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka()))) {
      TopicReadiness.create(admin, List.of(new NewTopic(settings.rawActivities(), 6, (short) 1),
          new NewTopic(settings.deadLetters(), 1, (short) 1), new NewTopic(settings.pollerState(), 1, (short) 1),
          new NewTopic(settings.completeness(), 1, (short) 1)), Duration.ofMinutes(1));
    }
    RawActivities records = new RawActivities(settings.rawActivities(), settings.deadLetters(), "activity.employee_activity");
    SplittableRandom random = new SplittableRandom(index);
    int missing = Math.max(1, n / 1000); // one row in a thousand never reached Kafka
    List<GenericRecord> hudiRows = new ArrayList<>(n * dayFactor);
    ActivityRows toRow = new ActivityRows();
    long t0 = System.nanoTime();
    String[] hostPort = settings.contactPoint().split(":");
    try (CqlSession cassandra = CqlSession.builder().addContactPoint(new InetSocketAddress(hostPort[0],
        Integer.parseInt(hostPort[1]))).withLocalDatacenter("datacenter1").build();
         KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka(),
             "linger.ms", 20, "batch.size", 256 * 1024, "compression.type", "lz4"), new ByteArraySerializer(),
             new ByteArraySerializer())) {
      PreparedStatement insert = cassandra.prepare("INSERT INTO activity.employee_activity (ingest_hour, shard,"
          + " activity_id, employee_id, activity_type, device_type, os, ip, location, duration_seconds, event_time,"
          + " metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      Semaphore inFlight = new Semaphore(256);
      long step = Duration.ofHours(1).toMillis() / n;
      for (int k = 0; k < n; k++) {
        long written = hour.toEpochMilli() + k * step;
        UUID id = Uuids.startOf(written);
        long employee = 1 + random.nextInt(5000);
        Instant event = Instant.ofEpochMilli(written - random.nextInt(30_000));
        Activity a = new Activity(Activity.SCHEMA_VERSION, id.toString(), employee, "email", "laptop", "linux",
            "10.0.0.1", "Berlin", 1 + random.nextInt(600), event, Instant.ofEpochMilli(written), Map.of("k", "v"));
        inFlight.acquire();
        cassandra.executeAsync(insert.bind(hour, ActivityBuckets.shardOf(id, ActivityBuckets.DEFAULT_SHARDS), id,
            employee, a.activityType(), a.deviceType(), a.os(), a.ip(), a.location(), a.durationSeconds(), event,
            a.metadata())).whenComplete((rs, e) -> inFlight.release());
        if (k % (n / missing) != 0) {
          producer.send(records.record(a));
          hudiRows.add(toRow.toRow(enriched(settings.rawActivities(), a)));
        }
      }
      inFlight.acquire(256);
      // the next hour's rows follow in the topic, as the poller sends them (in write-time order): the scan
      // reads up to settle into it and filters those out
      for (int k = 0; k < n; k++) {
        long written = hour.toEpochMilli() + 3_600_000 + k * step;
        Instant event = Instant.ofEpochMilli(written - random.nextInt(30_000));
        producer.send(records.record(new Activity(Activity.SCHEMA_VERSION, Uuids.startOf(written).toString(),
            1 + random.nextInt(5000), "email", "laptop", "linux", "10.0.0.1", "Berlin", 5, event,
            Instant.ofEpochMilli(written), Map.of())));
      }
      // the rest of the event date's partition: other hours' rows, not in this hour's Cassandra partitions
      for (long k = 0; k < (long) n * (dayFactor - 1); k++) {
        Instant event = hour.truncatedTo(ChronoUnit.DAYS).plusMillis(random.nextLong(86_400_000L));
        Activity a = new Activity(Activity.SCHEMA_VERSION, UUID.randomUUID().toString(), 1 + random.nextInt(5000),
            "email", "laptop", "linux", "10.0.0.1", "Berlin", 5, event, event, Map.of("k", "v"));
        hudiRows.add(toRow.toRow(enriched(settings.rawActivities(), a)));
      }
      for (int shard = 0; shard < ActivityBuckets.DEFAULT_SHARDS; shard++) {
        producer.send(new ProducerRecord<>(settings.pollerState(), ("shard-" + shard).getBytes(StandardCharsets.UTF_8),
            ("{\"schema_version\":1,\"watermark_ms\":" + hour.plus(1, ChronoUnit.HOURS).plus(SETTLE).plusSeconds(1800)
                .toEpochMilli() + ",\"updated_at\":\"" + Instant.now() + "\"}").getBytes(StandardCharsets.UTF_8)));
      }
    }
    double sourcesSeconds = (System.nanoTime() - t0) / 1e9;
    HudiSettings hudi = new HudiSettings(props.get("hdfs.uri") + "/bench/reconcile-" + index,
        Map.of("dfs.replication", "1"), 128L << 20, 0, 256, 128L << 20, 64L << 20, 10, 20, 30);
    t0 = System.nanoTime();
    new HudiTable(Tables.EMPLOYEE_ACTIVITY, hudi).bulkInsert(ActivityRows.SCHEMA, hudiRows);
    System.err.printf("hour %s: %,d rows in Cassandra and Kafka (%d left out of Kafka) in %.1f s; %,d rows in its"
        + " Hudi partition in %.1f s%n", hour, n, missing, sourcesSeconds, hudiRows.size(),
        (System.nanoTime() - t0) / 1e9);
    return new Hour(n, hour, settings, hudi, missing);
  }

  private static ConsumerRecord<byte[], byte[]> enriched(String topic, Activity a) {
    return new ConsumerRecord<>(topic, 0, 0, null, ENRICHED.encode(new EnrichedActivity(EnrichedActivity.SCHEMA_VERSION,
        a, true, 1L, "Sales", "Clerk", "Berlin", "active", a.ingestTime())));
  }

  private Run check(Hour h, int run) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ReconcileJob job = new ReconcileJob(h.settings(), h.hudi(), Clock.systemUTC(), registry);
    long t0 = System.nanoTime();
    String summary = job.run();
    double total = (System.nanoTime() - t0) / 1e9;
    HourCompleteness record = latest(h.settings().completeness());
    long expectedRepaired = h.missing();
    if (record == null || record.repaired() != expectedRepaired || record.sourceRows() != h.rows()
        || record.inKafka() != h.rows() - h.missing() || record.inHudi() != h.rows() - h.missing()) {
      throw new IllegalStateException("hour " + h.hour() + " run " + run + ": expected " + h.rows() + " rows, "
          + expectedRepaired + " repaired, the rest in Kafka and Hudi; got " + record + " (" + summary + ")");
    }
    if (run > 1 && !summary.contains(" repaired=0 ")) {
      throw new IllegalStateException("run " + run + " repaired again: " + summary);
    }
    Run r = new Run(h.rows(), run, total, seconds(registry, "cassandra"), seconds(registry, "kafka"),
        seconds(registry, "hudi"), seconds(registry, "send"));
    System.err.printf("%,d rows, run %d: %.2f s (cassandra %.2f, kafka %.2f, hudi %.2f, send %.2f)%n", r.rows(), run,
        r.total(), r.cassandra(), r.kafka(), r.hudi(), r.send());
    return r;
  }

  private static double seconds(SimpleMeterRegistry registry, String phase) {
    return registry.get("reconcile_phase").tag("phase", phase).timer().totalTime(TimeUnit.SECONDS);
  }

  private HourCompleteness latest(String topic) {
    HourCompleteness last = null;
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka(),
        "isolation.level", "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp)).get(tp);
      while (c.position(tp) < end) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          last = HourCompleteness.fromJson(r.value());
        }
      }
    }
    return last;
  }

  private void report(List<Run> results, String loadBefore, LoadAverage load) {
    StringBuilder sb = new StringBuilder("## Reconciliation (bench reconcile)\n\n");
    sb.append(String.format("One check of one ingest hour; the Hudi partition of its event date holds %d hours of"
        + " rows like it; %d runs per hour, alternating between the hours.%n%n", dayFactor, runs));
    sb.append("| rows in the hour | run | total s | Cassandra s | Kafka s | Hudi s | send s |\n|---|---|---|---|---|---|---|\n");
    for (Run r : results) {
      sb.append(String.format("| %,d | %d | %.2f | %.2f | %.2f | %.2f | %.2f |%n", r.rows(), r.run(), r.total(),
          r.cassandra(), r.kafka(), r.hudi(), r.send()));
    }
    Map<Integer, List<Double>> totals = new HashMap<>();
    for (Run r : results) {
      if (r.run() > 1) { // the first run also sends the repairs
        totals.computeIfAbsent(r.rows(), k -> new ArrayList<>()).add(r.total());
      }
    }
    if (rows.size() >= 2 && runs >= 2) {
      double small = BatchBenchmark.median(totals.get(rows.get(0)));
      double large = BatchBenchmark.median(totals.get(rows.get(rows.size() - 1)));
      sb.append(String.format("%nMedian of the later runs: %.2f s for %,d rows, %.2f s for %,d rows: %.1fx the time for"
          + " %.1fx the rows.%n", small, rows.get(0), large, rows.get(rows.size() - 1), large / small,
          rows.get(rows.size() - 1) / (double) rows.get(0)));
    }
    sb.append(String.format("%nMachine: %d cores; load average %s before, 1-minute load %s.%n",
        Runtime.getRuntime().availableProcessors(), loadBefore, load));
    System.out.println(sb);
  }

  private String kafka() {
    return props.get("kafka.bootstrap.servers");
  }
}
