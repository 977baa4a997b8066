package org.activitypipeline.bench.speed;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.activitypipeline.bench.processor.OffsetProgress;
import org.activitypipeline.bench.report.LoadAverage;

/**
 * Runs one contender over a pre-written input from a cold start, measures it from outside and
 * verifies its output before the measurement is returned.
 *
 * <p>Throughput = input records ÷ the time from the group's first committed offset until it has
 * committed the end of the input and of its internal topics (the processor's partials, the peer's
 * repartition topics), read with the admin client every 50 ms. CPU is sampled at the same two moments.
 */
final class Runner {
  private final BenchKafka kafka;
  private final Contenders contenders;
  private final Verifier verifier;
  private final CpuMeter cpu = new CpuMeter();
  private final LoadAverage load;

  Runner(BenchKafka kafka, Contenders contenders, LoadAverage load) {
    this.kafka = kafka;
    this.contenders = contenders;
    this.verifier = new Verifier(kafka);
    this.load = load;
  }

  /** One measured run. */
  record Measured(double eventsPerSecond, double seconds, double jvmCpuSeconds, double brokerCpuSeconds,
                  long records) {
    double jvmCpuPerMillion() {
      return jvmCpuSeconds * 1e6 / records;
    }

    double brokerCpuPerMillion() {
      return brokerCpuSeconds * 1e6 / records;
    }
  }

  /** A measured run and what its verified output holds. */
  record Outcome(Measured measured, Verifier.Result result) {
  }

  /** Both implementations over one live input. */
  record Concurrent(Input input, Outcome processor, Outcome streams) {
  }

  Measured copy(String run, Input in) throws Exception {
    settle();
    Measured m;
    Contenders.CopyContender c = contenders.copy(run, in.topic);
    try {
      m = measure(c, in.size, true);
    } finally {
      c.close();
    }
    if (c.copied() != in.size) {
      throw new IllegalStateException("raw copy " + run + " moved " + c.copied() + " records of " + in.size);
    }
    return m;
  }

  Outcome processor(String run, Input in, References ref, int threads) throws Exception {
    settle();
    Measured m;
    Contender c = contenders.processor(run, in.topic, threads);
    try {
      m = measure(c, in.size, true);
    } finally {
      c.close();
    }
    return new Outcome(m, verifier.processor(c.outputs(), in, ref));
  }

  Outcome streams(String run, Input in, References ref, int threads, Contenders.StreamsVariant variant)
      throws Exception {
    settle();
    Measured m;
    long dropped;
    long skipped;
    Contenders.StreamsContender c = (Contenders.StreamsContender) contenders.streams(run, in.topic, threads, variant);
    try {
      m = measure(c, in.size, true);
      dropped = c.peer.droppedRecords();
      skipped = c.peer.skippedRecords();
    } finally {
      c.close();
    }
    return new Outcome(m, verifier.streams(c.outputs(), in, dropped, skipped, ref));
  }

  /**
   * The processor and the Streams peer at the same time over {@code topic}, which {@code writer} fills
   * live once both run; both verified. Not a speed measurement.
   */
  Concurrent concurrently(String run, String topic, int threads, Callable<Input> writer) throws Exception {
    settle();
    Contender proc = contenders.processor(run, topic, threads);
    Contenders.StreamsContender streams = null;
    Input in;
    long dropped;
    long skipped;
    Measured pm;
    Measured sm;
    try {
      streams = (Contenders.StreamsContender) contenders.streams(run, topic, threads);
      kafka.awaitAssigned(proc.group(), topic);
      kafka.awaitAssigned(streams.group(), topic);
      in = writer.call();
      pm = measure(proc, in.size, false);
      sm = measure(streams, in.size, false);
      dropped = streams.peer.droppedRecords();
      skipped = streams.peer.skippedRecords();
    } finally {
      proc.close();
      if (streams != null) {
        streams.close();
      }
    }
    References ref = new References(in);
    return new Concurrent(in, new Outcome(pm, verifier.processor(proc.outputs(), in, ref)),
        new Outcome(sm, verifier.streams(streams.outputs(), in, dropped, skipped, ref)));
  }

  /** Each run starts with the previous one's garbage collected, so it does not pay for it. */
  private void settle() throws InterruptedException {
    System.gc();
    Thread.sleep(500);
  }

  /** @param timed false when the input was written live, so that the rate means nothing (not logged) */
  private Measured measure(Contender c, long records, boolean timed) throws Exception {
    OffsetProgress progress = kafka.progress();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
    long first = 0;
    CpuMeter.Sample cpu0 = null;
    while (System.nanoTime() < deadline) {
      Throwable failure = c.failure();
      if (failure != null) {
        throw new IllegalStateException(c.group() + " failed", failure);
      }
      if (first == 0 && progress.committed(c.group(), c.inputs()) > 0) {
        first = System.nanoTime();
        cpu0 = cpu.sample();
      }
      if (first != 0 && progress.caughtUp(c.group(), c.inputs(), 0)
          && (c.internal().isEmpty() || progress.caughtUp(c.group(), c.internal(), 1))) {
        long end = System.nanoTime();
        CpuMeter.Sample cpu1 = cpu.sample();
        load.sample();
        double seconds = (end - first) / 1e9;
        Measured m = new Measured(records / seconds, seconds, cpu1.jvmSecondsSince(cpu0),
            cpu1.childrenSecondsSince(cpu0), records);
        if (timed) {
          System.err.printf("%s: %,d records in %.1f s = %,.0f/s, CPU %.1f s (bench JVM) + %.1f s (broker)%n",
              c.group(), records, seconds, m.eventsPerSecond(), m.jvmCpuSeconds(), m.brokerCpuSeconds());
        }
        return m;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(c.group() + " did not finish within 20 minutes");
  }
}
