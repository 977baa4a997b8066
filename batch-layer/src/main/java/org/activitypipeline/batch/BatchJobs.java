package org.activitypipeline.batch;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import org.activitypipeline.batch.config.BatchConfig;
import org.activitypipeline.batch.hive.HiveSyncJob;
import org.activitypipeline.batch.ingest.IngestJob;
import org.activitypipeline.batch.job.BatchJob;
import org.activitypipeline.batch.lock.TableLocks;
import org.activitypipeline.batch.maintenance.ClusteringJob;
import org.activitypipeline.batch.reconcile.ReconcileJob;
import org.activitypipeline.batch.views.ViewsJob;

/** Every job of the batch layer, built from the one config object. */
final class BatchJobs {

  private BatchJobs() {}

  static List<BatchJob> all(BatchConfig cfg, MeterRegistry metrics) {
    TableLocks locks = new TableLocks(cfg.jdbcUrl(), cfg.jdbcUser(), cfg.jdbcPassword(), cfg.lockWait());
    return List.of(
        new IngestJob(cfg.ingest(), cfg.hudi(), locks, metrics),
        new ViewsJob(cfg.hudi(), locks, cfg.horizonLag(), false, Clock.systemUTC(), metrics),
        new ViewsJob(cfg.hudi(), locks, cfg.horizonLag(), true, Clock.systemUTC(), metrics),
        new ClusteringJob(cfg.hudi(), locks),
        new HiveSyncJob(cfg.hive(), cfg.hudi()),
        new ReconcileJob(cfg.reconcile(), cfg.hudi(), Clock.systemUTC(), metrics));
  }
}
