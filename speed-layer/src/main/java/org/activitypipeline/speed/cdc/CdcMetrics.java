package org.activitypipeline.speed.cdc;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cdc process's meters (Prometheus names in brackets): events forwarded per topic
 * [cdc_events_forwarded_total], records acknowledged without sending [cdc_events_skipped_total],
 * batches [cdc_batches_total], Kafka transaction commit latency [cdc_transaction_commit_seconds],
 * errors by kind [cdc_errors_total], engine restarts [cdc_engine_restarts_total], the LSN of the last
 * event committed to Kafka [cdc_last_lsn] and its commit-to-Kafka lag [cdc_last_event_lag_seconds],
 * whether the engine is streaming [cdc_engine_streaming], and how old the newest progress record is
 * [cdc_progress_lag_seconds: now minus the commit time of the last heartbeat written as progress]. Thread-safe.
 */
final class CdcMetrics {
  private final MeterRegistry registry;
  private final Clock clock;
  private final Map<String, Counter> forwarded = new ConcurrentHashMap<>();
  private final Map<String, Counter> skipped = new ConcurrentHashMap<>();
  private final Map<String, Counter> errors = new ConcurrentHashMap<>();
  private final Counter batches;
  private final Counter restarts;
  private final Timer commitLatency;
  private final AtomicLong lastLsn = new AtomicLong(-1);
  private final AtomicLong lastCommitMillis = new AtomicLong(-1);
  private final AtomicLong streaming = new AtomicLong();
  private final AtomicLong progressMillis = new AtomicLong(-1);

  CdcMetrics(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
    batches = Counter.builder("cdc.batches").description("Batches committed to Kafka").register(registry);
    restarts = Counter.builder("cdc.engine.restarts").description("Engine restarts by the supervisor")
        .register(registry);
    commitLatency = Timer.builder("cdc.transaction.commit").description("Kafka transaction begin to commit")
        .publishPercentiles(0.5, 0.99).register(registry);
    Gauge.builder("cdc.last.lsn", lastLsn, AtomicLong::get)
        .description("LSN of the last change committed to Kafka").register(registry);
    Gauge.builder("cdc.last.event.lag", this, m -> m.lagSeconds()).baseUnit("seconds")
        .description("Now minus the source commit time of the last change committed to Kafka").register(registry);
    Gauge.builder("cdc.progress.lag", this, m -> m.progressLagSeconds()).baseUnit("seconds")
        .description("Now minus the commit time of the last progress record committed to Kafka").register(registry);
    Gauge.builder("cdc.engine.streaming", streaming, AtomicLong::get)
        .description("1 while the Debezium engine streams").register(registry);
  }

  void forwarded(String topic, int n) {
    forwarded.computeIfAbsent(topic, t -> Counter.builder("cdc.events.forwarded").tag("topic", t)
        .description("Change events committed to Kafka").register(registry)).increment(n);
  }

  void skipped(RecordRoute route, int n) {
    skipped(route.metricTag(), n);
  }

  void skipped(String reason, int n) {
    skipped.computeIfAbsent(reason, r -> Counter.builder("cdc.events.skipped").tag("reason", r)
        .description("Records acknowledged without sending").register(registry)).increment(n);
  }

  void error(String kind) {
    errors.computeIfAbsent(kind, k -> Counter.builder("cdc.errors").tag("kind", k)
        .description("Failures by kind").register(registry)).increment();
  }

  void batchCommitted(long commitNanos, SourcePosition last) {
    batches.increment();
    commitLatency.record(commitNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    if (last.hasLsn()) {
      lastLsn.set(last.lsn());
      lastCommitMillis.set(last.commitMillis());
    }
  }

  void progress(long commitMillis) {
    progressMillis.set(commitMillis);
  }

  long lastProgressMillis() {
    return progressMillis.get();
  }

  void restarted() {
    restarts.increment();
  }

  void streaming(boolean on) {
    streaming.set(on ? 1 : 0);
  }

  boolean isStreaming() {
    return streaming.get() == 1;
  }

  long lastLsn() {
    return lastLsn.get();
  }

  double restarts() {
    return restarts.count();
  }

  private double progressLagSeconds() {
    long t = progressMillis.get();
    return t < 0 ? Double.NaN : Math.max(0, clock.millis() - t) / 1000.0;
  }

  private double lagSeconds() {
    long t = lastCommitMillis.get();
    return t < 0 ? Double.NaN : Math.max(0, clock.millis() - t) / 1000.0;
  }
}
