package org.activitypipeline.bench.batch;

import static org.activitypipeline.bench.report.BarCharts.plot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.activitypipeline.bench.batch.BatchBenchmark.FileStats;
import org.activitypipeline.bench.batch.BatchBenchmark.SmallFiles;
import org.activitypipeline.bench.report.BarCharts;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.data.category.DefaultCategoryDataset;

/** The PNG charts of a {@code bench batch} run: every measured run is its own bar. */
final class BatchCharts {
  private final BarCharts charts;

  BatchCharts(Path dir) throws IOException {
    this.charts = new BarCharts(dir);
  }

  /** Records/s of the batch-layer ingest and the bulk insert, pair by pair. */
  Path ingest(List<Double> ingest, List<Double> bulk, int records, String subtitle) throws IOException {
    DefaultCategoryDataset d = new DefaultCategoryDataset();
    for (int i = 0; i < ingest.size(); i++) {
      String pair = "pair " + (i + 1);
      d.addValue(ingest.get(i), String.format("batch-layer ingest (median %,.0f)", BatchBenchmark.median(ingest)),
          pair);
      d.addValue(bulk.get(i), String.format("Hudi Java client bulk insert (median %,.0f)",
          BatchBenchmark.median(bulk)), pair);
    }
    return charts.save("batch-ingest.png", String.format("Kafka → Hudi on HDFS: %,d activities per run,"
        + " alternating runs into fresh tables", records), plot(d, new NumberAxis("records/s"), "#,##0", 0), subtitle);
  }

  /** Smallest, median and largest file of the partition before and after clustering. */
  Path smallFiles(SmallFiles s, String subtitle) throws IOException {
    DefaultCategoryDataset d = new DefaultCategoryDataset();
    add(d, String.format("after %d ingests of %,d activities", s.ingests(), s.recordsEach()), s.before());
    add(d, String.format("after clustering (target %d MiB, %.1f s)", s.targetBytes() >> 20, s.clusteringSeconds()),
        s.after());
    return charts.save("batch-files.png", "Files of one date partition before and after clustering",
        plot(d, new NumberAxis("MiB per file"), "0.00", 0), subtitle);
  }

  private static void add(DefaultCategoryDataset d, String when, FileStats f) {
    String category = String.format("%s: %d file%s", when, f.files(), f.files() == 1 ? "" : "s");
    List<Long> sizes = f.sizes();
    if (sizes.isEmpty()) {
      return;
    }
    d.addValue(sizes.get(0) / 1048576.0, "smallest file", category);
    d.addValue(sizes.get(sizes.size() / 2) / 1048576.0, "median file", category);
    d.addValue(sizes.get(sizes.size() - 1) / 1048576.0, "largest file", category);
  }
}
