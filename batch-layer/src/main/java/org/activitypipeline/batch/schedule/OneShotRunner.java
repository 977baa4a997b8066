package org.activitypipeline.batch.schedule;

import java.time.Clock;
import java.util.Collection;
import org.activitypipeline.batch.job.BatchJob;

/**
 * Runs one job once in this thread, without Quartz or its database: {@code batch-layer run-once JOB}.
 * Logs like a scheduled run. Nothing stops a scheduled run of the same job meanwhile; that is safe
 * because jobs are idempotent, merely wasted work.
 */
public final class OneShotRunner {
  private final JobRunner runner;
  private final Clock clock;

  public OneShotRunner(Collection<? extends BatchJob> jobs) {
    this(jobs, JobScheduler.Listener.NONE, Clock.systemUTC());
  }

  OneShotRunner(Collection<? extends BatchJob> jobs, JobScheduler.Listener listener, Clock clock) {
    this.runner = new JobRunner(JobCatalog.of(jobs), listener);
    this.clock = clock;
  }

  /**
   * @return the job's one-line summary
   * @throws IllegalArgumentException if there is no job {@code name}; the message lists the known ones
   * @throws Exception whatever the job threw, after it was logged as {@code event=job_failed}
   */
  public String run(String name) throws Exception {
    return runner.run(name, clock.instant(), false);
  }
}
