package org.activitypipeline.batch.schedule;

import static org.quartz.CronScheduleBuilder.cronSchedule;

import java.util.Map;
import java.util.Objects;
import java.util.TimeZone;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schedules are configuration: makes the job store match this node's jobs and crons. Adds what is
 * missing, reschedules a trigger whose cron changed, unschedules triggers (and deletes jobs) that
 * are no longer configured, and leaves an unchanged trigger alone so it keeps its next fire time.
 *
 * <p>Every node runs this at start, possibly at the same moment. Quartz checks and inserts under
 * its TRIGGER_ACCESS row lock, so a race surfaces as {@link ObjectAlreadyExistsException}: the other
 * node won, and its trigger is compared like any stored one. With different configs on two nodes
 * (a rolling change), the last node to start wins, which is the one with the new config.
 */
final class ScheduleReconciler {
  static final String GROUP = "batch";
  /**
   * Crons run in UTC like every timestamp of the pipeline, so nodes with different default zones
   * agree on the schedule (and do not reschedule each other's triggers at every start).
   */
  static final TimeZone CRON_ZONE = TimeZone.getTimeZone("UTC");
  private static final Logger LOG = LoggerFactory.getLogger(ScheduleReconciler.class);

  private final Scheduler quartz;

  ScheduleReconciler(Scheduler quartz) {
    this.quartz = quartz;
  }

  void reconcile(JobCatalog catalog, Map<String, String> cronByJob) throws SchedulerException {
    for (String name : catalog.names()) {
      // replace=true: an upgraded node rewrites the stored class and data; the JobDetail has no run state.
      quartz.addJob(jobDetail(name), true);
    }
    for (JobKey stored : quartz.getJobKeys(GroupMatcher.jobGroupEquals(GROUP))) {
      if (!catalog.contains(stored.getName())) {
        // Otherwise its triggers would keep firing into "unknown job" failures on every node.
        quartz.deleteJob(stored);
        LOG.info("event=job_removed job={}", stored.getName());
      }
    }
    for (TriggerKey stored : quartz.getTriggerKeys(GroupMatcher.triggerGroupEquals(GROUP))) {
      if (!cronByJob.containsKey(stored.getName()) && quartz.unscheduleJob(stored)) {
        LOG.info("event=schedule_removed job={}", stored.getName());
      }
    }
    for (Map.Entry<String, String> e : cronByJob.entrySet()) {
      schedule(e.getKey(), e.getValue());
    }
  }

  static JobDetail jobDetail(String name) {
    return JobBuilder.newJob(QuartzJobAdapter.class)
        .withIdentity(name, GROUP)
        // Durable: a job without a cron stays in the store, so it can still be triggered.
        .storeDurably()
        // If the node running it dies, another node runs it again: jobs are idempotent (BatchJob).
        .requestRecovery()
        .usingJobData(QuartzJobAdapter.JOB_NAME_KEY, name)
        .build();
  }

  static CronTrigger trigger(String name, String cron) {
    return TriggerBuilder.newTrigger()
        .withIdentity(name, GROUP)
        .forJob(name, GROUP)
        // A missed fire (all nodes down, or the job still running) is skipped and the next one runs:
        // ingest and the views catch up on everything since their last commit anyway, so a burst of
        // catch-up runs would only repeat the same work.
        .withSchedule(cronSchedule(cron).inTimeZone(CRON_ZONE).withMisfireHandlingInstructionDoNothing())
        .build();
  }

  private void schedule(String name, String cron) throws SchedulerException {
    CronTrigger wanted = trigger(name, cron);
    Trigger stored = quartz.getTrigger(wanted.getKey());
    if (stored == null) {
      try {
        quartz.scheduleJob(wanted);
        LOG.info("event=schedule_added job={} cron=\"{}\"", name, wanted.getCronExpression());
        return;
      } catch (ObjectAlreadyExistsException raced) {
        stored = quartz.getTrigger(wanted.getKey());
        if (stored == null) {
          // Another node added it and a third removed it meanwhile: configs disagree, a restart settles it.
          throw new SchedulerException("trigger of job " + name + " was added and removed by other nodes", raced);
        }
      }
    }
    if (!sameSchedule(stored, wanted)) {
      quartz.rescheduleJob(wanted.getKey(), wanted);
      LOG.info("event=schedule_changed job={} from=\"{}\" to=\"{}\"", name, describe(stored),
          wanted.getCronExpression());
    }
  }

  private static boolean sameSchedule(Trigger stored, CronTrigger wanted) {
    return stored instanceof CronTrigger c
        // CronExpression upper-cases, so compare the normalised forms ("mon" == "MON").
        && Objects.equals(c.getCronExpression(), wanted.getCronExpression())
        && Objects.equals(c.getTimeZone().getID(), wanted.getTimeZone().getID())
        && c.getMisfireInstruction() == wanted.getMisfireInstruction();
  }

  private static String describe(Trigger stored) {
    return stored instanceof CronTrigger c ? c.getCronExpression() : stored.getClass().getSimpleName();
  }
}
