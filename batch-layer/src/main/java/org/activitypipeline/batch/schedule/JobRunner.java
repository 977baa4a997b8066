package org.activitypipeline.batch.schedule;

import java.time.Duration;
import java.time.Instant;
import org.activitypipeline.batch.job.BatchJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one job once, the same way for the scheduler and for {@code run-once}: logs
 * {@code job_started}, then {@code job_finished} or {@code job_failed} with the exception, and tells
 * the listener. Thread-safe; holds no state between runs.
 *
 * <p>While the job runs, the {@link #MDC_JOB}, {@link #MDC_SCHEDULED_FIRE_TIME} and
 * {@link #MDC_RECOVERING} MDC entries describe the run, so every line the job logs can be tied to it.
 */
final class JobRunner {
  static final String MDC_JOB = "job";
  /** ISO-8601 instant this run was scheduled for; for a recovered run, the fire that was interrupted. */
  static final String MDC_SCHEDULED_FIRE_TIME = "scheduled_fire_time";
  /** "true" when this run repeats one a dead node had started. */
  static final String MDC_RECOVERING = "recovering";
  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

  private final JobCatalog catalog;
  private final JobScheduler.Listener listener;

  JobRunner(JobCatalog catalog, JobScheduler.Listener listener) {
    this.catalog = catalog;
    this.listener = listener;
  }

  JobCatalog catalog() {
    return catalog;
  }

  /**
   * @return the job's summary
   * @throws IllegalArgumentException if there is no such job (nothing is logged as a run)
   * @throws Exception whatever the job threw, after logging it and telling the listener
   */
  String run(String name, Instant scheduledFireTime, boolean recovering) throws Exception {
    BatchJob job = catalog.require(name);
    try (MDC.MDCCloseable a = MDC.putCloseable(MDC_JOB, name);
        MDC.MDCCloseable b = MDC.putCloseable(MDC_SCHEDULED_FIRE_TIME, scheduledFireTime.toString());
        MDC.MDCCloseable c = MDC.putCloseable(MDC_RECOVERING, String.valueOf(recovering))) {
      LOG.info("event=job_started job={} scheduled_fire_time={} recovering={}", name, scheduledFireTime, recovering);
      long start = System.nanoTime();
      String summary;
      try {
        summary = job.run();
      } catch (Throwable t) {
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        LOG.error("event=job_failed job={} duration_ms={} error_type={} error=\"{}\"", name, took.toMillis(),
            t.getClass().getSimpleName(), t.getMessage(), t);
        notifyListener(() -> listener.failed(name, took, t));
        throw t;
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      LOG.info("event=job_finished job={} duration_ms={} summary=\"{}\"", name, took.toMillis(), summary);
      notifyListener(() -> listener.finished(name, took));
      return summary;
    }
  }

  /** A broken listener (metrics) must not turn a successful run into a failed one, nor hide a failure. */
  private static void notifyListener(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.warn("event=listener_failed error=\"{}\"", e.toString(), e);
    }
  }
}
