package org.activitypipeline.batch.maintenance;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.activitypipeline.batch.job.BatchJob;
import org.activitypipeline.batch.lock.TableLocks;
import org.activitypipeline.lakehouse.Tables;
import org.activitypipeline.lakehouse.hudi.HudiSettings;
import org.activitypipeline.lakehouse.hudi.HudiTable;
import org.activitypipeline.lakehouse.hudi.HudiTableSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites the small files that frequent ingests leave into files near the target size (Hudi
 * clustering, Java sort-and-size strategy), table by table. Holding a table's write lock while
 * it clusters keeps ingest out of the file groups being replaced (RECIPES: the Java client does
 * not refuse such updates), but only for that table and only for the seconds the rewrite takes.
 * Cleaning and archival run after every commit (Hudi's automatic table services), so the
 * timeline and the old file versions stay bounded; all tables are COPY_ON_WRITE, so there is
 * nothing to compact.
 */
public final class ClusteringJob implements BatchJob {

  public static final String NAME = "cluster";
  private static final Logger log = LoggerFactory.getLogger(ClusteringJob.class);

  private final HudiSettings hudi;
  private final TableLocks locks;

  public ClusteringJob(HudiSettings hudi, TableLocks locks) {
    this.hudi = hudi;
    this.locks = locks;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String run() {
    List<String> done = new ArrayList<>();
    for (HudiTableSpec spec : Tables.ALL) {
      HudiTable table = new HudiTable(spec, hudi);
      if (!table.exists()) {
        continue;
      }
      long started = System.nanoTime();
      Optional<String> instant;
      try (TableLocks.Held lock = locks.acquire(spec.name())) {
        instant = table.cluster();
      }
      if (instant.isPresent()) {
        long ms = (System.nanoTime() - started) / 1_000_000;
        log.info("event=clustered table={} instant={} duration_ms={}", spec.name(), instant.get(), ms);
        done.add(spec.name() + "@" + instant.get());
      }
    }
    return done.isEmpty() ? "nothing to cluster" : "clustered " + String.join(" ", done);
  }
}
