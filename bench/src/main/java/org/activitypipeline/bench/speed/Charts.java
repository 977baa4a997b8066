package org.activitypipeline.bench.speed;

import static org.activitypipeline.bench.report.BarCharts.plot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.activitypipeline.bench.report.BarCharts;
import org.activitypipeline.bench.processor.ProcessorBenchmark.Latency;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * The PNG charts of a {@code bench speed} run (JFreeChart, headless): every measured run is its own
 * bar, so the spread is visible next to the median that the tables report.
 */
final class Charts {
  private final BarCharts charts;

  Charts(Path dir) throws IOException {
    this.charts = new BarCharts(dir);
  }

  /** Throughput of every run, grouped by implementation. */
  Path throughput(ThroughputPart.Result r, String subtitle) throws IOException {
    DefaultCategoryDataset d = new DefaultCategoryDataset();
    for (int i = 0; i < r.rounds().size(); i++) {
      String run = "round " + (i + 1);
      d.addValue(r.copy().get(i), run, label("raw transactional copy", r.copy()));
      d.addValue(r.processor().get(i), run, label("speed-layer processor", r.processor()));
      for (int v = 0; v < r.variants().size(); v++) {
        d.addValue(r.streams(v).get(i), run, label(r.variants().get(v).label, r.streams(v)));
      }
    }
    CategoryPlot plot = plot(d, new NumberAxis("events/s"), "#,##0", 0);
    return charts.save("speed-throughput.png", String.format("Throughput over %,d pre-written activities,"
        + " %d thread(s) each, alternating runs", r.input().size, r.threads()), plot, subtitle);
  }

  /** p50, p99 and max of both implementations at each input rate. */
  Path latency(List<LatencyPart.Result> results, String subtitle) throws IOException {
    DefaultCategoryDataset d = new DefaultCategoryDataset();
    for (LatencyPart.Result r : results) {
      String at = String.format(" at %,.0f/s", r.rate());
      add(d, "speed-layer processor", r.processor(), at);
      add(d, "Kafka Streams peer", r.streams(), at);
    }
    CategoryPlot plot = plot(d, new NumberAxis("ms"), "#,##0", 0);
    return charts.save("speed-latency.png", "Event → aggregate update latency, both at the same input rate", plot,
        subtitle);
  }

  /** Late events in the backlog replay: the truth against what each implementation left out. */
  Path backlog(BacklogPart.Result r, String subtitle) throws IOException {
    DefaultCategoryDataset d = new DefaultCategoryDataset();
    Input in = r.input();
    d.addValue(in.lateHourlyByPartition.cardinality(), "truly late (per partition)", "hourly windows");
    d.addValue(in.lateDailyByPartition.cardinality(), "truly late (per partition)", "daily windows");
    d.addValue(in.lateHourlyGlobal.cardinality(), "truly late (global order)", "hourly windows");
    d.addValue(in.lateDailyGlobal.cardinality(), "truly late (global order)", "daily windows");
    if (r.processor() != null) {
      d.addValue(r.processor().result().lateHourly(), "processor: to late-activities", "hourly windows");
      d.addValue(r.processor().result().lateDaily(), "processor: to late-activities", "daily windows");
    }
    for (int v = 0; v < r.variants().size(); v++) {
      String series = r.variants().get(v).label + ": dropped";
      d.addValue(r.streams().get(v).result().lateHourly(), series, "hourly windows");
      d.addValue(r.streams().get(v).result().lateDaily(), series, "daily windows");
    }
    CategoryPlot plot = plot(d, new NumberAxis("events classified late"), "#,##0", 0);
    return charts.save("speed-backlog.png", String.format("Backlog replay: %,d activities over %.0f h,"
        + " from empty state", in.size, r.hours()), plot, subtitle);
  }

  /** Processor throughput per run and CPU per million events, by thread count. */
  Path scaling(ScalingPart.Result r, String subtitle) throws IOException {
    DefaultCategoryDataset runs = new DefaultCategoryDataset();
    DefaultCategoryDataset cpu = new DefaultCategoryDataset();
    for (Map.Entry<Integer, List<Runner.Measured>> e : r.byThreads().entrySet()) {
      String threads = e.getKey() + (e.getKey() == 1 ? " thread" : " threads");
      List<Runner.Measured> m = e.getValue();
      for (int i = 0; i < m.size(); i++) {
        runs.addValue(m.get(i).eventsPerSecond(), "round " + (i + 1), threads);
      }
      cpu.addValue(Stats.of(m.stream().map(Runner.Measured::jvmCpuPerMillion).toList()).median(),
          "bench JVM (processor)", threads);
      cpu.addValue(Stats.of(m.stream().map(Runner.Measured::brokerCpuPerMillion).toList()).median(), "broker",
          threads);
    }
    CombinedDomainCategoryPlot plot = new CombinedDomainCategoryPlot(new CategoryAxis("processor threads"));
    plot.add(plot(runs, new NumberAxis("events/s"), "#,##0", 0), 3);
    plot.add(plot(cpu, new NumberAxis("CPU s per 1M events (median)"), "0.0", 4), 2);
    plot.setGap(12);
    return charts.save("speed-scaling.png", "Processor scaling: throughput per run and CPU cost", plot, subtitle);
  }

  private static void add(DefaultCategoryDataset d, String series, Latency l, String at) {
    d.addValue(l.p50(), series, "p50" + at);
    d.addValue(l.p99(), series, "p99" + at);
    d.addValue(l.max(), series, "max" + at);
  }

  private static String label(String name, List<Double> values) {
    return String.format("%s (median %,.0f)", name, Stats.of(values).median());
  }
}
