package org.activitypipeline.bench.serving;

import static org.activitypipeline.bench.report.BarCharts.plot;

import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import java.util.Map;
import org.activitypipeline.bench.report.BarCharts;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;

/** The PNG charts of a {@code bench serving} run: every round is its own bar, cached beside uncached. */
final class ServingCharts {
  private final BarCharts charts;

  ServingCharts(Path dir) throws IOException {
    this.charts = new BarCharts(dir);
  }

  /** Closed-loop requests/s, cached and uncached, round by round. */
  Path maxRate(Map<String, List<LoadRun.Result>> results, int concurrency, String subtitle) throws IOException {
    DefaultCategoryDataset d = new DefaultCategoryDataset();
    for (String mode : new String[] {"cached", "uncached"}) {
      List<LoadRun.Result> runs = results.getOrDefault(ServingBenchmark.closedLoopRun(mode, concurrency), List.of());
      for (int i = 0; i < runs.size(); i++) {
        d.addValue(runs.get(i).rate(), mode, "round " + (i + 1));
      }
    }
    return charts.save("serving-rate.png", "Serving API: maximum rate, " + concurrency + " requests in flight",
        plot(d, new NumberAxis("requests/s"), "#,##0", 0), subtitle);
  }

  /**
   * p50 and p99 at each fixed rate, cached and uncached, on a log axis: the two differ by one to
   * two orders of magnitude.
   */
  Path latency(Map<String, List<LoadRun.Result>> results, List<Double> rates, String subtitle) throws IOException {
    DefaultCategoryDataset d = new DefaultCategoryDataset();
    for (double rate : rates) {
      for (String mode : new String[] {"cached", "uncached"}) {
        List<LoadRun.Result> runs = results.getOrDefault(ServingBenchmark.fixedRateRun(mode, rate), List.of());
        for (int i = 0; i < runs.size(); i++) {
          String series = mode + ", round " + (i + 1);
          d.addValue(runs.get(i).p50Ms(), series, String.format("p50 at %,d req/s", (long) rate));
          d.addValue(runs.get(i).p99Ms(), series, String.format("p99 at %,d req/s", (long) rate));
        }
      }
    }
    LogAxis ms = new LogAxis("ms (log scale)");
    ms.setSmallestValue(1);
    ms.setTickUnit(new NumberTickUnit(1), false, true); // one tick per power of ten
    ms.setNumberFormatOverride(new DecimalFormat("#,##0"));
    CategoryPlot plot = plot(d, ms, "#,##0.0", 0);
    ((BarRenderer) plot.getRenderer()).setBase(1); // bars grow from 1 ms, the bottom of the log axis
    return charts.save("serving-latency.png", "Serving API latency at fixed request rates (open loop)", plot,
        subtitle);
  }
}
