package org.activitypipeline.speed.cdc.bench;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * PostgreSQL commit → record readable in Kafka (read_committed), through the real cdc process (the
 * fat jar, forked), against a running local stack. Not a test: run it by hand, e.g.
 *
 * <pre>
 * java -jar local-stack/target/local-stack.jar up --data-dir /tmp/cdc-bench --port-offset 4500 --only postgres,kafka
 * mvn -q -pl speed-layer dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -cp speed-layer/target/test-classes:$(cat /tmp/cp.txt) org.activitypipeline.speed.cdc.bench.CdcLatencyBench \
 *     /tmp/cdc-bench/stack.properties speed-layer/target/speed-layer.jar 200 60 50000
 * </pre>
 *
 * Phase 1: single-row UPDATEs (one transaction each) at a steady rate; latency = the consumer's
 * receive time minus the moment {@code executeUpdate} returned (autocommit: the commit is durable).
 * The first 5 s are warm-up. Phase 2: one UPDATE of N rows, three times; rate = N / (commit → last
 * row read).
 */
public final class CdcLatencyBench {
  private static final String TOPIC = "cdc.public.employees";

  public static void main(String[] args) throws Exception {
    Properties stack = new Properties();
    try (Reader r = Files.newBufferedReader(Path.of(args[0]))) {
      stack.load(r);
    }
    Path jar = Path.of(args[1]);
    int rate = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    int bulkRows = Integer.parseInt(args[4]);
    String url = stack.getProperty("postgres.jdbc.url");
    String bootstrap = stack.getProperty("kafka.bootstrap.servers");
    String slot = "bench_" + System.currentTimeMillis();

    try (Connection c = DriverManager.getConnection(url, stack.getProperty("postgres.user"),
        stack.getProperty("postgres.password")); Statement st = c.createStatement()) {
      st.executeUpdate("DELETE FROM employees WHERE email LIKE 'bench-%'");
      st.executeUpdate("INSERT INTO employees (first_name, last_name, email, job_title, hire_date, salary)"
          + " SELECT 'Bench', 'Mark', 'bench-' || g || '@example.com', 'init', DATE '2020-01-01', 1000"
          + " FROM generate_series(1, " + Math.max(bulkRows, 1000) + ") g");
    }
    Path config = Files.createTempFile("cdc-bench", ".properties");
    Files.writeString(config, String.join("\n", List.of(
        "kafka.bootstrap.servers=" + bootstrap,
        "kafka.transactional.id=" + slot,
        "postgres.host=" + stack.getProperty("postgres.host"),
        "postgres.port=" + stack.getProperty("postgres.port"),
        "postgres.database=" + stack.getProperty("postgres.database"),
        "postgres.user=" + stack.getProperty("postgres.replication.user"),
        "postgres.password=" + stack.getProperty("postgres.replication.password"),
        "postgres.slot.name=" + slot, "engine.name=" + slot, "snapshot.mode=no_data", "metrics.port=19498"))
        + "\n" + String.join("\n", Arrays.asList(args).subList(5, args.length)) + "\n");
    Path log = Path.of(System.getProperty("java.io.tmpdir"), slot + ".log");
    Process cdc = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar",
        jar.toString(), "cdc", "--config", config.toString()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    System.out.println("cdc log: " + log);
    try {
      awaitSlot(url, slot);
      steady(url, stack, bootstrap, rate, seconds);
      System.out.println(scrape());
      for (int i = 1; i <= (bulkRows > 0 ? 3 : 0); i++) {
        bulk(url, stack, bootstrap, bulkRows, "bulk" + i);
      }
    } finally {
      cdc.destroy();
      cdc.waitFor(60, TimeUnit.SECONDS);
      try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement st = c.createStatement()) {
        Thread.sleep(1000);
        st.execute("SELECT pg_drop_replication_slot('" + slot + "')");
      }
    }
  }

  private static void steady(String url, Properties stack, String bootstrap, int rate, int seconds) throws Exception {
    int total = rate * seconds;
    AtomicLongArray committedAt = new AtomicLongArray(total);
    long[] receivedAt = new long[total];
    AtomicLong received = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    // Positioned at the topic's end before the first write (a consumer positioned later would miss some).
    KafkaConsumer<String, String> positioned = consumer(bootstrap);
    positioned.poll(Duration.ofMillis(100));
    Thread consumer = new Thread(() -> {
      try (KafkaConsumer<String, String> kc = positioned) {
        while (!stop.get()) {
          for (ConsumerRecord<String, String> r : kc.poll(Duration.ofMillis(5))) {
            long now = System.nanoTime();
            int seq = seqOf(r.value(), "\"job_title\":\"s");
            if (seq >= 0 && seq < total && receivedAt[seq] == 0) {
              receivedAt[seq] = now;
              received.incrementAndGet();
            }
          }
        }
      }
    });
    consumer.start();
    try (Connection c = DriverManager.getConnection(url, stack.getProperty("postgres.user"),
        stack.getProperty("postgres.password"));
        PreparedStatement up = c.prepareStatement("UPDATE employees SET job_title = ? WHERE email = ?")) {
      long start = System.nanoTime();
      long period = 1_000_000_000L / rate;
      for (int i = 0; i < total; i++) {
        long due = start + i * period;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        up.setString(1, "s" + i);
        up.setString(2, "bench-" + (1 + i % 1000) + "@example.com");
        up.executeUpdate();
        committedAt.set(i, System.nanoTime());
      }
      double achieved = total / ((System.nanoTime() - start) / 1e9);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (received.get() < total && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      stop.set(true);
      consumer.join();
      int warmup = rate * 5;
      long[] measured = new long[total - warmup];
      int n = 0;
      for (int i = warmup; i < total; i++) {
        if (receivedAt[i] != 0 && committedAt.get(i) != 0) {
          measured[n++] = Math.max(0, receivedAt[i] - committedAt.get(i));
        }
      }
      measured = Arrays.copyOf(measured, n);
      Arrays.sort(measured);
      System.out.printf("steady: target %d/s achieved %.1f/s for %d s; %d of %d changes read; latency over the"
              + " last %d: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n", rate, achieved, seconds,
          received.get(), total, measured.length, ms(measured, 0.50), ms(measured, 0.90), ms(measured, 0.99),
          measured.length == 0 ? 0 : measured[measured.length - 1] / 1e6);
    }
  }

  private static void bulk(String url, Properties stack, String bootstrap, int rows, String title) throws Exception {
    try (KafkaConsumer<String, String> kc = consumer(bootstrap);
        Connection c = DriverManager.getConnection(url, stack.getProperty("postgres.user"),
            stack.getProperty("postgres.password")); Statement st = c.createStatement()) {
      kc.poll(Duration.ofMillis(100));
      long t0 = System.nanoTime();
      int updated = st.executeUpdate("UPDATE employees SET job_title = '" + title + "' WHERE email LIKE 'bench-%'");
      long committed = System.nanoTime();
      int seen = 0;
      long first = 0;
      long deadline = committed + TimeUnit.SECONDS.toNanos(180);
      String marker = "\"job_title\":\"" + title + "\"";
      while (seen < updated && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : kc.poll(Duration.ofMillis(20))) {
          if (r.value() != null && r.value().contains(marker)) {
            if (seen++ == 0) {
              first = System.nanoTime();
            }
          }
        }
      }
      long done = System.nanoTime();
      System.out.printf("bulk %s: UPDATE of %d rows took %.2f s in PostgreSQL; first row in Kafka %.2f s after"
              + " commit, all %d rows %.2f s after commit: %.0f rows/s (%.0f rows/s first-to-last)%n", title,
          updated, (committed - t0) / 1e9, (first - committed) / 1e9, seen, (done - committed) / 1e9,
          seen / ((done - committed) / 1e9), seen / ((done - first) / 1e9));
    }
  }

  /** The cdc process's own view: batches and Kafka transaction commit latency. */
  private static String scrape() {
    try (var in = new java.net.URL("http://127.0.0.1:19498/metrics").openStream()) {
      return new String(in.readAllBytes()).lines().filter(l -> l.startsWith("cdc_batches_total")
          || l.startsWith("cdc_transaction_commit_seconds") || l.startsWith("cdc_events_")).reduce("", (a, b) -> a + b + "\n");
    } catch (Exception e) {
      return "metrics unavailable: " + e;
    }
  }

  private static KafkaConsumer<String, String> consumer(String bootstrap) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
    KafkaConsumer<String, String> kc = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    List<TopicPartition> parts = kc.partitionsFor(TOPIC).stream()
        .map(pi -> new TopicPartition(TOPIC, pi.partition())).toList();
    kc.assign(parts);
    Map<TopicPartition, Long> ends = kc.endOffsets(parts);
    ends.forEach(kc::seek);
    return kc;
  }

  private static int seqOf(String value, String marker) {
    if (value == null) {
      return -1;
    }
    int i = value.indexOf(marker, value.indexOf("\"after\""));
    if (i < 0) {
      return -1;
    }
    int start = i + marker.length();
    int end = value.indexOf('"', start);
    try {
      return Integer.parseInt(value.substring(start, end));
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private static double ms(long[] sorted, double q) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))] / 1e6;
  }

  private static void awaitSlot(String url, String slot) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      try (Connection c = DriverManager.getConnection(url, "postgres", "");
          ResultSet rs = c.createStatement().executeQuery(
              "SELECT active FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
        if (rs.next() && rs.getBoolean(1)) {
          Thread.sleep(2000); // streaming loop running
          return;
        }
      }
      Thread.sleep(300);
    }
    throw new IllegalStateException("slot " + slot + " never became active");
  }
}
