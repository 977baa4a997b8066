package org.activitypipeline.batch.schedule;

import java.time.Instant;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Quartz job class: finds the {@link org.activitypipeline.batch.job.BatchJob} named in the
 * JobDataMap and runs it through the node's {@link JobRunner} (kept in the SchedulerContext, which
 * lives in memory only, so nothing but the name is persisted).
 *
 * <p>{@code @DisallowConcurrentExecution} is enforced cluster-wide by the JDBC store: while a run is
 * in progress the job's triggers are BLOCKED for every node, so a job never overlaps itself.
 *
 * <p>A failure becomes a {@link JobExecutionException} with {@code refireImmediately=false}: the
 * failure is logged once, and the next cron fire is the retry. Refiring at once would spin on a
 * persistent error (HDFS down) and hold a worker thread.
 *
 * <p>Public only because Quartz instantiates it reflectively.
 */
@DisallowConcurrentExecution
public final class QuartzJobAdapter implements Job {
  /** SchedulerContext key of the node's {@link JobRunner}. */
  static final String RUNNER_KEY = JobRunner.class.getName();
  /** JobDataMap key of the job name. */
  static final String JOB_NAME_KEY = "batch.job.name";
  private static final Logger LOG = LoggerFactory.getLogger(QuartzJobAdapter.class);

  @Override
  public void execute(JobExecutionContext context) throws JobExecutionException {
    String name = context.getJobDetail().getJobDataMap().getString(JOB_NAME_KEY);
    if (name == null) {
      // What quartz#1416 (2.5.1 on PostgreSQL) looked like: the stored job data came back null.
      LOG.error("event=job_data_missing job_key={} missing={}", context.getJobDetail().getKey(), JOB_NAME_KEY);
      throw new JobExecutionException("job " + context.getJobDetail().getKey() + " has no " + JOB_NAME_KEY
          + " in its JobDataMap", false);
    }
    JobRunner runner = runner(context);
    if (!runner.catalog().contains(name)) {
      // Nodes with different job sets (mid rolling upgrade): the fire is lost on this node, say so loudly.
      LOG.error("event=job_unknown job={} known_jobs=\"{}\"", name, runner.catalog().knownNames());
      throw new JobExecutionException("job " + name + " is unknown on this node", false);
    }
    // An Error thrown by the job is logged and counted by the runner and caught by Quartz's JobRunShell,
    // whose worker thread survives it.
    try {
      runner.run(name, scheduledFireTime(context), context.isRecovering());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JobExecutionException("job " + name + " was interrupted", false);
    } catch (Exception e) {
      // Without the cause: the runner logged it in full, and Quartz's JobRunShell logs this exception
      // again (at INFO, with its causes), which would print a long job stack trace twice.
      throw new JobExecutionException("job " + name + " failed: " + e, false);
    }
  }

  private static JobRunner runner(JobExecutionContext context) throws JobExecutionException {
    try {
      return (JobRunner) context.getScheduler().getContext().get(RUNNER_KEY);
    } catch (SchedulerException e) {
      throw new JobExecutionException("no job runner in the scheduler context", e, false);
    }
  }

  /** A recovered run reports the fire the dead node was executing, not the time of the recovery trigger. */
  private static Instant scheduledFireTime(JobExecutionContext context) {
    if (context.isRecovering()) {
      JobDataMap data = context.getMergedJobDataMap();
      String original = data.getString(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_SCHEDULED_FIRETIME_IN_MILLISECONDS);
      if (original != null) {
        return Instant.ofEpochMilli(Long.parseLong(original));
      }
    }
    return context.getScheduledFireTime().toInstant();
  }
}
