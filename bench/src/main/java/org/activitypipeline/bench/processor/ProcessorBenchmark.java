package org.activitypipeline.bench.processor;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.activitypipeline.common.topic.CleanupPolicy;
import org.activitypipeline.common.topic.TopicReadiness;
import org.activitypipeline.common.topic.TopicSpec;
import org.activitypipeline.common.topic.Topics;
import org.activitypipeline.localstack.LocalStack;
import org.activitypipeline.localstack.ServerKind;
import org.activitypipeline.localstack.StackPorts;
import org.activitypipeline.speed.processor.Processor;
import org.activitypipeline.speed.processor.ProcessorConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench processor}: the stream processor's sustained throughput (enrichment + both windowed
 * aggregations, exactly once) beside the raw limit (a transactional consume → produce copy of the
 * same records with the same transaction settings), in alternating runs on one broker, each from a
 * cold start over the same pre-written input; then event → aggregate-update latency at half the
 * processor's median throughput. Each pair runs the processor twice, with the default allowed lateness
 * (24 h: windows stay open for a day) and with 10 minutes, reporting the state it holds at the end
 * (open windows, {@code processor.state.entries}) and the heap after a full GC. Every processor run is verified (each activity exactly once in
 * processed-activities; the hourly aggregates plus the hourly-late activities account for every
 * activity) before its speed counts.
 */
@Command(name = "processor", mixinStandardHelpOptions = true,
    description = "Processor throughput vs a raw transactional copy, and aggregate-update latency.")
public final class ProcessorBenchmark implements Callable<Integer> {
  @Option(names = "--records", defaultValue = "1000000", description = "Input activities (default ${DEFAULT-VALUE}).")
  int records;
  @Option(names = "--employees", defaultValue = "2000", description = "Employees (default ${DEFAULT-VALUE}).")
  int employees;
  @Option(names = "--pairs", defaultValue = "3", description = "Copy/processor run pairs (default ${DEFAULT-VALUE}).")
  int pairs;
  @Option(names = "--threads", defaultValue = "1", description = "Processor threads (default ${DEFAULT-VALUE}).")
  int threads;
  @Option(names = "--latency-rate", defaultValue = "0",
      description = "Input rate of the latency run, events/s (default: half the processor's median throughput).")
  double latencyRate;
  @Option(names = "--latency-seconds", defaultValue = "30", description = "Length of the latency run (default ${DEFAULT-VALUE}).")
  int latencySeconds;
  @Option(names = "--port-offset", defaultValue = "7000", description = "Local stack port offset (default ${DEFAULT-VALUE}).")
  int portOffset;
  @Option(names = "--data-dir", defaultValue = "target/bench-stack", description = "Local stack data (wiped).")
  Path dataDir;

  private static final String SHARED_EMPLOYEES = "bench.processed-employees";
  /** The default allowed lateness beside a short one: what holding a day of windows costs. */
  private static final Duration DEFAULT_LATENESS = Duration.ofHours(24);
  private static final Duration SHORT_LATENESS = Duration.ofMinutes(10);

  /** One processor run: its throughput, and the state and heap it held once caught up. */
  record ProcessorRun(double rate, double stateEntries, long heapBytes) {
  }
  private static final Duration TOPIC_TIMEOUT = Duration.ofMinutes(1);

  private String bootstrap;

  @Override
  public Integer call() throws Exception {
    deleteRecursively(dataDir);
    try (LocalStack stack = LocalStack.create(dataDir.toAbsolutePath(), StackPorts.defaults().shiftedBy(portOffset))) {
      stack.start(EnumSet.of(ServerKind.KAFKA));
      bootstrap = stack.connectionProperties().get("kafka.bootstrap.servers");
      return run();
    }
  }

  private int run() throws Exception {
    String cdcEmployees = "bench.cdc.employees";
    String cdcDepartments = "bench.cdc.departments";
    String raw = "bench.raw-activities";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      TopicReadiness.create(admin, List.of(new NewTopic(cdcEmployees, 3, (short) 1),
          new NewTopic(cdcDepartments, 1, (short) 1), new NewTopic(raw, 6, (short) 1)), TOPIC_TIMEOUT);
      long bytes;
      long t0 = System.nanoTime();
      try (KafkaProducer<byte[], byte[]> p = producer()) {
        BenchInput.writeEmployees(p, cdcDepartments, cdcEmployees, employees);
        SplittableRandom r = new SplittableRandom(42);
        long start = System.currentTimeMillis() - Duration.ofHours(12).toMillis();
        bytes = 0;
        for (long i = 0; i < records; i++) {
          var rec = BenchInput.activity(raw, i, start + i * 20, employees, r, true);
          bytes += rec.value().length;
          p.send(rec);
        }
        p.flush();
      }
      System.err.printf("input: %,d activities (avg %d bytes) written in %.1f s%n", records, bytes / records,
          (System.nanoTime() - t0) / 1e9);
      warmUpEmployees(admin, cdcEmployees, cdcDepartments);
      List<Double> copy = new ArrayList<>();
      List<Double> proc = new ArrayList<>();
      List<ProcessorRun> dayLong = new ArrayList<>();
      List<ProcessorRun> short10 = new ArrayList<>();
      try (OffsetProgress progress = new OffsetProgress(admin, bootstrap)) {
        for (int pair = 1; pair <= pairs; pair++) {
          copy.add(runCopy(admin, progress, raw, pair));
          dayLong.add(runProcessor(admin, progress, cdcEmployees, cdcDepartments, raw, "tput" + pair,
              DEFAULT_LATENESS));
          proc.add(dayLong.get(pair - 1).rate());
          short10.add(runProcessor(admin, progress, cdcEmployees, cdcDepartments, raw, "short" + pair,
              SHORT_LATENESS));
          System.err.printf("pair %d: copy %,.0f/s, processor %,.0f/s (lateness 10m: %,.0f/s)%n", pair,
              copy.get(pair - 1), proc.get(pair - 1), short10.get(pair - 1).rate());
        }
      }
      if (latencyRate <= 0 && proc.isEmpty()) {
        throw new IllegalArgumentException("--pairs 0 needs --latency-rate");
      }
      double rate = latencyRate > 0 ? latencyRate : median(proc) / 2;
      Latency lat = runLatency(admin, cdcEmployees, cdcDepartments, rate);
      report(bytes / records, copy, proc, rate, lat);
      if (!dayLong.isEmpty()) {
        reportLateness(dayLong, short10);
      }
      return 0;
    }
  }

  private double runCopy(Admin admin, OffsetProgress progress, String raw, int pair) throws Exception {
    String out = "bench.copy-" + pair;
    TopicReadiness.create(admin, List.of(new NewTopic(out, 6, (short) 1)), TOPIC_TIMEOUT);
    String group = "bench-copy-" + pair;
    TransactionalCopy copy = new TransactionalCopy(bootstrap, raw, out, group, Duration.ofMillis(100));
    Thread t = new Thread(copy, "copy");
    t.start();
    double rate = measure(progress, group, List.of(raw), List.of());
    copy.stop();
    t.join();
    if (copy.copied() != records) {
      throw new IllegalStateException("copy moved " + copy.copied() + " records, expected " + records);
    }
    return rate;
  }

  private ProcessorRun runProcessor(Admin admin, OffsetProgress progress, String cdcEmployees, String cdcDepartments,
                                    String raw, String run, Duration lateness) throws Exception {
    Map<String, String> outputs = createOutputs(admin, run);
    // No cdc runs here (the employees are seeded on the cdc topics once): no progress would ever come,
    // so the enricher would hold each partition for enrich.cdc-wait before going on. bench freshness
    // measures the alignment on the whole pipeline.
    Map<String, String> extra = Map.of("window.allowed-lateness", lateness.toMinutes() + "m", "enrich.cdc-wait", "0s");
    ProcessorConfig cfg = config(run, cdcEmployees, cdcDepartments, raw, outputs, extra);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ProcessorRun result;
    try (Processor p = Processor.start(cfg, registry)) {
      double rate = measure(progress, cfg.applicationId(), List.of(raw), List.of(cfg.topics().windowPartials()));
      double state = registry.get("processor.state.entries").gauge().value();
      result = new ProcessorRun(rate, state, heapAfterGc());
    }
    verify(outputs);
    return result;
  }

  /** Heap in use after a full collection (the bench's own buffers are gone by then; indicative only). */
  private static long heapAfterGc() {
    System.gc();
    return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Records/s between the group's first commit and the moment it has committed everything. */
  private double measure(OffsetProgress progress, String group, List<String> input, List<String> internal)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
    long first = 0;
    while (System.nanoTime() < deadline) {
      if (first == 0 && progress.committed(group, input) > 0) {
        first = System.nanoTime();
      }
      if (first != 0 && progress.caughtUp(group, input, 0) && (internal.isEmpty()
          || progress.caughtUp(group, internal, 1))) {
        return records / ((System.nanoTime() - first) / 1e9);
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(group + " did not finish within 20 minutes");
  }

  private void verify(Map<String, String> outputs) {
    long processed = 0;
    java.util.BitSet seen = new java.util.BitSet(records);
    for (ConsumerRecord<byte[], byte[]> r : readAll(outputs.get(Topics.PROCESSED_ACTIVITIES.name()))) {
      String v = new String(r.value(), StandardCharsets.UTF_8);
      int at = v.indexOf("\"activity_id\":\"") + 15;
      long seq = Long.parseLong(v.substring(at, at + 8) + v.substring(at + 24, at + 36), 16);
      if (seen.get((int) seq)) {
        throw new IllegalStateException("activity " + seq + " twice in processed-activities");
      }
      seen.set((int) seq);
      processed++;
    }
    Map<String, Long> hourly = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : readAll(outputs.get(Topics.HOURLY_ACTIVITY_AGGREGATIONS.name()))) {
      String v = new String(r.value(), StandardCharsets.UTF_8);
      int at = v.indexOf("\"event_count\":") + 14;
      hourly.put(new String(r.key(), StandardCharsets.UTF_8), Long.parseLong(v.substring(at, v.indexOf(',', at))));
    }
    long lateHourly = 0;
    for (ConsumerRecord<byte[], byte[]> r : readAll(outputs.get(Topics.LATE_ACTIVITIES.name()))) {
      if (new String(r.headers().lastHeader("late.windows").value(), StandardCharsets.UTF_8).contains("hourly")) {
        lateHourly++;
      }
    }
    long inWindows = hourly.values().stream().mapToLong(Long::longValue).sum();
    if (processed != records || inWindows + lateHourly != records) {
      throw new IllegalStateException("wrong output: processed=" + processed + " hourly=" + inWindows + " late_hourly="
          + lateHourly + " of " + records);
    }
    System.err.printf("verified: %,d processed once each, %,d in %d hourly windows + %,d late%n", processed,
        inWindows, hourly.size(), lateHourly);
  }

  private Latency runLatency(Admin admin, String cdcEmployees, String cdcDepartments, double rate) throws Exception {
    String raw = "bench.latency-raw";
    TopicReadiness.create(admin, List.of(new NewTopic(raw, 6, (short) 1)), TOPIC_TIMEOUT);
    Map<String, String> outputs = createOutputs(admin, "latency");
    ProcessorConfig cfg = config("latency", cdcEmployees, cdcDepartments, raw, outputs);
    try (Processor p = Processor.start(cfg, new SimpleMeterRegistry());
        LatencyProbe probe = LatencyProbe.start(bootstrap, outputs.get(Topics.HOURLY_ACTIVITY_AGGREGATIONS.name()));
        KafkaProducer<byte[], byte[]> producer = producer()) {
      Thread.sleep(5_000); // group formed, employees loaded
      SplittableRandom r = new SplittableRandom(7);
      long total = (long) (rate * latencySeconds);
      long t0 = System.nanoTime();
      for (long i = 0; i < total; i++) {
        long due = t0 + (long) (i / rate * 1e9);
        long wait = due - System.nanoTime();
        if (wait > 1_000_000) {
          Thread.sleep(wait / 1_000_000);
        }
        var rec = BenchInput.activity(raw, i, System.currentTimeMillis(), employees, r, false);
        probe.sent(rec, BenchInput.DEPARTMENTS);
        producer.send(rec);
      }
      producer.flush();
      return probe.awaitAll(total, Duration.ofMinutes(2));
    }
  }

  /**
   * Every measured run shares one processed-employees topic, filled once here by a processor over an
   * empty activity topic: each run then starts with all employees known (as a running pipeline does)
   * instead of parking its first activities until the employees are through.
   */
  private void warmUpEmployees(Admin admin, String cdcEmployees, String cdcDepartments) throws Exception {
    TopicReadiness.create(admin, List.of(new NewTopic(SHARED_EMPLOYEES, Topics.PROCESSED_EMPLOYEES.partitions(),
        (short) 1).configs(Map.of("cleanup.policy", "compact")), new NewTopic("bench.warmup-raw", 6, (short) 1)),
        TOPIC_TIMEOUT);
    Map<String, String> outputs = createOutputs(admin, "warmup");
    ProcessorConfig cfg = config("warmup", cdcEmployees, cdcDepartments, "bench.warmup-raw", outputs);
    try (Processor p = Processor.start(cfg, new SimpleMeterRegistry())) {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (readAll(SHARED_EMPLOYEES).stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).distinct()
          .count() < employees) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("employees did not reach " + SHARED_EMPLOYEES);
        }
        Thread.sleep(500);
      }
    }
  }

  private Map<String, String> createOutputs(Admin admin, String run) throws Exception {
    Map<String, String> names = new LinkedHashMap<>();
    names.put(Topics.PROCESSED_EMPLOYEES.name(), SHARED_EMPLOYEES);
    List<NewTopic> create = new ArrayList<>();
    for (TopicSpec spec : List.of(Topics.PROCESSED_DEPARTMENTS, Topics.PROCESSED_ACTIVITIES,
        Topics.HOURLY_ACTIVITY_AGGREGATIONS, Topics.DAILY_DEVICE_AGGREGATIONS, Topics.LATE_ACTIVITIES,
        Topics.PIPELINE_DLQ)) {
      String name = "bench." + run + "." + spec.name();
      names.put(spec.name(), name);
      NewTopic nt = new NewTopic(name, spec.partitions(), (short) 1);
      if (spec.cleanupPolicy() == CleanupPolicy.COMPACT) {
        nt.configs(Map.of("cleanup.policy", "compact"));
      }
      create.add(nt);
    }
    TopicReadiness.create(admin, create, TOPIC_TIMEOUT);
    return names;
  }

  private ProcessorConfig config(String run, String cdcEmployees, String cdcDepartments, String raw,
                                 Map<String, String> outputs) {
    return config(run, cdcEmployees, cdcDepartments, raw, outputs, Map.of());
  }

  private ProcessorConfig config(String run, String cdcEmployees, String cdcDepartments, String raw,
                                 Map<String, String> outputs, Map<String, String> extra) {
    Map<String, String> c = new HashMap<>();
    c.put("kafka.bootstrap.servers", bootstrap);
    c.put("application.id", "bench-" + run);
    c.put("threads", Integer.toString(threads));
    c.put("topic.cdc-employees", cdcEmployees);
    c.put("topic.cdc-departments", cdcDepartments);
    c.put("topic.raw-activities", raw);
    c.put("topic.processed-employees", outputs.get(Topics.PROCESSED_EMPLOYEES.name()));
    c.put("topic.processed-departments", outputs.get(Topics.PROCESSED_DEPARTMENTS.name()));
    c.put("topic.processed-activities", outputs.get(Topics.PROCESSED_ACTIVITIES.name()));
    c.put("topic.hourly-activity-aggregations", outputs.get(Topics.HOURLY_ACTIVITY_AGGREGATIONS.name()));
    c.put("topic.daily-device-aggregations", outputs.get(Topics.DAILY_DEVICE_AGGREGATIONS.name()));
    c.put("topic.late-activities", outputs.get(Topics.LATE_ACTIVITIES.name()));
    c.put("topic.dlq", outputs.get(Topics.PIPELINE_DLQ.name()));
    c.put("metrics.port", "0");
    c.putAll(extra);
    return ProcessorConfig.from(ProcessorConfig.DEF.parse(c));
  }

  private List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> parts = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition()))
          .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private void report(long avgBytes, List<Double> copy, List<Double> proc, double rate, Latency lat) {
    StringBuilder sb = new StringBuilder();
    if (!proc.isEmpty()) {
      sb.append(String.format("%n### Processor throughput (%,d activities of ~%d bytes, 6 partitions, %d processor"
          + " thread(s), %d cores)%n%n", records, avgBytes, threads, Runtime.getRuntime().availableProcessors()));
      sb.append("| run | events/s min | median | max |\n|---|---|---|---|\n");
      sb.append(row("raw transactional copy", copy)).append(row("processor (enrich + hourly + daily, EOS)", proc));
      sb.append(String.format("%nProcessor / raw copy (medians): **%.0f %%**; per pair: %s%n", 100 * median(proc)
          / median(copy), pairRatios(copy, proc)));
    }
    sb.append(String.format("%n### Event → aggregate update at %,.0f events/s%s (load generator in the same JVM)%n%n"
        + "| events | p50 ms | p99 ms | max ms |%n|---|---|---|---|%n| %,d | %d | %d | %d |%n", rate,
        latencyRate > 0 ? "" : " (half the processor's median)", lat.count(), lat.p50(), lat.p99(), lat.max()));
    System.out.println(sb);
  }

  private void reportLateness(List<ProcessorRun> dayLong, List<ProcessorRun> short10) {
    StringBuilder sb = new StringBuilder(String.format("%n### Allowed lateness 24 h (default) beside 10 min, same"
        + " pairs%n%n| allowed lateness | events/s min | median | max | state entries at the end | heap after GC, MiB"
        + " (median) |%n|---|---|---|---|---|---|%n"));
    for (var e : List.of(Map.entry("24 h", dayLong), Map.entry("10 min", short10))) {
      List<Double> rates = e.getValue().stream().map(ProcessorRun::rate).toList();
      List<Double> heap = e.getValue().stream().map(r -> r.heapBytes() / 1048576.0).toList();
      List<Double> state = e.getValue().stream().map(ProcessorRun::stateEntries).toList();
      List<Double> sorted = rates.stream().sorted().toList();
      sb.append(String.format("| %s | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f |%n", e.getKey(), sorted.get(0),
          median(rates), sorted.get(sorted.size() - 1), median(state), median(heap)));
    }
    List<String> ratios = new ArrayList<>();
    for (int i = 0; i < dayLong.size(); i++) {
      ratios.add(String.format("%.0f %%", 100 * dayLong.get(i).rate() / short10.get(i).rate()));
    }
    sb.append(String.format("%n24 h / 10 min throughput per pair: %s%n", String.join(", ", ratios)));
    System.out.println(sb);
  }

  private static String pairRatios(List<Double> copy, List<Double> proc) {
    List<String> r = new ArrayList<>();
    for (int i = 0; i < copy.size(); i++) {
      r.add(String.format("%.0f %%", 100 * proc.get(i) / copy.get(i)));
    }
    return String.join(", ", r);
  }

  private static String row(String name, List<Double> v) {
    List<Double> s = v.stream().sorted().toList();
    return String.format("| %s | %,.0f | %,.0f | %,.0f |%n", name, s.get(0), median(v), s.get(s.size() - 1));
  }

  static double median(List<Double> v) {
    List<Double> s = v.stream().sorted().toList();
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  private static void deleteRecursively(Path dir) throws java.io.IOException {
    if (!java.nio.file.Files.exists(dir)) {
      return;
    }
    try (var paths = java.nio.file.Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        java.nio.file.Files.deleteIfExists(p);
      }
    }
  }

  /** Event → aggregate-update latencies of one run, in milliseconds. */
  public record Latency(long count, long p50, long p99, long max) {
  }
}
