package org.activitypipeline.bench.processor;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.activitypipeline.common.event.Activity;
import org.activitypipeline.common.event.HourlyActivityAggregate;
import org.activitypipeline.common.json.JsonCodec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Event → aggregate-update latency: for each event sent, the time until a read_committed reader of
 * the hourly topic sees its window's event count reach the number of events sent to that window up
 * to and including it. (Events of one window from different partitions may be counted in another
 * order than sent; at steady state that shifts single samples, not the distribution.)
 *
 * <p>Events sent as warm-up (see {@link #sent(ProducerRecord, int, boolean)}) are timed apart: the
 * first seconds after a cold start measure the consumers settling, not the steady state.
 */
public final class LatencyProbe implements AutoCloseable {
  private static final JsonCodec<Activity> ACTIVITY = JsonCodec.of(Activity.class, 1);
  private static final JsonCodec<HourlyActivityAggregate> HOURLY = JsonCodec.of(HourlyActivityAggregate.class, 1);

  private final Map<String, ArrayDeque<long[]>> pending = new HashMap<>();
  private final Map<String, Long> sentPerWindow = new HashMap<>();
  private final long[] samples = new long[4_000_000];
  private int sampleCount;
  private final long[] warmupSamples = new long[4_000_000];
  private int warmupCount;
  private final Thread thread;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private volatile boolean running = true;

  private LatencyProbe(String bootstrap, String hourlyTopic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
    consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> parts = consumer.partitionsFor(hourlyTopic).stream()
        .map(i -> new TopicPartition(hourlyTopic, i.partition())).toList();
    consumer.assign(parts);
    consumer.seekToEnd(parts);
    parts.forEach(consumer::position);
    thread = new Thread(this::run, "latency-probe");
  }

  public static LatencyProbe start(String bootstrap, String hourlyTopic) {
    LatencyProbe probe = new LatencyProbe(bootstrap, hourlyTopic);
    probe.thread.start();
    return probe;
  }

  /** Call right before sending {@code rec}; it is measured. */
  public void sent(ProducerRecord<byte[], byte[]> rec, int departments) {
    sent(rec, departments, true);
  }

  /** Call right before sending {@code rec}; {@code measured=false} for a warm-up event. */
  public void sent(ProducerRecord<byte[], byte[]> rec, int departments, boolean measured) {
    Activity a = ACTIVITY.decode(rec.value());
    String key = "Department " + (1 + a.employeeId() % departments) + "|" + a.activityType() + "|"
        + a.eventTime().truncatedTo(java.time.temporal.ChronoUnit.HOURS);
    synchronized (this) {
      long n = sentPerWindow.merge(key, 1L, Long::sum);
      pending.computeIfAbsent(key, k -> new ArrayDeque<>()).add(new long[] {n, System.nanoTime(), measured ? 1 : 0});
    }
  }

  private void run() {
    while (running) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
        long now = System.nanoTime();
        HourlyActivityAggregate h = HOURLY.decode(r.value());
        String key = new String(r.key(), StandardCharsets.UTF_8);
        synchronized (this) {
          ArrayDeque<long[]> q = pending.get(key);
          while (q != null && !q.isEmpty() && q.peek()[0] <= h.eventCount()) {
            long[] sent = q.poll();
            long millis = (now - sent[1]) / 1_000_000;
            if (sent[2] == 0) {
              if (warmupCount < warmupSamples.length) {
                warmupSamples[warmupCount++] = millis;
              }
            } else if (sampleCount < samples.length) {
              samples[sampleCount++] = millis;
            }
          }
        }
      }
    }
  }

  public ProcessorBenchmark.Latency awaitAll(long expected, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      synchronized (this) {
        if (sampleCount >= expected) {
          break;
        }
      }
      Thread.sleep(200);
    }
    synchronized (this) {
      if (sampleCount < expected) {
        throw new IllegalStateException("only " + sampleCount + " of " + expected + " events reached an aggregate");
      }
      return stats(samples, sampleCount);
    }
  }

  /** The latency of the warm-up events that reached an aggregate so far (call after {@link #awaitAll}). */
  public synchronized ProcessorBenchmark.Latency warmup() {
    return warmupCount == 0 ? new ProcessorBenchmark.Latency(0, 0, 0, 0) : stats(warmupSamples, warmupCount);
  }

  private static ProcessorBenchmark.Latency stats(long[] samples, int count) {
    long[] s = Arrays.copyOf(samples, count);
    Arrays.sort(s);
    return new ProcessorBenchmark.Latency(s.length, s[s.length / 2], s[(int) (s.length * 0.99)], s[s.length - 1]);
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(5_000);
    consumer.close();
  }
}
