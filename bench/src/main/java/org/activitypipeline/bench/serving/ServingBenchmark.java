package org.activitypipeline.bench.serving;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import org.activitypipeline.bench.report.LoadAverage;
import org.activitypipeline.common.event.HourlyActivityAggregate;
import org.activitypipeline.common.json.Json;
import org.activitypipeline.common.json.JsonCodec;
import org.activitypipeline.common.topic.Topics;
import org.activitypipeline.lakehouse.BatchHorizon;
import org.activitypipeline.lakehouse.DailyDeviceAggRow;
import org.activitypipeline.lakehouse.HourlyActivityAggRow;
import org.activitypipeline.lakehouse.Tables;
import org.activitypipeline.lakehouse.hudi.HudiSettings;
import org.activitypipeline.lakehouse.hudi.HudiTable;
import org.activitypipeline.localstack.LocalStack;
import org.activitypipeline.localstack.ServerKind;
import org.activitypipeline.localstack.StackPorts;
import org.activitypipeline.localstack.testing.JarProcess;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench serving}: the serving process ({@code serving.jar}, its own JVM) on loopback over
 * {@code --days} of batch views on HDFS and a day of speed windows in Kafka, with caching on
 * and off in alternating runs: the maximum rate (closed loop) and latency at fixed rates (open
 * loop). Before any number counts, sample answers are checked against the data written.
 */
@Command(name = "serving", mixinStandardHelpOptions = true,
    description = "Serving API requests/s and latency (median, p99) at fixed rates, cached and uncached.")
public final class ServingBenchmark implements Callable<Integer> {
  static final int DEPARTMENTS = 12;
  static final String[] TYPES = {"login", "logout", "email", "meeting", "file_access", "code_commit", "chat_message",
      "vpn_connect", "print_job"};
  static final String[] DEVICES = {"laptop", "desktop", "mobile", "tablet"};

  @Option(names = "--days", defaultValue = "30", description = "Days of batch views (default ${DEFAULT-VALUE}).")
  int days;
  @Option(names = "--rates", defaultValue = "20,100", split = ",",
      description = "Fixed request rates, req/s (default ${DEFAULT-VALUE}).")
  List<Double> rates;
  @Option(names = "--seconds", defaultValue = "20", description = "Length of each fixed-rate run (default ${DEFAULT-VALUE}).")
  int seconds;
  @Option(names = "--rounds", defaultValue = "2", description = "Cached/uncached alternations (default ${DEFAULT-VALUE}).")
  int rounds;
  @Option(names = "--concurrency", defaultValue = "16", description = "Closed-loop requests in flight (default ${DEFAULT-VALUE}).")
  int concurrency;
  @Option(names = "--port-offset", defaultValue = "7000", description = "Local stack port offset (default ${DEFAULT-VALUE}).")
  int portOffset;
  @Option(names = "--serving-jar", defaultValue = "serving/target/serving.jar",
      description = "The serving fat JAR (default ${DEFAULT-VALUE}, from the project root).")
  Path servingJar;
  @Option(names = "--data-dir", defaultValue = "target/bench-serving-stack", description = "Local stack data (wiped).")
  Path dataDir;
  @Option(names = "--charts-dir", defaultValue = "docs/img",
      description = "Where the PNG charts go (default ${DEFAULT-VALUE}); 'none' for no charts.")
  String chartsDir;

  private final Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
  private final Instant horizon = today; // every earlier day is batch, today is speed
  private Map<String, String> props;
  private String lakehouse;

  @Override
  public Integer call() throws Exception {
    deleteRecursively(dataDir);
    try (LocalStack stack = LocalStack.create(dataDir.toAbsolutePath(), StackPorts.defaults().shiftedBy(portOffset))) {
      stack.start(EnumSet.of(ServerKind.KAFKA, ServerKind.HDFS));
      props = stack.connectionProperties();
      lakehouse = props.get("hdfs.uri") + "/bench-serving/lakehouse";
      writeData();
      return run();
    }
  }

  /** Hourly count of a (day, department, type, hour): deterministic, so answers can be checked. */
  static long count(int day, int dept, int type, int hour) {
    return 1 + (day * 7L + dept * 13L + type * 3L + hour) % 50;
  }

  private void writeData() {
    HudiSettings hudi = HudiSettings.forReading(lakehouse, Map.of("dfs.replication", "1"));
    List<GenericRecord> hourly = new ArrayList<>();
    List<GenericRecord> daily = new ArrayList<>();
    for (int day = 1; day <= days; day++) {
      Instant start = today.minus(day, ChronoUnit.DAYS);
      String date = start.toString().substring(0, 10);
      for (int d = 0; d < DEPARTMENTS; d++) {
        for (int t = 0; t < TYPES.length; t++) {
          for (int h = 0; h < 24; h++) {
            long ms = start.plus(h, ChronoUnit.HOURS).toEpochMilli();
            long n = count(day, d, t, h);
            hourly.add(new HourlyActivityAggRow("dept-" + d, TYPES[t], ms, n, Math.min(n, 40), n * 60, ms + 1000,
                ms + 3_000_000, 1, date).toAvro());
          }
        }
      }
      for (String device : DEVICES) {
        daily.add(new DailyDeviceAggRow(device, date, 1000 + day, 300, Map.of("login", 500L + day, "email", 500L), 1)
            .toAvro());
      }
    }
    new HudiTable(Tables.HOURLY_ACTIVITY_AGG, hudi).bulkInsert(Tables.hourlyActivityAgg(), hourly);
    new HudiTable(Tables.DAILY_DEVICE_AGG, hudi).bulkInsert(Tables.dailyDeviceAgg(), daily);
    new BatchHorizon(horizon, Instant.now(), "bench").write(lakehouse, HudiTable.hadoopConf(hudi));
    JsonCodec<HourlyActivityAggregate> codec = JsonCodec.of(HourlyActivityAggregate.class, 1);
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers",
        props.get("kafka.bootstrap.servers"), "linger.ms", 20), new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int d = 0; d < DEPARTMENTS; d++) {
        for (String type : TYPES) {
          for (int h = 0; h < 24; h++) {
            Instant s = today.plus(h, ChronoUnit.HOURS);
            HourlyActivityAggregate a = new HourlyActivityAggregate(1, "dept-" + d, type, s, s.plusSeconds(3600), 7, 3,
                70, 10.0, s, s.plusSeconds(60), false, Instant.now());
            p.send(new ProducerRecord<>(Topics.HOURLY_ACTIVITY_AGGREGATIONS.name(),
                a.key().getBytes(StandardCharsets.UTF_8), codec.encode(a)));
          }
        }
      }
    }
    System.err.printf("data: %,d hourly and %,d daily batch-view rows over %d days, %,d speed windows today%n",
        hourly.size(), daily.size(), days, DEPARTMENTS * TYPES.length * 24);
  }

  /**
   * A query mix of what a client asks: one department's hours of a past day (batch, 216 windows),
   * one department's last 36 hours (batch and speed, 324 windows), two weeks of devices (56 windows).
   */
  private IntFunction<String> queries(String base) {
    SplittableRandom r = new SplittableRandom(7);
    return i -> {
      int kind = r.nextInt(10);
      String dept = "&department=dept-" + r.nextInt(DEPARTMENTS);
      if (kind < 6) {
        Instant day = today.minus(1 + r.nextInt(days), ChronoUnit.DAYS);
        return base + "/api/v1/activity/hourly?from=" + day + "&to=" + day.plus(1, ChronoUnit.DAYS) + dept;
      } else if (kind < 9) {
        return base + "/api/v1/activity/hourly?from=" + today.minus(12, ChronoUnit.HOURS) + "&to="
            + today.plus(24, ChronoUnit.HOURS) + dept;
      }
      LocalDate to = LocalDate.parse(today.toString().substring(0, 10));
      return base + "/api/v1/devices/daily?from=" + to.minusDays(13) + "&to=" + to;
    };
  }

  private int run() throws Exception {
    String loadBefore = LoadAverage.now();
    LoadAverage machineLoad = new LoadAverage();
    Map<String, List<LoadRun.Result>> results = new LinkedHashMap<>();
    for (int round = 1; round <= rounds; round++) {
      for (boolean cached : new boolean[] {true, false}) {
        String mode = cached ? "cached" : "uncached";
        try (JarProcess serving = startServing(mode, round, cached)) {
          String base = "http://127.0.0.1:" + port;
          verify(base);
          LoadRun load = new LoadRun();
          load.closedLoop(queries(base), concurrency, Duration.ofSeconds(5)); // warm-up (JIT, caches)
          LoadRun.Result max = load.closedLoop(queries(base), concurrency, Duration.ofSeconds(seconds));
          machineLoad.sample();
          System.err.println(mode + " round " + round + ": closed loop " + max);
          results.computeIfAbsent(closedLoopRun(mode, concurrency), k -> new ArrayList<>()).add(max);
          for (double rate : rates) {
            LoadRun.Result fixed = load.fixedRate(queries(base), rate, Duration.ofSeconds(seconds));
            machineLoad.sample();
            System.err.println(mode + " round " + round + ": fixed " + rate + " " + fixed);
            results.computeIfAbsent(fixedRateRun(mode, rate), k -> new ArrayList<>()).add(fixed);
          }
          serving.stop(30);
        }
      }
    }
    report(results, loadBefore, machineLoad);
    return 0;
  }

  /** The report's name of a closed-loop run, e.g. {@code cached, closed loop, 16 in flight}. */
  static String closedLoopRun(String mode, int concurrency) {
    return mode + ", closed loop, " + concurrency + " in flight";
  }

  /** The report's name of a fixed-rate run, e.g. {@code uncached, fixed 100 req/s}. */
  static String fixedRateRun(String mode, double rate) {
    return mode + ", fixed " + (long) rate + " req/s";
  }

  private int port;

  private JarProcess startServing(String mode, int round, boolean cached) throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Map<String, String> env = new HashMap<>();
    env.put("SERVING_KAFKA_BOOTSTRAP_SERVERS", props.get("kafka.bootstrap.servers"));
    env.put("SERVING_LAKEHOUSE_PATH", lakehouse);
    env.put("SERVING_HTTP_PORT", Integer.toString(port));
    env.put("SERVING_CACHE_ENABLED", Boolean.toString(cached));
    // This measures the query path, not the overload guard: every request in flight gets a permit.
    env.put("SERVING_HTTP_MAX_CONCURRENT_QUERIES", Integer.toString(Math.max(8, concurrency)));
    JarProcess p = new JarProcess(servingJar, List.of("-Xmx512m"), List.of("serve"),
        env, dataDir.resolve("serving-" + mode + "-" + round + ".log")).start();
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      try {
        if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return p;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (!p.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("serving did not get ready:\n" + p.logTail());
      }
      Thread.sleep(300);
    }
  }

  /** A fast wrong answer scores nothing: sample answers must equal the data written. */
  private void verify(String base) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (int day : new int[] {1, days / 2, days}) {
      Instant start = today.minus(day, ChronoUnit.DAYS);
      JsonNode body = Json.mapper().readTree(http.send(HttpRequest.newBuilder(URI.create(base
          + "/api/v1/activity/hourly?from=" + start + "&to=" + start.plus(1, ChronoUnit.DAYS))).build(),
          HttpResponse.BodyHandlers.ofString()).body());
      int n = body.get("windows").size();
      if (n != DEPARTMENTS * TYPES.length * 24 || body.get("served").get("batch").asInt() != n) {
        throw new IllegalStateException("day -" + day + ": " + n + " windows, served " + body.get("served"));
      }
      for (JsonNode w : body.get("windows")) {
        int dept = Integer.parseInt(w.get("department").asText().substring(5));
        int type = List.of(TYPES).indexOf(w.get("activity_type").asText());
        int hour = Instant.parse(w.get("window_start").asText()).atZone(java.time.ZoneOffset.UTC).getHour();
        if (w.get("event_count").asLong() != count(day, dept, type, hour)) {
          throw new IllegalStateException("wrong count in " + w);
        }
      }
    }
    JsonNode speed = Json.mapper().readTree(http.send(HttpRequest.newBuilder(URI.create(base
        + "/api/v1/activity/hourly?from=" + today + "&to=" + today.plus(1, ChronoUnit.DAYS))).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    if (speed.get("served").get("speed").asInt() != DEPARTMENTS * TYPES.length * 24) {
      throw new IllegalStateException("today's speed windows: " + speed.get("served"));
    }
  }

  private void report(Map<String, List<LoadRun.Result>> results, String loadBefore, LoadAverage load)
      throws IOException {
    StringBuilder sb = new StringBuilder("## Serving (bench serving)\n\n");
    sb.append(String.format("serving.jar (own JVM, -Xmx512m) on loopback over %d days of batch views on HDFS"
        + " (%,d hourly rows) and %,d speed windows; query mix: 60%% one department's past day (batch, 216 windows),"
        + " 30%% one department's last 36 h (batch + speed, 324 windows), 10%% 14 days of devices (56 windows). %d rounds alternating cached/uncached; every round's answers"
        + " checked first.%n%n", days, days * DEPARTMENTS * TYPES.length * 24, DEPARTMENTS * TYPES.length * 24,
        rounds));
    LoadRun.header().forEach(l -> sb.append(l).append('\n'));
    results.forEach((name, runs) -> {
      for (int i = 0; i < runs.size(); i++) {
        sb.append(LoadRun.row(name + " (round " + (i + 1) + ")", runs.get(i))).append('\n');
      }
    });
    long errors = results.values().stream().flatMap(List::stream).mapToLong(LoadRun.Result::errors).sum();
    sb.append("\nErrors (non-200 or failed requests) in all runs: ").append(errors).append('\n');
    int cores = Runtime.getRuntime().availableProcessors();
    sb.append(String.format("%nMachine: %d cores; load average %s before, 1-minute load %s.%n", cores, loadBefore,
        load));
    if (!chartsDir.equals("none")) {
      ServingCharts charts = new ServingCharts(Path.of(chartsDir));
      String sub = String.format("%d cores (serving, load generator, Kafka and HDFS on them),"
          + " 1-minute load average %s", cores, load);
      sb.append(String.format("%nCharts: %s, %s%n", charts.maxRate(results, concurrency, sub),
          charts.latency(results, rates, sub)));
    }
    System.out.println(sb);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (java.nio.file.Files.exists(dir)) {
      try (var paths = java.nio.file.Files.walk(dir)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          java.nio.file.Files.delete(p);
        }
      }
    }
  }
}
