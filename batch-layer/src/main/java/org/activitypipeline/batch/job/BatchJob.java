package org.activitypipeline.batch.job;

/**
 * One unit of batch work (ingest, clustering, views, Hive sync). The scheduler runs it on a cron
 * schedule, never twice at once in the cluster; {@code batch-layer run-once NAME} runs it once.
 * Implementations must be idempotent: after a crash the same run is simply repeated.
 */
public interface BatchJob {

  /** Stable name: the Quartz job key, the CLI argument and the config key prefix ({@code job.NAME.cron}). */
  String name();

  /**
   * Does the work once.
   *
   * @return a one-line summary for the log (for example "employee_activity: 5000 records, commit 2026...")
   */
  String run() throws Exception;
}
