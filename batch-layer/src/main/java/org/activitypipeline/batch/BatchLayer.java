package org.activitypipeline.batch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.activitypipeline.batch.config.BatchConfig;
import org.activitypipeline.batch.schedule.JobScheduler;
import org.activitypipeline.batch.schedule.OneShotRunner;
import org.activitypipeline.batch.schedule.SchedulerSettings;
import org.activitypipeline.common.config.ConfigException;
import org.activitypipeline.common.ops.MetricsServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code java -jar batch-layer.jar run --config FILE}: the Quartz-scheduled batch layer (one node
 * of a cluster); {@code run-once JOB}: one job, once, then exit (for cron-less operation and repairs).
 */
@Command(name = "batch-layer", mixinStandardHelpOptions = true, version = "batch-layer 0.1.0",
    description = "The batch layer of the activity pipeline: Kafka -> Hudi on HDFS, batch views, clustering, Hive.",
    subcommands = {BatchLayer.Run.class, BatchLayer.RunOnce.class})
public final class BatchLayer implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(BatchLayer.class);

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    int code = new CommandLine(new BatchLayer()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  static BatchConfig config(Path file) {
    try {
      return BatchConfig.load(file, System.getenv());
    } catch (ConfigException e) {
      System.err.println("error: " + e.getMessage());
      return null;
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = {"Runs the jobs on their cron schedules (job.NAME.cron) as one node of a Quartz cluster on"
          + " PostgreSQL: start this on several machines and each trigger still runs once. Runs until SIGTERM."
          + " Config keys: docs/BATCH.md; environment BATCH_* overrides."})
  static final class Run implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "Properties file (default: built-in defaults).")
    Path config;

    @Override
    public Integer call() throws Exception {
      BatchConfig cfg = config(config);
      if (cfg == null) {
        return 2;
      }
      SchedulerSettings settings = new SchedulerSettings(cfg.jdbcUrl(), cfg.jdbcUser(), cfg.jdbcPassword(),
          SchedulerSettings.DEFAULT_SCHEDULER_NAME, cfg.instanceId(), cfg.schedulerThreads(),
          cfg.clusterCheckinInterval(), cfg.misfireThreshold(), cfg.cronByJob());
      CountDownLatch stopped = new CountDownLatch(1);
      java.util.concurrent.atomic.AtomicReference<JobScheduler> running = new java.util.concurrent.atomic.AtomicReference<>();
      try (MetricsServer metrics = MetricsServer.start("batch-layer", cfg.metricsBind(), cfg.metricsPort(),
          () -> running.get() != null && running.get().isRunning())) {
        JobScheduler scheduler = new JobScheduler(settings, BatchJobs.all(cfg, metrics.registry()), new JobMetrics(metrics.registry()));
        running.set(scheduler);
        try {
          scheduler.start();
        } catch (Exception e) {
          LOG.error("event=fatal process=batch-layer error=\"{}\"", e.getMessage());
          return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          LOG.info("event=shutdown_requested process=batch-layer timeout_ms={}", cfg.shutdownTimeout().toMillis());
          // Running jobs may finish their Hudi commit; past the timeout the JVM exits anyway, and the next
          // writer rolls the unfinished commit back (the same as a crash).
          Thread closer = new Thread(() -> scheduler.close(true), "batch-layer-scheduler-close");
          closer.start();
          try {
            closer.join(cfg.shutdownTimeout().toMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          if (closer.isAlive()) {
            LOG.warn("event=shutdown_timeout process=batch-layer timeout_ms={}", cfg.shutdownTimeout().toMillis());
          }
          // Logged here, not after await() in main: the JVM halts once the hooks return, racing main.
          LOG.info("event=stopped process=batch-layer");
          stopped.countDown();
        }, "batch-layer-shutdown"));
        LOG.info("event=started process=batch-layer schedules={}", cfg.cronByJob());
        stopped.await();
      }
      return 0;
    }
  }

  @Command(name = "run-once", mixinStandardHelpOptions = true,
      description = {"Runs one job once and exits: ingest, views, views-full, cluster, hive-sync or reconcile."})
  static final class RunOnce implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "JOB", description = "ingest | views | views-full | cluster | hive-sync | reconcile")
    String job;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file (default: built-in defaults).")
    Path config;

    @Override
    public Integer call() {
      BatchConfig cfg = config(config);
      if (cfg == null) {
        return 2;
      }
      long started = System.nanoTime();
      try {
        String summary = new OneShotRunner(BatchJobs.all(cfg, new io.micrometer.core.instrument.simple.SimpleMeterRegistry())).run(job);
        LOG.info("event=job_finished job={} duration_ms={} summary=\"{}\"", job,
            (System.nanoTime() - started) / 1_000_000, summary);
        System.out.println(summary);
        return 0;
      } catch (IllegalArgumentException e) {
        System.err.println("error: " + e.getMessage());
        return 2;
      } catch (Exception e) {
        LOG.error("event=job_failed job={} duration_ms={} error=\"{}\"", job,
            (System.nanoTime() - started) / 1_000_000, e.toString(), e);
        System.err.println("error: job " + job + " failed: " + e.getMessage());
        return 1;
      }
    }
  }

  /** Counts and times job runs for /metrics. */
  static final class JobMetrics implements JobScheduler.Listener {
    private final MeterRegistry registry;

    JobMetrics(MeterRegistry registry) {
      this.registry = registry;
    }

    @Override
    public void finished(String job, Duration duration) {
      registry.timer("batch_job_runs", "job", job, "outcome", "ok").record(duration);
    }

    @Override
    public void failed(String job, Duration duration, Throwable error) {
      registry.timer("batch_job_runs", "job", job, "outcome", "failed").record(duration);
    }
  }
}
