package org.activitypipeline.bench.batch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.activitypipeline.batch.ingest.ActivityRows;
import org.activitypipeline.batch.ingest.IngestJob;
import org.activitypipeline.batch.ingest.IngestSettings;
import org.activitypipeline.batch.lock.TableLocks;
import org.activitypipeline.batch.maintenance.ClusteringJob;
import org.activitypipeline.bench.report.LoadAverage;
import org.activitypipeline.common.event.Activity;
import org.activitypipeline.common.event.EnrichedActivity;
import org.activitypipeline.common.json.JsonCodec;
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
 * {@code bench batch}: the batch layer's Kafka → Hudi ingest on real HDFS beside the Hudi Java
 * client's own bulk insert of the same records (the write-speed limit), alternating runs into fresh
 * tables; then small files: many small ingests, their file count and sizes per partition, and a
 * clustering run (time, files and sizes after). Every run is verified (each activity exactly once)
 * before its speed counts.
 */
@Command(name = "batch", mixinStandardHelpOptions = true,
    description = "Batch-layer ingest vs the Hudi Java client's bulk insert, and small files before/after clustering.")
public final class BatchBenchmark implements Callable<Integer> {
  @Option(names = "--records", defaultValue = "200000", description = "Activities in the input topic (default ${DEFAULT-VALUE}).")
  int records;
  @Option(names = "--commit-records", defaultValue = "50000",
      description = "ingest.batch.max-records of the ingest runs (default ${DEFAULT-VALUE}, the shipped default).")
  int commitRecords;
  @Option(names = "--pairs", defaultValue = "2", description = "Ingest/bulk-insert run pairs (default ${DEFAULT-VALUE}).")
  int pairs;
  @Option(names = "--small-ingests", defaultValue = "25", description = "Small ingests before clustering (default ${DEFAULT-VALUE}).")
  int smallIngests;
  @Option(names = "--small-records", defaultValue = "4000", description = "Activities per small ingest (default ${DEFAULT-VALUE}).")
  int smallRecords;
  @Option(names = "--target-file-mb", defaultValue = "4",
      description = "clustering.target-file-bytes in MiB for the small-file run (default ${DEFAULT-VALUE}).")
  int targetFileMb;
  @Option(names = "--port-offset", defaultValue = "7000", description = "Local stack port offset (default ${DEFAULT-VALUE}).")
  int portOffset;
  @Option(names = "--data-dir", defaultValue = "target/bench-batch-stack", description = "Local stack data (wiped).")
  Path dataDir;
  @Option(names = "--charts-dir", defaultValue = "docs/img",
      description = "Where the PNG charts go (default ${DEFAULT-VALUE}); 'none' for no charts.")
  String chartsDir;

  private static final JsonCodec<EnrichedActivity> CODEC =
      JsonCodec.of(EnrichedActivity.class, EnrichedActivity.SCHEMA_VERSION);
  private static final String[] TYPES = {"login", "logout", "email", "meeting", "file_access", "code_commit",
      "chat_message", "vpn_connect", "print_job"};
  private static final String[] DEVICES = {"laptop", "desktop", "mobile", "tablet"};
  private static final Instant DAY0 = Instant.parse("2026-11-20T00:00:00Z");

  private Map<String, String> props;
  private final LoadAverage load = new LoadAverage();

  @Override
  public Integer call() throws Exception {
    deleteRecursively(dataDir);
    try (LocalStack stack = LocalStack.create(dataDir.toAbsolutePath(), StackPorts.defaults().shiftedBy(portOffset))) {
      stack.start(EnumSet.of(ServerKind.POSTGRES, ServerKind.KAFKA, ServerKind.HDFS));
      props = stack.connectionProperties();
      return run();
    }
  }

  private int run() throws Exception {
    String loadBefore = LoadAverage.now();
    String topic = "bench.processed-activities";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka()))) {
      TopicReadiness.create(admin, List.of(new NewTopic(topic, 6, (short) 1),
          new NewTopic("bench.small-activities", 6, (short) 1), new NewTopic("bench.employees", 1, (short) 1),
          new NewTopic("bench.departments", 1, (short) 1), new NewTopic("bench.dlq", 1, (short) 1)),
          Duration.ofMinutes(1));
    }
    SplittableRandom random = new SplittableRandom(42);
    long bytes = write(topic, 0, records, random);
    System.err.printf("input: %,d enriched activities (avg %d bytes) over 3 event dates%n", records, bytes / records);
    TableLocks locks = new TableLocks(props.get("postgres.jdbc.url"), props.get("postgres.user"),
        props.get("postgres.password"), Duration.ofMinutes(5));
    List<GenericRecord> rows = rows(topic);

    List<Double> ingest = new ArrayList<>();
    List<Double> bulk = new ArrayList<>();
    for (int pair = 1; pair <= pairs; pair++) {
      HudiSettings a = settings("ingest-" + pair, 128);
      long t0 = System.nanoTime();
      String summary = new IngestJob(ingestSettings(topic, "ingest-" + pair), a, locks,
          new io.micrometer.core.instrument.simple.SimpleMeterRegistry()).run();
      double ingestSeconds = (System.nanoTime() - t0) / 1e9;
      verify(new HudiTable(Tables.EMPLOYEE_ACTIVITY, a), records, "ingest " + pair + " (" + summary + ")");
      ingest.add(records / ingestSeconds);
      load.sample();

      HudiSettings b = settings("bulk-" + pair, 128);
      HudiTable bulkTable = new HudiTable(Tables.EMPLOYEE_ACTIVITY, b);
      t0 = System.nanoTime();
      bulkTable.bulkInsert(ActivityRows.SCHEMA, rows);
      double bulkSeconds = (System.nanoTime() - t0) / 1e9;
      verify(bulkTable, records, "bulk insert " + pair);
      bulk.add(records / bulkSeconds);
      load.sample();
      System.err.printf("pair %d: ingest %,.0f records/s (%.1f s), bulk insert %,.0f records/s (%.1f s)%n", pair,
          ingest.get(pair - 1), ingestSeconds, bulk.get(pair - 1), bulkSeconds);
    }

    SmallFiles small = smallFiles(locks, random);
    report(bytes / records, ingest, bulk, small, loadBefore);
    return 0;
  }

  /** Files of one partition: count and sizes (bytes, ascending). */
  record FileStats(int files, List<Long> sizes) {
    static FileStats of(HudiTable t, String partition) {
      List<Long> sizes = t.latestFiles(partition).stream().map(HudiTable.DataFile::sizeBytes).sorted().toList();
      return new FileStats(sizes.size(), sizes);
    }

    String describe() {
      if (sizes.isEmpty()) {
        return "0 files";
      }
      long total = sizes.stream().mapToLong(Long::longValue).sum();
      return String.format("%d file%s, %.2f MiB in all; min %.0f KiB, median %.0f KiB, max %.0f KiB", files,
          files == 1 ? "" : "s",
          total / 1048576.0, sizes.get(0) / 1024.0, sizes.get(sizes.size() / 2) / 1024.0,
          sizes.get(sizes.size() - 1) / 1024.0);
    }
  }

  record SmallFiles(int ingests, int recordsEach, String partition, FileStats before, FileStats after,
                    double clusteringSeconds, double ingestSecondsMedian, long targetBytes) {}

  private SmallFiles smallFiles(TableLocks locks, SplittableRandom random) throws Exception {
    HudiSettings s = new HudiSettings(props.get("hdfs.uri") + "/bench/small", Map.of("dfs.replication", "1"),
        128L << 20, 0, 256, (long) targetFileMb << 20, ((long) targetFileMb << 20) / 2, 50, 60, 80);
    IngestJob job = new IngestJob(ingestSettings("bench.small-activities", "small"), s, locks,
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    List<Double> seconds = new ArrayList<>();
    for (int i = 0; i < smallIngests; i++) {
      write("bench.small-activities", (long) records + (long) i * smallRecords, smallRecords, random);
      long t0 = System.nanoTime();
      job.run();
      seconds.add((System.nanoTime() - t0) / 1e9);
    }
    HudiTable table = new HudiTable(Tables.EMPLOYEE_ACTIVITY, s);
    String partition = table.partitionPath(DAY0.toString().substring(0, 10));
    FileStats before = FileStats.of(table, partition);
    Set<String> idsBefore = ids(table);
    long t0 = System.nanoTime();
    String clustered = new ClusteringJob(s, locks).run();
    double clusterSeconds = (System.nanoTime() - t0) / 1e9;
    load.sample();
    System.err.println("clustering: " + clustered);
    FileStats after = FileStats.of(table, partition);
    Set<String> idsAfter = ids(table);
    if (!idsAfter.equals(idsBefore) || idsBefore.size() != smallIngests * smallRecords) {
      throw new IllegalStateException("clustering changed the records: " + idsBefore.size() + " before, "
          + idsAfter.size() + " after, " + (smallIngests * smallRecords) + " written");
    }
    seconds.sort(null);
    return new SmallFiles(smallIngests, smallRecords, partition, before, after, clusterSeconds,
        seconds.get(seconds.size() / 2), (long) targetFileMb << 20);
  }

  private static Set<String> ids(HudiTable table) {
    Set<String> ids = new HashSet<>();
    for (GenericRecord r : table.readAll()) {
      if (!ids.add(r.get("activity_id").toString())) {
        throw new IllegalStateException("duplicate activity " + r.get("activity_id"));
      }
    }
    return ids;
  }

  private static void verify(HudiTable table, int expected, String what) {
    int n = ids(table).size();
    if (n != expected) {
      throw new IllegalStateException(what + ": " + n + " distinct activities in the table, " + expected + " written");
    }
  }

  private HudiSettings settings(String name, int clusterTargetMb) {
    return new HudiSettings(props.get("hdfs.uri") + "/bench/" + name, Map.of("dfs.replication", "1"), 128L << 20, 0,
        256, (long) clusterTargetMb << 20, (long) clusterTargetMb << 19, 10, 20, 30);
  }

  private IngestSettings ingestSettings(String topic, String group) {
    return new IngestSettings(Map.of("bootstrap.servers", kafka()), "bench.employees", "bench.departments", topic,
        "bench.dlq", "bench-" + group, commitRecords, Duration.ofSeconds(60));
  }

  private String kafka() {
    return props.get("kafka.bootstrap.servers");
  }

  /** Writes {@code n} enriched activities with ids from {@code first}, spread over three event dates. */
  private long write(String topic, long first, int n, SplittableRandom r) {
    long bytes = 0;
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", kafka(), "linger.ms", 20,
        "batch.size", 256 * 1024, "compression.type", "lz4"), new ByteArraySerializer(), new ByteArraySerializer())) {
      for (long i = first; i < first + n; i++) {
        long employee = 1 + r.nextInt(2000);
        // The small-file run writes one date only, so its one partition collects every small file.
        Instant at = DAY0.plusMillis(topic.contains("small") ? r.nextLong(86_400_000L) : r.nextLong(3 * 86_400_000L));
        Activity a = new Activity(1, "a-" + i, employee, TYPES[r.nextInt(TYPES.length)],
            DEVICES[r.nextInt(DEVICES.length)], "linux", "10.1." + r.nextInt(256) + "." + r.nextInt(256), "Berlin",
            1 + r.nextInt(3600), at, at.plusMillis(r.nextInt(30_000)), Map.of("app", "bench"));
        byte[] value = CODEC.encode(new EnrichedActivity(1, a, true, (long) (employee % 12), "dept-" + (employee % 12),
            "Engineer", "Berlin", "active", at.plusSeconds(60)));
        bytes += value.length;
        p.send(new ProducerRecord<>(topic, Long.toString(employee).getBytes(StandardCharsets.UTF_8), value));
      }
      p.flush();
    }
    return bytes;
  }

  /** The topic's records as the rows the ingest would write (for the bulk insert, outside its timing). */
  private List<GenericRecord> rows(String topic) {
    ActivityRows convert = new ActivityRows();
    List<GenericRecord> out = new ArrayList<>(records);
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka(),
        "max.poll.records", 5000), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = c.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      while (out.size() < records) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          out.add(convert.toRow(r));
        }
      }
    }
    return out;
  }

  private void report(long avgBytes, List<Double> ingest, List<Double> bulk, SmallFiles s, String loadBefore)
      throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("## Batch layer (bench batch)\n\n");
    sb.append(String.format("%,d enriched activities (avg %d bytes of JSON) over 3 event dates, Kafka -> Hudi"
        + " COPY_ON_WRITE on HDFS (one NameNode + one DataNode), %d pairs, ingest commits of up to %,d records.%n%n",
        records, avgBytes, pairs, commitRecords));
    sb.append("| run | records/s min | median | max |\n|---|---|---|---|\n");
    sb.append(row("batch-layer ingest (Kafka read + JSON + upsert, offsets in the commit)", ingest));
    sb.append(row("Hudi Java client bulk insert (rows prepared in memory)", bulk));
    sb.append(String.format("%nIngest / bulk insert: median %.0f %%.%n%n", 100 * median(ingest) / median(bulk)));
    sb.append(String.format("Small files: %d ingests of %,d activities into one date (median %.1f s each);"
        + " partition `%s`:%n%n", s.ingests(), s.recordsEach(), s.ingestSecondsMedian(), s.partition()));
    sb.append("| | latest file slices |\n|---|---|\n");
    sb.append("| before clustering | ").append(s.before().describe()).append(" |\n");
    sb.append(String.format("| after clustering (target %d MiB, %.1f s) | %s |%n", s.targetBytes() >> 20,
        s.clusteringSeconds(), s.after().describe()));
    sb.append("\nThe same activity ids before and after clustering (checked).\n");
    int cores = Runtime.getRuntime().availableProcessors();
    sb.append(String.format("%nMachine: %d cores; load average %s before, 1-minute load %s.%n", cores, loadBefore,
        load));
    if (!chartsDir.equals("none")) {
      BatchCharts charts = new BatchCharts(Path.of(chartsDir));
      String sub = String.format("%d cores, 1-minute load average %s", cores, load);
      sb.append(String.format("%nCharts: %s, %s%n", charts.ingest(ingest, bulk, records, sub),
          charts.smallFiles(s, sub)));
    }
    System.out.println(sb);
  }

  private static String row(String name, List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    s.sort(null);
    return String.format("| %s | %,.0f | %,.0f | %,.0f |%n", name, s.get(0), median(v), s.get(s.size() - 1));
  }

  static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    s.sort(null);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (java.nio.file.Files.exists(dir)) {
      try (var paths = java.nio.file.Files.walk(dir)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          java.nio.file.Files.delete(p);
        }
      }
    }
  }
}
