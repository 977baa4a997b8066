package org.activitypipeline.speed.processor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The processor's meters. {@code processor.records{stage,outcome}} counts records per stage (enrich,
 * window, employees, departments) and outcome (ok, late, dead_letter, duplicate, waiting, ...);
 * {@code processor.dead.letters} and {@code processor.late} are the alerting counters;
 * {@code processor.commit} times transaction commits; {@code processor.consumer.lag{topic}} (records)
 * and {@code processor.consumer.lag.seconds{topic}} are per input topic over all threads (see
 * {@link ConsumerLagTable}); {@code processor.state.entries} is a gauge summed over threads;
 * {@code processor.employee.unlisted.columns{column}} counts changes carrying a column no policy lists.
 * Thread-safe.
 */
final class ProcessorMetrics {
  private final MeterRegistry registry;
  /** By stage, then outcome: no key is built per record (this runs for every record). */
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, Counter>> counters = new ConcurrentHashMap<>();
  /** By column: every change after an ALTER TABLE carries the new column, so no meter is built per change. */
  private final ConcurrentHashMap<String, Counter> unlisted = new ConcurrentHashMap<>();
  private final Timer commit;
  private final Counter deadLetters;
  private final Counter late;
  private final Counter aborts;
  private final ConsumerLagTable lag = new ConsumerLagTable();
  /** Input topics whose lag gauges are registered. */
  private final Set<String> lagTopics = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<Integer, AtomicLong> stateByThread = new ConcurrentHashMap<>();

  /** @param inputTopics the topics the threads subscribe to: their lag series exist (at 0) from the start */
  ProcessorMetrics(MeterRegistry registry, Collection<String> inputTopics) {
    this.registry = registry;
    this.commit = Timer.builder("processor.commit").description("Kafka transaction commit latency")
        .publishPercentiles(0.5, 0.99).register(registry);
    this.deadLetters = Counter.builder("processor.dead.letters").description("Records sent to the dead-letter topic")
        .register(registry);
    this.late = Counter.builder("processor.late").description("Activities that arrived after their window closed")
        .register(registry);
    this.aborts = Counter.builder("processor.transaction.aborts")
        .description("Transactions aborted (broker trouble, fencing, rebalance); their input is processed again")
        .register(registry);
    inputTopics.forEach(this::registerLag);
    registry.gauge("processor.state.entries", stateByThread,
        m -> m.values().stream().mapToLong(AtomicLong::get).sum());
  }

  void count(String stage, String outcome, long n) {
    counters.computeIfAbsent(stage, s -> new ConcurrentHashMap<>())
        .computeIfAbsent(outcome, o -> Counter.builder("processor.records").tag("stage", stage).tag("outcome", outcome)
            .register(registry)).increment(n);
    if ("late".equals(outcome)) {
      late.increment(n);
    } else if ("dead_letter".equals(outcome)) {
      deadLetters.increment(n);
    }
  }

  /** An employee change carried {@code column}, which the column policy does not list (so it was withheld). */
  void unlistedColumn(String column) {
    unlisted.computeIfAbsent(column, c -> Counter.builder("processor.employee.unlisted.columns").tag("column", c)
        .description("Employee changes carrying a column the column policy does not list (employee.columns):"
            + " dropped or hashed, never published as it is")
        .register(registry)).increment();
  }

  void committed(long nanos) {
    commit.record(nanos, TimeUnit.NANOSECONDS);
  }

  void aborted() {
    aborts.increment();
  }

  /** {@code thread}'s assigned partitions now; replaces its previous report. */
  void lag(int thread, Collection<ConsumerLagTable.PartitionLag> partitions, long nowMillis) {
    for (ConsumerLagTable.PartitionLag p : partitions) {
      registerLag(p.topic()); // registered at start; this only keeps a topic added later from going unseen
    }
    lag.report(thread, partitions, nowMillis);
  }

  /** {@code thread} stopped: its partitions are someone else's now. */
  void noLag(int thread) {
    lag.forget(thread);
  }

  private void registerLag(String topic) {
    if (!lagTopics.add(topic)) {
      return;
    }
    Gauge.builder("processor.consumer.lag", lag, l -> l.records(topic)).tag("topic", topic)
        .description("Records of the input topic not consumed yet, all threads").register(registry);
    Gauge.builder("processor.consumer.lag.seconds", lag, l -> l.seconds(topic)).tag("topic", topic)
        .description("How long the input topic has been behind: now minus the Kafka timestamp of the last record"
            + " processed from its most lagging partition (0 when caught up)")
        .register(registry);
  }

  void state(int thread, long entries) {
    stateByThread.computeIfAbsent(thread, t -> new AtomicLong()).set(entries);
  }
}
