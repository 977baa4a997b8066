package org.activitypipeline.serving.batch;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.activitypipeline.lakehouse.BatchHorizon;
import org.activitypipeline.lakehouse.hudi.HudiTable;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the lakehouse for what the serving layer depends on: the batch horizon file and the newest
 * completed commit of the batch views (and of the ingest, for status). When any of them changes,
 * the new {@link LakehouseSnapshot} is published and {@code onChange} runs (cache invalidation,
 * moving the speed views' horizon), on the watcher's thread.
 *
 * <p>A failed poll (HDFS down) keeps the last snapshot and marks the watcher unhealthy until a poll
 * succeeds again; {@code /ready} reports it.
 */
public final class LakehouseWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LakehouseWatcher.class);

  private final String lakehouse;
  private final Configuration conf;
  private final HudiTable hourly;
  private final HudiTable daily;
  private final HudiTable ingest;
  private final Duration interval;
  private final Consumer<LakehouseSnapshot> onChange;
  private final ScheduledExecutorService executor;
  private volatile LakehouseSnapshot current = LakehouseSnapshot.EMPTY;
  private volatile boolean polledOnce;
  private volatile String lastError;

  public LakehouseWatcher(String lakehouse, Configuration conf, HudiTable hourly, HudiTable daily, HudiTable ingest,
                          Duration interval, Consumer<LakehouseSnapshot> onChange) {
    this.lakehouse = lakehouse;
    this.conf = conf;
    this.hourly = hourly;
    this.daily = daily;
    this.ingest = ingest;
    this.interval = interval;
    this.onChange = onChange;
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "serving-lakehouse-watcher");
      t.setDaemon(true);
      return t;
    });
  }

  public void start() {
    executor.scheduleWithFixedDelay(this::pollSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  public LakehouseSnapshot current() {
    return current;
  }

  /** True after a successful poll, false from a failed one until the next success. */
  public boolean healthy() {
    return polledOnce && lastError == null;
  }

  public Optional<String> lastError() {
    return Optional.ofNullable(lastError);
  }

  /** One poll, on the caller's thread (tests; the scheduled polls use the same path). */
  public void pollNow() {
    LakehouseSnapshot next = read();
    polledOnce = true;
    if (lastError != null) {
      log.info("event=lakehouse_reachable_again lakehouse={}", lakehouse);
      lastError = null;
    }
    if (!Objects.equals(next, current)) {
      current = next;
      log.info("event=lakehouse_changed horizon={} hourly_instant={} daily_instant={} ingest_instant={}",
          next.horizon(), next.hourlyInstant(), next.dailyInstant(), next.ingestInstant());
      onChange.accept(next);
    }
  }

  private void pollSafely() {
    try {
      pollNow();
    } catch (RuntimeException e) {
      if (lastError == null) {
        log.warn("event=lakehouse_unreachable lakehouse={} error=\"{}\"", lakehouse, e.toString());
      }
      lastError = e.getMessage() == null ? e.toString() : e.getMessage();
    }
  }

  private LakehouseSnapshot read() {
    Optional<BatchHorizon> horizon = BatchHorizon.read(lakehouse, conf);
    return new LakehouseSnapshot(horizon.map(BatchHorizon::horizon).orElse(null),
        horizon.map(BatchHorizon::computedAt).orElse(null), hourly.latestInstant().orElse(null),
        daily.latestInstant().orElse(null), ingest.latestInstant().orElse(null));
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
