package org.activitypipeline.batch.schedule;

import java.text.ParseException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.activitypipeline.common.config.ConfigException;
import org.quartz.CronExpression;

/**
 * Settings of the clustered Quartz scheduler. Immutable; the constructor validates everything, so a
 * bad value fails at startup with a {@link ConfigException} naming its key, never in a worker thread.
 *
 * @param jdbcUrl PostgreSQL holding the {@code QRTZ_} tables (init-scripts/postgres/03-quartz.sql)
 * @param schedulerName the cluster: every node with the same name shares jobs and triggers
 * @param instanceId unique per node; {@value #AUTO_INSTANCE_ID} lets Quartz derive it from host name and start time
 * @param threadCount jobs this node runs at once
 * @param clusterCheckinInterval how often a node proves it is alive; a node silent for this plus
 *     Quartz's fixed 7.5 s grace is declared dead and its triggers and recoverable jobs are taken over
 * @param misfireThreshold how late a fire may start before it counts as missed (and is skipped)
 * @param cronByJob job name to Quartz cron expression, evaluated in UTC; a job not listed is not
 *     scheduled but can still be triggered or run once
 */
public record SchedulerSettings(
    String jdbcUrl,
    String user,
    String password,
    String schedulerName,
    String instanceId,
    int threadCount,
    Duration clusterCheckinInterval,
    Duration misfireThreshold,
    Map<String, String> cronByJob) {

  public static final String AUTO_INSTANCE_ID = "AUTO";
  public static final String DEFAULT_SCHEDULER_NAME = "batch-layer";
  public static final int DEFAULT_THREAD_COUNT = 4;
  /** Quartz's own default. */
  public static final Duration DEFAULT_CLUSTER_CHECKIN_INTERVAL = Duration.ofMillis(7_500);
  /** Quartz's own default. */
  public static final Duration DEFAULT_MISFIRE_THRESHOLD = Duration.ofSeconds(60);
  // Column widths of the QRTZ_ tables: longer values would fail on some insert later instead of here.
  // SCHED_NAME is VARCHAR(120); a fired trigger's ENTRY_ID (VARCHAR(95)) is the instance id plus a
  // 13-digit counter.
  private static final int MAX_SCHEDULER_NAME = 120;
  private static final int MAX_INSTANCE_ID = 80;

  public SchedulerSettings {
    requireText("jdbcUrl", jdbcUrl);
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    requireText("schedulerName", schedulerName);
    requireText("instanceId", instanceId);
    if (schedulerName.length() > MAX_SCHEDULER_NAME) {
      throw new ConfigException("schedulerName", "schedulerName must be at most " + MAX_SCHEDULER_NAME
          + " characters, was " + schedulerName.length());
    }
    if (instanceId.length() > MAX_INSTANCE_ID) {
      throw new ConfigException("instanceId", "instanceId must be at most " + MAX_INSTANCE_ID
          + " characters, was " + instanceId.length());
    }
    if (threadCount < 1) {
      throw new ConfigException("threadCount", "threadCount must be at least 1, was " + threadCount);
    }
    requirePositive("clusterCheckinInterval", clusterCheckinInterval);
    requirePositive("misfireThreshold", misfireThreshold);
    Objects.requireNonNull(cronByJob, "cronByJob").forEach(SchedulerSettings::requireValidCron);
    cronByJob = Map.copyOf(cronByJob);
  }

  /** Quartz's defaults, the cluster {@value #DEFAULT_SCHEDULER_NAME} and an instance id chosen by Quartz. */
  public static SchedulerSettings defaults(String jdbcUrl, String user, String password,
      Map<String, String> cronByJob) {
    return new SchedulerSettings(jdbcUrl, user, password, DEFAULT_SCHEDULER_NAME, AUTO_INSTANCE_ID,
        DEFAULT_THREAD_COUNT, DEFAULT_CLUSTER_CHECKIN_INTERVAL, DEFAULT_MISFIRE_THRESHOLD, cronByJob);
  }

  /** The config key of a job's schedule, as messages and the CLI name it. */
  public static String cronKey(String job) {
    return "job." + job + ".cron";
  }

  /** Keeps the password out of logs. */
  @Override
  public String toString() {
    return "SchedulerSettings[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password=***, schedulerName="
        + schedulerName + ", instanceId=" + instanceId + ", threadCount=" + threadCount
        + ", clusterCheckinInterval=" + clusterCheckinInterval + ", misfireThreshold=" + misfireThreshold
        + ", cronByJob=" + cronByJob + "]";
  }

  private static void requireValidCron(String job, String cron) {
    String key = cronKey(job);
    if (job == null || job.isBlank()) {
      throw new ConfigException(key, "A cron expression is configured for a job with a blank name");
    }
    if (cron == null || cron.isBlank()) {
      throw new ConfigException(key, "Missing cron expression for config key '" + key + "'");
    }
    try {
      CronExpression.validateExpression(cron);
    } catch (ParseException e) {
      throw new ConfigException(key, "Invalid cron expression '" + cron + "' for config key '" + key + "': "
          + e.getMessage());
    }
  }

  private static void requireText(String key, String value) {
    if (value == null || value.isBlank()) {
      throw new ConfigException(key, "Missing value for " + key);
    }
  }

  private static void requirePositive(String key, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new ConfigException(key, key + " must be positive, was " + value);
    }
  }
}
