package org.activitypipeline.speed.poller;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.activitypipeline.common.time.ActivityBuckets;
import org.activitypipeline.common.topic.TopicReadiness;
import org.activitypipeline.generators.activities.ActivityGenerator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Benchmark harness (not a test): Cassandra write -> record readable in Kafka (read_committed), at a
 * steady rate, and the poller's max sustained rate over a backlog. Runs against a running local
 * stack:
 *
 * <pre>
 * java -jar local-stack/target/local-stack.jar up --data-dir /tmp/bench --only kafka,cassandra
 * java -cp speed-layer/target/test-classes:speed-layer/target/classes:$(cat cp.txt) \
 *   org.activitypipeline.speed.poller.PollerLatencyBenchmark 127.0.0.1:19092 127.0.0.1:19042 2000 60
 * </pre>
 *
 * Latency is measured from the row's write time (its timeuuid, the writer's clock: same machine)
 * to the moment the consumer receives it; it includes {@code poll.lag} by design.
 */
public final class PollerLatencyBenchmark {
  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String contactPoint = args[1];
    int rate = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String topic = "bench-raw-" + suffix;
    String state = "bench-state-" + suffix;
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      TopicReadiness.create(admin, List.of(new NewTopic(topic, 6, (short) 1),
          new NewTopic(state, 1, (short) 1).configs(Map.of("cleanup.policy", "compact")),
          new NewTopic("bench-shards-" + suffix, 8, (short) 1)), Duration.ofMinutes(1));
    }
    Map<String, String> raw = new HashMap<>();
    raw.put("kafka.bootstrap.servers", bootstrap);
    raw.put("kafka.transactional.id", "bench-" + suffix);
    raw.put("topic.raw-activities", topic);
    raw.put("topic.state", state);
    raw.put("topic.shards", "bench-shards-" + suffix);
    raw.put("poll.group.id", "bench-" + suffix);
    raw.put("cassandra.contact.point", contactPoint);
    raw.put("poll.initial.lookback", "0s");
    raw.put("poll.interval", args.length > 4 ? args[4] : "100ms");
    raw.put("poll.lag", args.length > 5 ? args[5] : "200ms");
    raw.put("metrics.port", "0");
    PollerConfig config = PollerConfig.from(PollerConfig.DEF.parse(raw));
    List<Long> employees = LongStream.rangeClosed(1, 1000).boxed().toList();

    ActivityPoller poller = new ActivityPoller(config, Clock.systemUTC(), new SimpleMeterRegistry());
    Thread pollThread = new Thread(poller::run, "poller");
    pollThread.start();
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean consuming = new AtomicBoolean(true);
    long[] received = {0};
    Thread consumerThread = new Thread(() -> consume(bootstrap, topic, latencies, consuming, received), "consumer");
    consumerThread.start();
    Thread.sleep(5_000); // poller state loaded, consumer assigned

    // Phase 1: steady rate, latency.
    long n = (long) rate * seconds;
    try (ActivityGenerator gen = ActivityGenerator.connect(contactPoint, "datacenter1", "activity",
        config.shards(), 1)) {
      gen.write(n, employees, 0.05, 0.1, rate);
    }
    waitFor(received, n, Duration.ofMinutes(2));
    List<Long> steady;
    synchronized (latencies) {
      steady = new ArrayList<>(latencies);
      latencies.clear();
    }
    Collections.sort(steady);
    System.out.printf("steady rate=%d/s rows=%d latency_ms p50=%d p99=%d max=%d (poll.interval=%s poll.lag=%s)%n",
        rate, steady.size(), pct(steady, 50), pct(steady, 99), steady.get(steady.size() - 1),
        config.pollInterval(), config.lag());

    // Phase 2: max sustained rate. Stop the poller, write a backlog as fast as possible, restart it
    // and time how fast it drains (write time of the backlog no longer matters).
    poller.stop();
    pollThread.join();
    poller.close();
    long backlog = 300_000;
    long t0 = System.nanoTime();
    try (ActivityGenerator gen = ActivityGenerator.connect(contactPoint, "datacenter1", "activity",
        config.shards(), 2)) {
      gen.write(backlog, employees, 0.05, 0.1, 0);
    }
    double writeSeconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("generator max rate: %d rows in %.1f s = %.0f rows/s%n", backlog, writeSeconds,
        backlog / writeSeconds);
    long before = received[0];
    ActivityPoller drain = new ActivityPoller(config, Clock.systemUTC(), new SimpleMeterRegistry());
    Thread drainThread = new Thread(drain::run, "poller-drain");
    long t1 = System.nanoTime();
    drainThread.start();
    waitFor(received, before + backlog, Duration.ofMinutes(10));
    double drainSeconds = (System.nanoTime() - t1) / 1e9;
    System.out.printf("poller drain: %d rows in %.1f s = %.0f rows/s (state reload included)%n", backlog,
        drainSeconds, backlog / drainSeconds);
    drain.stop();
    drainThread.join();
    drain.close();
    consuming.set(false);
    consumerThread.join();
  }

  private static void consume(String bootstrap, String topic, List<Long> latencies, AtomicBoolean running,
      long[] received) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + topic);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      c.subscribe(List.of(topic));
      while (running.get()) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(50))) {
          long now = System.currentTimeMillis();
          UUID id = UUID.fromString(new String(r.headers().lastHeader("activity_id").value(), StandardCharsets.UTF_8));
          latencies.add(now - ActivityBuckets.writeTimeMillis(id));
          synchronized (received) {
            received[0]++;
          }
        }
      }
    }
  }

  private static void waitFor(long[] received, long target, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      synchronized (received) {
        if (received[0] >= target) {
          return;
        }
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("only " + received[0] + " of " + target + " rows arrived in " + timeout);
  }

  private static long pct(List<Long> sorted, int p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * p / 100.0) - 1));
  }
}
