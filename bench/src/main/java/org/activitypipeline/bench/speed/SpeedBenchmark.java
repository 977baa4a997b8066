package org.activitypipeline.bench.speed;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.activitypipeline.bench.processor.BenchInput;
import org.activitypipeline.bench.report.LoadAverage;
import org.activitypipeline.common.topic.Topics;
import org.activitypipeline.localstack.LocalStack;
import org.activitypipeline.localstack.ServerKind;
import org.activitypipeline.localstack.StackPorts;
import org.apache.kafka.clients.producer.KafkaProducer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench speed}: the speed-layer processor side by side with the tools people would pick
 * instead, in one run on one broker (docs/BENCHMARKS.md, "Speed layer vs Kafka Streams"):
 * <ol>
 *   <li>throughput: the raw transactional copy, the processor and the Kafka Streams peer in
 *       alternating runs over the same pre-written input, each verified before its speed counts;
 *   <li>equality: both implementations over an input without late uploads must give the same windows;
 *   <li>latency: event → aggregate update of both at the same fixed input rate;
 *   <li>backlog: both from empty state over 48 h of already-written input; late events vs the truth;
 *   <li>scaling: the processor with 1, 2 and 4 threads, CPU seconds per million events.
 * </ol>
 * It starts its own Kafka broker; the report goes to stdout and {@code --report}, charts to
 * {@code --charts-dir}.
 */
@Command(name = "speed", mixinStandardHelpOptions = true,
    description = "Speed layer vs Kafka Streams vs a raw transactional copy: throughput, equality, latency,"
        + " backlog replay, scaling.")
public final class SpeedBenchmark implements Callable<Integer> {
  /** The parts of the benchmark, in the order they run. */
  enum Part { THROUGHPUT, EQUALITY, LATENCY, BACKLOG, SCALING }

  @Option(names = "--parts", split = ",", defaultValue = "throughput,equality,latency,backlog,scaling",
      description = "Parts to run (default: all): ${DEFAULT-VALUE}.")
  List<String> parts;
  @Option(names = "--records", defaultValue = "1000000", description = "Activities of the throughput input (default ${DEFAULT-VALUE}).")
  int records;
  @Option(names = "--employees", defaultValue = "2000", description = "Employees (default ${DEFAULT-VALUE}).")
  int employees;
  @Option(names = "--pairs", defaultValue = "3", description = "Alternating rounds of copy, processor, Streams variants (default ${DEFAULT-VALUE}).")
  int pairs;
  @Option(names = "--threads", defaultValue = "1", description = "Threads of the processor and of the Streams peer (default ${DEFAULT-VALUE}).")
  int threads;
  @Option(names = "--commit-interval-ms", defaultValue = "100", description = "Commit interval of both (default ${DEFAULT-VALUE}, the processor's default).")
  long commitIntervalMs;
  @Option(names = "--grace-minutes", defaultValue = "10", description = "Window grace of both (default ${DEFAULT-VALUE}, the processor's default).")
  long graceMinutes;
  @Option(names = "--equality-records", defaultValue = "120000", description = "Activities of the live equality input (default ${DEFAULT-VALUE}).")
  int equalityRecords;
  @Option(names = "--equality-rate", defaultValue = "2000", description = "Its write rate, events/s (default ${DEFAULT-VALUE}).")
  double equalityRate;
  @Option(names = "--latency-rates", split = ",", defaultValue = "auto",
      description = "Input rates of the latency runs, events/s; 'auto' is half the median throughput of the first"
          + " Streams variant (default ${DEFAULT-VALUE}).")
  List<String> latencyRates;
  @Option(names = "--latency-seconds", defaultValue = "30", description = "Length of each latency run (default ${DEFAULT-VALUE}).")
  int latencySeconds;

  @Option(names = "--latency-warmup-seconds", defaultValue = "15",
      description = "Writing at the rate before each latency run's measured part; those events are reported apart (default ${DEFAULT-VALUE}).")
  int latencyWarmupSeconds;
  @Option(names = "--backlog-records", defaultValue = "1000000", description = "Activities of the backlog input (default ${DEFAULT-VALUE}).")
  int backlogRecords;
  @Option(names = "--backlog-hours", defaultValue = "48", description = "Write-time span of the backlog input (default ${DEFAULT-VALUE}).")
  double backlogHours;
  @Option(names = "--scaling-threads", split = ",", defaultValue = "1,2,4", description = "Processor thread counts (default ${DEFAULT-VALUE}).")
  List<Integer> scalingThreads;
  @Option(names = "--scaling-rounds", defaultValue = "3", description = "Runs per thread count (default ${DEFAULT-VALUE}).")
  int scalingRounds;
  @Option(names = "--streams-variants", split = ",", defaultValue = "defaults,one-batch-per-fetch",
      description = "Streams peer configurations in the throughput and backlog parts (default ${DEFAULT-VALUE}).")
  List<String> streamsVariants;
  @Option(names = "--streams-stores", defaultValue = "memory",
      description = "State stores of the Streams peer: memory (like the processor) or rocksdb (Streams' default).")
  String streamsStores;
  @Option(names = "--streams-property", description = "KEY=VALUE set on the Streams peer last (repeatable; an"
      + " experiment, reported with the settings).")
  java.util.Map<String, String> streamsProperties = new java.util.LinkedHashMap<>();
  @Option(names = "--port-offset", defaultValue = "7000", description = "Local stack port offset (default ${DEFAULT-VALUE}).")
  int portOffset;
  @Option(names = "--data-dir", defaultValue = "target/speed-stack", description = "Broker data and Streams state (wiped).")
  Path dataDir;
  @Option(names = "--charts-dir", defaultValue = "docs/img", description = "Where the PNG charts go; 'none' for no charts.")
  String chartsDir;
  @Option(names = "--report", defaultValue = "target/speed-report.md", description = "The markdown report (also on stdout).")
  Path reportFile;

  static final String SHARED_EMPLOYEES = "bench.processed-employees";
  private static final String CDC_EMPLOYEES = "bench.cdc.employees";
  private static final String CDC_DEPARTMENTS = "bench.cdc.departments";

  @Override
  public Integer call() throws Exception {
    Set<Part> selected = selectedParts();
    if (!streamsStores.equals("memory") && !streamsStores.equals("rocksdb")) {
      throw new IllegalArgumentException("--streams-stores must be memory or rocksdb, was " + streamsStores);
    }
    deleteRecursively(dataDir);
    String loadBefore = LoadAverage.now();
    try (LocalStack stack = LocalStack.create(dataDir.toAbsolutePath().resolve("stack"),
        StackPorts.defaults().shiftedBy(portOffset))) {
      stack.start(EnumSet.of(ServerKind.KAFKA));
      try (BenchKafka kafka = new BenchKafka(stack.connectionProperties().get("kafka.bootstrap.servers"))) {
        return run(kafka, selected, loadBefore);
      }
    }
  }

  private int run(BenchKafka kafka, Set<Part> selected, String loadBefore) throws Exception {
    Duration grace = Duration.ofMinutes(graceMinutes);
    List<Contenders.StreamsVariant> variants = streamsVariants.stream()
        .map(v -> Contenders.StreamsVariant.valueOf(v.trim().toUpperCase(Locale.ROOT).replace('-', '_'))).toList();
    Contenders contenders = new Contenders(kafka, new Contenders.Shared(CDC_EMPLOYEES, CDC_DEPARTMENTS,
        SHARED_EMPLOYEES, Duration.ofMillis(commitIntervalMs), grace, streamsStores.equals("memory"),
        streamsProperties, dataDir.toAbsolutePath().resolve("streams-state")));
    prepareEmployees(kafka, contenders);
    LoadAverage load = new LoadAverage();
    Runner runner = new Runner(kafka, contenders, load);
    long now = System.currentTimeMillis();
    long twelveHoursAgo = now - Duration.ofHours(12).toMillis();

    Input main = null;
    References mainRef = null;
    if (selected.contains(Part.THROUGHPUT) || selected.contains(Part.SCALING)) {
      main = write(kafka, "bench.raw-activities", records, twelveHoursAgo, 20, 42, grace, true);
      mainRef = new References(main);
    }
    ThroughputPart.Result tput = null;
    if (selected.contains(Part.THROUGHPUT)) {
      tput = ThroughputPart.run(runner, main, mainRef, pairs, threads, variants);
    }
    EqualityPart.Result equality = null;
    if (selected.contains(Part.EQUALITY)) {
      equality = EqualityPart.run(runner, kafka, equalityRecords, equalityRate, employees, grace.toMillis(), threads);
    }
    List<LatencyPart.Result> latency = new ArrayList<>();
    if (selected.contains(Part.LATENCY)) {
      for (String r : latencyRates) {
        double rate = r.equals("auto") ? tput != null ? Stats.of(tput.streams(0)).median() / 2 : 0 : Double.parseDouble(r);
        if (rate <= 0) {
          throw new IllegalArgumentException("--latency-rates auto needs the throughput part; give a rate instead");
        }
        latency.add(new LatencyPart(kafka, employees, latencyWarmupSeconds).run(contenders, rate, latencySeconds, threads,
            latency.size() + 1));
        load.sample();
      }
    }
    BacklogPart.Result backlog = null;
    if (selected.contains(Part.BACKLOG)) {
      long span = (long) (backlogHours * 3_600_000);
      Input b = write(kafka, "bench.backlog-raw", backlogRecords, now - span - Duration.ofHours(1).toMillis(),
          (double) span / backlogRecords, 44, grace, true);
      backlog = BacklogPart.run(runner, b, backlogHours, threads, variants);
    }
    ScalingPart.Result scaling = null;
    if (selected.contains(Part.SCALING)) {
      scaling = ScalingPart.run(runner, main, mainRef, scalingThreads, scalingRounds);
    }
    String loadAfter = LoadAverage.now();
    report(main, tput, equality, latency, backlog, scaling, loadBefore, loadAfter, load);
    return backlog != null && backlog.processorError() != null ? 1 : 0;
  }

  private void report(Input main, ThroughputPart.Result tput, EqualityPart.Result equality,
                      List<LatencyPart.Result> latency, BacklogPart.Result backlog, ScalingPart.Result scaling,
                      String loadBefore, String loadAfter, LoadAverage during) throws Exception {
    String machine = String.format("%d cores, %s %s, Java %s, %s", Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"),
        memory());
    String settings = String.format("commit interval %d ms and grace %d min for both; %d thread(s) each;"
        + " exactly_once_v2 for Streams; Streams stores: %s; Streams variants: %s; one Kafka broker (local stack),"
        + " everything on this machine%s.", commitIntervalMs, graceMinutes, threads, streamsStores, streamsVariants,
        streamsProperties.isEmpty() ? "" : "; Streams peer overrides: " + streamsProperties);
    Report r = new Report().header(machine, loadBefore, loadAfter, during, settings);
    if (main != null) {
      r.input("Throughput input", main, String.format("event times over %.1f h, one write every 20 ms",
          (main.lastWriteMillis - main.firstWriteMillis) / 3.6e6));
    }
    if (tput != null) {
      r.throughput(tput);
    }
    if (equality != null) {
      r.input("Equality input", equality.input(), String.format("written live at %,.0f events/s while both ran,"
          + " no late uploads", equality.rate()));
      r.equality(equality);
    }
    latency.forEach(r::latency);
    if (backlog != null) {
      r.input("Backlog input", backlog.input(), String.format("written over %.0f h", backlog.hours()));
      r.backlog(backlog);
    }
    if (scaling != null) {
      r.scaling(scaling);
    }
    if (!chartsDir.equals("none")) {
      Charts c = new Charts(Path.of(chartsDir));
      String sub = String.format("%d cores, load average %s (1-min, at the end of each run)",
          Runtime.getRuntime().availableProcessors(), during);
      List<Path> written = new ArrayList<>();
      if (tput != null) {
        written.add(c.throughput(tput, sub));
      }
      if (!latency.isEmpty()) {
        written.add(c.latency(latency, sub));
      }
      if (backlog != null) {
        written.add(c.backlog(backlog, sub));
      }
      if (scaling != null) {
        written.add(c.scaling(scaling, sub));
      }
      r.line("Charts: %s", String.join(", ", written.stream().map(Path::toString).toList()));
    }
    String text = r.text();
    if (reportFile.getParent() != null) {
      Files.createDirectories(reportFile.getParent());
    }
    Files.writeString(reportFile, text, StandardCharsets.UTF_8);
    System.out.println();
    System.out.println(text);
  }

  private Input write(BenchKafka kafka, String topic, int n, long firstWriteMillis, double stepMillis, long seed,
                      Duration grace, boolean lateUploads) throws Exception {
    kafka.create(BenchKafka.topic(topic, Topics.RAW_ACTIVITIES.partitions(), false));
    long t0 = System.nanoTime();
    Input in;
    try (KafkaProducer<byte[], byte[]> p = kafka.producer()) {
      in = Input.write(p, topic, Topics.RAW_ACTIVITIES.partitions(), n, firstWriteMillis, stepMillis, employees, seed,
          grace.toMillis(), lateUploads);
    }
    System.err.printf("input %s: %,d activities (~%d bytes) written in %.1f s; truly late per partition: hourly %,d,"
        + " daily %,d; global: hourly %,d, daily %,d%n", topic, n, in.averageBytes(), (System.nanoTime() - t0) / 1e9,
        in.lateHourlyByPartition.cardinality(), in.lateDailyByPartition.cardinality(),
        in.lateHourlyGlobal.cardinality(), in.lateDailyGlobal.cardinality());
    return in;
  }

  /**
   * Departments and employees as Debezium events, turned once into a processed-employees topic by a
   * processor over an empty activity topic: every run then starts with all employees known (as a
   * running pipeline does), and the Streams peer's GlobalKTable reads the same topic.
   */
  private void prepareEmployees(BenchKafka kafka, Contenders contenders) throws Exception {
    kafka.create(BenchKafka.topic(CDC_EMPLOYEES, 3, false), BenchKafka.topic(CDC_DEPARTMENTS, 1, false),
        BenchKafka.topic(SHARED_EMPLOYEES, Topics.PROCESSED_EMPLOYEES.partitions(), true),
        BenchKafka.topic("bench.warmup-raw", 6, false));
    try (KafkaProducer<byte[], byte[]> p = kafka.producer()) {
      BenchInput.writeEmployees(p, CDC_DEPARTMENTS, CDC_EMPLOYEES, employees);
    }
    try (Contender c = contenders.processor("warmup", "bench.warmup-raw", 1)) {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (kafka.latest(SHARED_EMPLOYEES).size() < employees) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("employees did not reach " + SHARED_EMPLOYEES);
        }
        Thread.sleep(500);
      }
    }
  }

  private Set<Part> selectedParts() {
    Set<Part> s = EnumSet.noneOf(Part.class);
    for (String p : parts) {
      try {
        s.add(Part.valueOf(p.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--parts: unknown part '" + p + "'; known: " + EnumSet.allOf(Part.class));
      }
    }
    return s;
  }

  private static String memory() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (l.startsWith("MemTotal:")) {
          return Math.round(Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0) + " GB RAM";
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return "RAM unknown";
  }

  private static void deleteRecursively(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
