package org.activitypipeline.speed.processor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The processor's meters. {@code processor.records{stage,outcome}} counts records per stage (enrich,
 * window, employees, departments) and outcome (ok, late, dead_letter, duplicate, waiting, ...);
 * {@code processor.dead.letters} and {@code processor.late} are the alerting counters;
 * {@code processor.commit} times transaction commits; {@code processor.consumer.lag} and
 * {@code processor.state.entries} are gauges summed over threads;
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
  private final ConcurrentHashMap<Integer, AtomicLong> lagByThread = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Integer, AtomicLong> stateByThread = new ConcurrentHashMap<>();

  ProcessorMetrics(MeterRegistry registry) {
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
    registry.gauge("processor.consumer.lag", lagByThread, m -> m.values().stream().mapToLong(AtomicLong::get).sum());
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

  void lag(int thread, long lag) {
    lagByThread.computeIfAbsent(thread, t -> new AtomicLong()).set(lag);
  }

  void state(int thread, long entries) {
    stateByThread.computeIfAbsent(thread, t -> new AtomicLong()).set(entries);
  }
}
