package org.activitypipeline.batch.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.activitypipeline.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.quartz.CronTrigger;
import org.quartz.JobDetail;

/** What needs no database: validation, the Quartz configuration, the shape of jobs and triggers. */
class JobSchedulerTest {

  @Test
  void aCronForAnUnknownJobIsAConfigErrorNamingTheKey() {
    SchedulerSettings settings = SchedulerSettings.defaults("jdbc:postgresql://h/db", "u", "p",
        Map.of("ingset", "0 */5 * * * ?"));
    ConfigException e = assertThrows(ConfigException.class,
        () -> new JobScheduler(settings, List.of(TestJobs.noop("ingest"))));
    assertEquals("job.ingset.cron", e.key());
    assertTrue(e.getMessage().contains("known jobs: ingest"), e.getMessage());
  }

  @Test
  void closeBeforeStartIsHarmlessAndFinal() {
    JobScheduler scheduler = new JobScheduler(
        SchedulerSettings.defaults("jdbc:postgresql://h/db", "u", "p", Map.of()), List.of(TestJobs.noop("ingest")));
    scheduler.close();
    scheduler.close();
    assertThrows(IllegalStateException.class, scheduler::start);
    assertThrows(IllegalStateException.class, () -> scheduler.triggerNow("ingest"));
  }

  @Test
  void quartzIsClusteredOnPostgresWithTriggerAcquisitionUnderTheLock() {
    Properties p = QuartzProperties.of(SchedulerSettings.defaults("jdbc:postgresql://h/db", "u", "p", Map.of()), "ds1");
    assertEquals("org.quartz.impl.jdbcjobstore.JobStoreTX", p.getProperty("org.quartz.jobStore.class"));
    assertEquals("org.quartz.impl.jdbcjobstore.PostgreSQLDelegate",
        p.getProperty("org.quartz.jobStore.driverDelegateClass"));
    assertEquals("true", p.getProperty("org.quartz.jobStore.isClustered"));
    assertEquals("true", p.getProperty("org.quartz.jobStore.acquireTriggersWithinLock"));
    assertEquals("QRTZ_", p.getProperty("org.quartz.jobStore.tablePrefix"));
    assertEquals("AUTO", p.getProperty("org.quartz.scheduler.instanceId"));
    assertEquals("hikaricp", p.getProperty("org.quartz.dataSource.ds1.provider"));
    assertEquals("7", p.getProperty("org.quartz.dataSource.ds1.maxConnections"));
  }

  @Test
  void jobsAreDurableRecoverableNonConcurrentAndCarryTheirName() {
    JobDetail detail = ScheduleReconciler.jobDetail("ingest");
    assertEquals("batch", detail.getKey().getGroup());
    assertTrue(detail.isDurable());
    assertTrue(detail.requestsRecovery());
    assertTrue(detail.isConcurrentExecutionDisallowed());
    assertEquals("ingest", detail.getJobDataMap().getString(QuartzJobAdapter.JOB_NAME_KEY));
  }

  @Test
  void triggersSkipMissedFiresAndRunInUtc() {
    CronTrigger trigger = ScheduleReconciler.trigger("ingest", "0 */5 * * * ?");
    assertEquals(CronTrigger.MISFIRE_INSTRUCTION_DO_NOTHING, trigger.getMisfireInstruction());
    assertEquals("UTC", trigger.getTimeZone().getID());
  }
}
