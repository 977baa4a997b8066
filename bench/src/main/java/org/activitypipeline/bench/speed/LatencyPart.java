package org.activitypipeline.bench.speed;

import java.time.Duration;
import java.util.SplittableRandom;
import org.activitypipeline.bench.processor.BenchInput;
import org.activitypipeline.bench.processor.LatencyProbe;
import org.activitypipeline.bench.processor.ProcessorBenchmark.Latency;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Event → aggregate-update latency of both implementations at the same fixed input rate: events are
 * written live (event time = now minus the usual out-of-order lag, no late uploads) and
 * {@link LatencyProbe} times each until a read_committed reader of the hourly topic sees its window's
 * count reach it. The writer and the probe run in this JVM beside the implementation under test.
 * Each run first writes at the same rate for a warm-up period whose events are timed apart
 * (reported, not part of the percentiles): a cold start's consumers and JIT are still settling then.
 */
final class LatencyPart {
  /** What to start for one latency run. */
  @FunctionalInterface
  interface Starter {
    Contender start(String raw) throws Exception;
  }

  record Result(double rate, int seconds, int warmupSeconds, Latency processor, Latency streams,
                Latency processorWarmup, Latency streamsWarmup) {
  }

  /** The measured events' latency and the warm-up events'. */
  private record Measured(Latency latency, Latency warmup) {
  }

  private final BenchKafka kafka;
  private final int employees;
  private final int warmupSeconds;

  LatencyPart(BenchKafka kafka, int employees, int warmupSeconds) {
    this.kafka = kafka;
    this.employees = employees;
    this.warmupSeconds = warmupSeconds;
  }

  Result run(Contenders contenders, double rate, int seconds, int threads, int index) throws Exception {
    String run = "lat" + index;
    Measured p = measure(run, "processor", raw -> contenders.processor(run, raw, threads), rate, seconds);
    Measured s = measure(run, "streams", raw -> contenders.streams(run, raw, threads), rate, seconds);
    return new Result(rate, seconds, warmupSeconds, p.latency(), s.latency(), p.warmup(), s.warmup());
  }

  private Measured measure(String run, String which, Starter starter, double rate, int seconds) throws Exception {
    String raw = "bench." + run + "-" + which + "-raw";
    kafka.create(BenchKafka.topic(raw, 6, false));
    System.gc();
    try (Contender c = starter.start(raw);
        LatencyProbe probe = LatencyProbe.start(kafka.bootstrap(), c.outputs().hourly());
        KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
      kafka.awaitAssigned(c.group(), raw);
      Thread.sleep(1_000); // its tasks built (state restored) after the poll that assigned them
      SplittableRandom r = new SplittableRandom(7);
      long warmup = (long) (rate * warmupSeconds);
      long total = warmup + (long) (rate * seconds);
      long t0 = System.nanoTime();
      for (long i = 0; i < total; i++) {
        long due = t0 + (long) (i / rate * 1e9);
        long wait = due - System.nanoTime();
        if (wait > 1_000_000) {
          Thread.sleep(wait / 1_000_000);
        }
        var rec = BenchInput.activity(raw, i, System.currentTimeMillis(), employees, r, false);
        probe.sent(rec, BenchInput.DEPARTMENTS, i >= warmup);
        producer.send(rec);
      }
      producer.flush();
      Latency l = probe.awaitAll(total - warmup, Duration.ofMinutes(2));
      Latency w = probe.warmup();
      System.err.printf("latency %s at %,.0f/s: p50 %d ms, p99 %d ms, max %d ms (warm-up: %,d events, p50 %d ms, "
          + "p99 %d ms, max %d ms)%n", c.group(), rate, l.p50(), l.p99(), l.max(), w.count(), w.p50(), w.p99(), w.max());
      return new Measured(l, w);
    }
  }
}
