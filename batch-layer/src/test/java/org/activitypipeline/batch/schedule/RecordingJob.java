package org.activitypipeline.batch.schedule;

import java.time.Duration;
import java.time.Instant;
import org.activitypipeline.batch.job.BatchJob;
import org.slf4j.MDC;

/**
 * A test job that records each execution in the {@link RunTable}: optionally claims its fire first
 * (fails if the fire already ran), records start, sleeps, records end. The fire it belongs to comes
 * from the MDC the {@link JobRunner} sets.
 */
final class RecordingJob implements BatchJob {
  private final String name;
  private final RunTable table;
  private final String scheduler;
  private final String instance;
  private final Duration sleep;
  private final boolean claimFire;

  RecordingJob(String name, RunTable table, String scheduler, String instance, Duration sleep, boolean claimFire) {
    this.name = name;
    this.table = table;
    this.scheduler = scheduler;
    this.instance = instance;
    this.sleep = sleep;
    this.claimFire = claimFire;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String run() throws Exception {
    long fire = Instant.parse(MDC.get(JobRunner.MDC_SCHEDULED_FIRE_TIME)).toEpochMilli();
    boolean recovering = Boolean.parseBoolean(MDC.get(JobRunner.MDC_RECOVERING));
    if (claimFire) {
      table.claimFire(scheduler, name, fire, instance);
    }
    long id = table.started(scheduler, name, fire, instance, recovering);
    Thread.sleep(sleep.toMillis());
    table.ended(id);
    return "recorded fire " + fire + " on " + instance;
  }
}
