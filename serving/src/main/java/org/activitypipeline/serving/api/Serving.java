package org.activitypipeline.serving.api;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.activitypipeline.common.ops.MetricsServer;
import org.activitypipeline.lakehouse.Tables;
import org.activitypipeline.lakehouse.hudi.HudiSettings;
import org.activitypipeline.lakehouse.hudi.HudiTable;
import org.activitypipeline.serving.batch.BatchViews;
import org.activitypipeline.serving.batch.LakehouseWatcher;
import org.activitypipeline.serving.completeness.CompletenessView;
import org.activitypipeline.serving.config.ServingConfig;
import org.activitypipeline.serving.health.DeadLetterView;
import org.activitypipeline.serving.health.LateActivityCounts;
import org.activitypipeline.serving.health.MetricsScraper;
import org.activitypipeline.serving.health.PipelineHealth;
import org.activitypipeline.serving.health.PipelineStages;
import org.activitypipeline.serving.profile.EmployeeProfiles;
import org.activitypipeline.serving.speed.SpeedViews;
import org.activitypipeline.serving.tail.TopicTailer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serving process, the one entry point: {@link #start} wires the topic readers (speed views,
 * employee profiles), the lakehouse watcher and batch views, and the HTTP server; {@link #close}
 * stops them in reverse order (the HTTP server first, letting requests in flight finish). A
 * constructor step that fails closes what was already started.
 */
public final class Serving implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Serving.class);

  private final List<AutoCloseable> started = new ArrayList<>();
  private ApiServer http;
  private volatile boolean closed;

  private Serving() {}

  /**
   * Starts everything; returns once the HTTP port is bound. Readiness ({@code /ready}) follows
   * once the topics are read up to where they stood and the lakehouse answered.
   *
   * @throws IOException when the HTTP port cannot be bound
   */
  public static Serving start(ServingConfig cfg, Clock clock) throws IOException {
    Serving s = new Serving();
    try {
      s.wire(cfg, clock);
      return s;
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  private void wire(ServingConfig cfg, Clock clock) throws IOException {
    MetricsServer metrics = MetricsServer.start("serving", cfg.httpBind(), 0, () -> true); // served by the API port
    started.add(metrics);
    MeterRegistry registry = metrics.registry();

    SpeedViews speed = new SpeedViews(cfg.hourlyTopic(), cfg.dailyTopic());
    EmployeeProfiles profiles = new EmployeeProfiles(cfg.profileRecentActivities(), cfg.profileMaxEmployees());
    TopicTailer views = new TopicTailer("speed-views", cfg.kafka(), List.of(cfg.hourlyTopic(), cfg.dailyTopic()),
        null, speed::accept, clock);
    TopicTailer employees = new TopicTailer("employees", cfg.kafka(), List.of(cfg.employeesTopic()), null,
        profiles::acceptEmployee, clock);
    TopicTailer activities = new TopicTailer("activities", cfg.kafka(), List.of(cfg.activitiesTopic()),
        cfg.profileRecentWindow(), profiles::acceptActivity, clock);
    CompletenessView completeness = new CompletenessView();
    TopicTailer reconciliation = new TopicTailer("completeness", cfg.kafka(), List.of(cfg.completenessTopic()), null,
        completeness::accept, clock);
    List<TopicTailer> tailers = List.of(views, employees, activities);

    HudiSettings hudi = HudiSettings.forReading(cfg.lakehouse(), cfg.hadoop());
    HudiTable hourly = new HudiTable(Tables.HOURLY_ACTIVITY_AGG, hudi);
    HudiTable daily = new HudiTable(Tables.DAILY_DEVICE_AGG, hudi);
    BatchViews batch = new BatchViews(hourly, daily, cfg.cacheEnabled(), cfg.cachePartitionRows(),
        cfg.cacheMaxBytes(), registry);
    LakehouseWatcher watcher = new LakehouseWatcher(hudi.lakehouse(), HudiTable.hadoopConf(hudi), hourly, daily,
        new HudiTable(Tables.EMPLOYEE_ACTIVITY, hudi), cfg.lakehousePollInterval(), snapshot -> {
          batch.invalidate();
          speed.advanceHorizon(snapshot.horizon());
        });

    // The horizon first: the compacted aggregation topics hold every window ever written, and the
    // speed views drop those the batch views cover as they are read, instead of holding them all.
    try {
      watcher.pollNow();
    } catch (RuntimeException e) {
      log.warn("event=lakehouse_unreachable_at_start lakehouse={} error=\"{}\"", cfg.lakehouse(), e.toString());
    }
    for (TopicTailer t : tailers) {
      t.start();
      started.add(t);
      Gauge.builder("serving_topic_records_read", t, TopicTailer::recordsRead).tag("reader", t.name())
          .register(registry);
    }
    // Not part of readiness: the API answers without the reconciliation's results (an empty list until they come).
    reconciliation.start();
    started.add(reconciliation);
    watcher.start();
    started.add(watcher);
    Gauge.builder("serving_speed_windows", speed, SpeedViews::hourlyWindows).tag("view", "hourly").register(registry);
    Gauge.builder("serving_speed_windows", speed, SpeedViews::dailyWindows).tag("view", "daily").register(registry);
    Gauge.builder("serving_completeness_hours", completeness, CompletenessView::hours).register(registry);
    Gauge.builder("serving_invalid_records", () -> speed.invalidRecords() + profiles.invalidRecords()
            + completeness.invalidRecords())
        .register(registry);
    Gauge.builder("serving_batch_horizon_lag_seconds", watcher, w -> w.current().horizon() == null ? Double.NaN
        : (clock.millis() - w.current().horizon().toEpochMilli()) / 1000.0).register(registry);

    PipelineHealth health = startHealth(cfg, clock, metrics.registry(), views, watcher, completeness);
    ServingQueries queries = new ServingQueries(speed, batch, watcher, profiles, completeness, tailers, cfg.queryMaxRange(),
        health);
    http = new ApiServer(queries, metrics.registry(), cfg);
    http.start();
    if (cfg.unauthenticatedLoopback()) {
      // Allowed for local development only: ServingConfig refuses it on any other address.
      log.warn("event=auth_disabled http={} reason=\"auth.token is unset; the API is open to every local user."
          + " Set SERVING_AUTH_TOKEN (openssl rand -hex 32) before binding anything but loopback\"", cfg.httpBind());
    }
    log.info("event=started process=serving http={}:{} auth={} metrics_auth={} lakehouse={} cache={}", cfg.httpBind(),
        http.port(), cfg.authToken() == null ? "off" : "bearer", cfg.metricsToken() == null ? "off" : "bearer",
        cfg.lakehouse(), cfg.cacheEnabled());
  }

  /**
   * The pipeline-health view: the processes' metrics read every health.scrape-interval, the dead-letter
   * and late-activity topics read from health.lookback back. Neither is part of readiness.
   */
  private PipelineHealth startHealth(ServingConfig cfg, Clock clock, PrometheusMeterRegistry registry, TopicTailer views,
                                     LakehouseWatcher watcher, CompletenessView completeness) {
    MetricsScraper scraper = new MetricsScraper(cfg.healthTargets(), registry::scrape,
        cfg.healthScrapeInterval(), cfg.healthRateWindow(), cfg.healthScrapeTimeout(), clock);
    DeadLetterView deadLetters = new DeadLetterView();
    LateActivityCounts late = new LateActivityCounts(cfg.healthLookback());
    TopicTailer dlq = new TopicTailer("dead-letters", cfg.kafka(), List.of(cfg.deadLetterTopic()),
        cfg.healthLookback(), deadLetters::accept, clock);
    TopicTailer lateReader = new TopicTailer("late-activities", cfg.kafka(), List.of(cfg.lateActivitiesTopic()),
        cfg.healthLookback(), late::accept, clock);
    dlq.start();
    started.add(dlq);
    lateReader.start();
    started.add(lateReader);
    scraper.start();
    started.add(scraper);
    PipelineHealth.Sources sources = new PipelineHealth.Sources() {
      @Override
      public Instant newestSpeedUpdate() {
        return views.newestRecordTime();
      }

      @Override
      public Instant batchHorizon() {
        return watcher.current().horizon();
      }

      @Override
      public PipelineHealth.Completeness completenessSince(Instant from) {
        return PipelineHealth.Completeness.of(completeness.between(from, clock.instant().plusSeconds(3600)));
      }
    };
    return new PipelineHealth(PipelineStages.of(cfg.activitiesTopic(), cfg.employeesTopic()), scraper, deadLetters,
        clock.instant().minus(cfg.healthLookback()), late, sources, clock);
  }

  /** The bound HTTP port. */
  public int port() {
    return http.port();
  }

  /** Stops the HTTP server (requests in flight finish), then the readers. Safe to call twice. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (http != null) {
      http.close();
    }
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        log.warn("event=close_failed component={} error=\"{}\"", started.get(i).getClass().getSimpleName(),
            e.toString());
      }
    }
    log.info("event=stopped process=serving");
  }
}
