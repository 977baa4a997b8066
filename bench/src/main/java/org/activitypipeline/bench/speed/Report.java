package org.activitypipeline.bench.speed;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.activitypipeline.bench.processor.ProcessorBenchmark.Latency;
import org.activitypipeline.bench.report.LoadAverage;

/** The markdown report of one {@code bench speed} run (pasted into docs/BENCHMARKS.md). */
final class Report {
  private final StringBuilder sb = new StringBuilder();

  String text() {
    return sb.toString();
  }

  Report header(String machine, String loadBefore, String loadAfter, LoadAverage during, String settings) {
    line("### Run of %s", Instant.now().truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
    line("");
    line("**Machine:** %s. **Load average** (`uptime`, 1/5/15 min): %s before, %s after; 1-minute load at the"
        + " end of each measured run: %s.", machine, loadBefore, loadAfter, during);
    line("");
    line("**Settings:** %s", settings);
    line("");
    return this;
  }

  Report input(String name, Input in, String timeline) {
    line("**%s:** %,d activities (~%d bytes each) in %d partitions, %s; %,d uploaded 5 min or more late;"
        + " truly late (per partition / global): hourly %,d / %,d, daily %,d / %,d.", name, in.size,
        in.averageBytes(), in.partitions, timeline, in.lateUploads, in.lateHourlyByPartition.cardinality(),
        in.lateHourlyGlobal.cardinality(), in.lateDailyByPartition.cardinality(), in.lateDailyGlobal.cardinality());
    line("");
    return this;
  }

  Report throughput(ThroughputPart.Result r) {
    List<ThroughputPart.Round> rounds = r.rounds();
    line("#### Throughput (%d thread(s) each, events/s)", r.threads());
    line("");
    line("| run | min | median | max | CPU s per 1M events (bench JVM / broker), median |");
    line("|---|---|---|---|---|");
    row("raw transactional copy", r.copy(), cpu(rounds, x -> x.copy().jvmCpuPerMillion()),
        cpu(rounds, x -> x.copy().brokerCpuPerMillion()));
    row("speed-layer processor", r.processor(), cpu(rounds, x -> x.processor().measured().jvmCpuPerMillion()),
        cpu(rounds, x -> x.processor().measured().brokerCpuPerMillion()));
    for (int v = 0; v < r.variants().size(); v++) {
      int vi = v;
      row(r.variants().get(v).label, r.streams(v),
          cpu(rounds, x -> x.streams().get(vi).outcome().measured().jvmCpuPerMillion()),
          cpu(rounds, x -> x.streams().get(vi).outcome().measured().brokerCpuPerMillion()));
    }
    line("");
    StringBuilder head = new StringBuilder("| round | copy | processor |");
    StringBuilder rule = new StringBuilder("|---|---|---|");
    for (Contenders.StreamsVariant v : r.variants()) {
      head.append(' ').append(v.label).append(" | processor / it |");
      rule.append("---|---|");
    }
    line(head.append(" processor / copy |").toString());
    line(rule.append("---|").toString());
    for (int i = 0; i < rounds.size(); i++) {
      double c = r.copy().get(i);
      double p = r.processor().get(i);
      StringBuilder row = new StringBuilder(String.format("| %d | %,.0f | %,.0f |", i + 1, c, p));
      for (int v = 0; v < r.variants().size(); v++) {
        double s = r.streams(v).get(i);
        row.append(String.format(" %,.0f | %.2f× |", s, p / s));
      }
      line(row.append(String.format(" %.0f %% |", 100 * p / c)).toString());
    }
    line("");
    for (int v = 0; v < r.variants().size(); v++) {
      Stats a = Stats.of(ratios(r.processor(), r.streams(v)));
      line("**Processor / %s: %.2f×** (median of the per-round ratios; min %.2f×, max %.2f×).",
          r.variants().get(v).label, a.median(), a.min(), a.max());
      line("");
    }
    Stats b = Stats.of(ratios(r.processor(), r.copy()));
    line("**Processor / raw copy: %.0f %%** (median of the per-round ratios; min %.0f %%, max %.0f %%).",
        100 * b.median(), 100 * b.min(), 100 * b.max());
    line("");
    Input in = r.input();
    long truthHourly = Math.max(in.lateHourlyByPartition.cardinality(), in.lateHourlyGlobal.cardinality());
    long truthDaily = Math.max(in.lateDailyByPartition.cardinality(), in.lateDailyGlobal.cardinality());
    line("Events left out of the windows as late in each round, hourly / daily (in brackets: at least this many of"
        + " them are not late by either definition, i.e. dropped minus truly late):");
    line("");
    line("- processor: %s", lateList(rounds, x -> x.processor().result(), truthHourly, truthDaily));
    for (int v = 0; v < r.variants().size(); v++) {
      int vi = v;
      line("- %s: %s", r.variants().get(v).label, lateList(rounds, x -> x.streams().get(vi).outcome().result(),
          truthHourly, truthDaily));
    }
    line("");
    line("| round | Streams variant | hourly windows equal to the processor's | daily | hourly equal to the"
        + " reference without the globally late events | daily |");
    line("|---|---|---|---|---|---|");
    for (int i = 0; i < rounds.size(); i++) {
      for (ThroughputPart.StreamsRun s : rounds.get(i).streams()) {
        line("| %d | %s | %s | %s | %s | %s |", i + 1, s.variant().label, frac(s.vsProcessorHourly()),
            frac(s.vsProcessorDaily()), frac(s.vsTruthHourly()), frac(s.vsTruthDaily()));
      }
    }
    line("");
    return this;
  }

  Report equality(EqualityPart.Result r) {
    line("#### Same window values? (live input without late uploads, both running)");
    line("");
    line("| compared | hourly windows equal | daily windows equal |");
    line("|---|---|---|");
    line("| processor vs Streams peer | %s | %s |", frac(r.hourly()), frac(r.daily()));
    line("| Streams peer vs reference (all events) | %s | %s |", frac(r.streamsVsReferenceHourly()),
        frac(r.streamsVsReferenceDaily()));
    line("| processor vs reference (all events) | %d of %d (verified) | %d of %d (verified) |",
        r.processor().result().hourly().size(), r.processor().result().hourly().size(),
        r.processor().result().daily().size(), r.processor().result().daily().size());
    line("");
    line("Streams peer dropped %,d hourly / %,d daily events on this input (none is late by either definition).",
        r.streams().result().lateHourly(), r.streams().result().lateDaily());
    line("");
    return this;
  }

  Report latency(LatencyPart.Result r) {
    line("#### Event → aggregate update at %,.0f events/s (%d s after %d s of warm-up, writer and probe in the same JVM)",
        r.rate(), r.seconds(), r.warmupSeconds());
    line("");
    line("| implementation | events | p50 ms | p99 ms | max ms |");
    line("|---|---|---|---|---|");
    latencyRow("speed-layer processor", r.processor());
    latencyRow("Kafka Streams peer", r.streams());
    if (r.warmupSeconds() > 0) {
      latencyRow("speed-layer processor, warm-up only", r.processorWarmup());
      latencyRow("Kafka Streams peer, warm-up only", r.streamsWarmup());
    }
    line("");
    return this;
  }

  Report backlog(BacklogPart.Result r) {
    Input in = r.input();
    line("#### Backlog replay (%.0f h of input, all from empty state)", r.hours());
    line("");
    line("| late (left out of the window) | hourly | daily | replay events/s |");
    line("|---|---|---|---|");
    line("| truth, per partition (the processor's documented rule) | %,d | %,d | |",
        in.lateHourlyByPartition.cardinality(), in.lateDailyByPartition.cardinality());
    line("| truth, global write order | %,d | %,d | |", in.lateHourlyGlobal.cardinality(),
        in.lateDailyGlobal.cardinality());
    if (r.processor() != null) {
      line("| speed-layer processor (late-activities) | %,d | %,d | %,.0f |", r.processor().result().lateHourly(),
          r.processor().result().lateDaily(), r.processor().measured().eventsPerSecond());
    } else {
      line("| speed-layer processor | output did not verify: %s | | |", r.processorError());
    }
    for (int v = 0; v < r.variants().size(); v++) {
      Runner.Outcome s = r.streams().get(v);
      line("| %s (dropped) | %,d | %,d | %,.0f |", r.variants().get(v).label, s.result().lateHourly(),
          s.result().lateDaily(), s.measured().eventsPerSecond());
    }
    line("");
    line("Events uploaded 5 min or more late: %,d of %,d.", in.lateUploads, in.size);
    line("");
    return this;
  }

  Report scaling(ScalingPart.Result r) {
    line("#### Processor scaling (%,d activities, every run verified)", r.input().size);
    line("");
    line("| threads | events/s min | median | max | speed-up (medians) | CPU s per 1M events, bench JVM (median)"
        + " | broker (median) |");
    line("|---|---|---|---|---|---|---|");
    double base = Double.NaN;
    for (Map.Entry<Integer, List<Runner.Measured>> e : r.byThreads().entrySet()) {
      Stats s = Stats.of(e.getValue().stream().map(Runner.Measured::eventsPerSecond).toList());
      if (Double.isNaN(base)) {
        base = s.median();
      }
      line("| %d | %,.0f | %,.0f | %,.0f | %.2f× | %.1f | %.1f |", e.getKey(), s.min(), s.median(), s.max(),
          s.median() / base, Stats.of(e.getValue().stream().map(Runner.Measured::jvmCpuPerMillion).toList()).median(),
          Stats.of(e.getValue().stream().map(Runner.Measured::brokerCpuPerMillion).toList()).median());
    }
    line("");
    return this;
  }

  Report line(String format, Object... args) {
    sb.append(args.length == 0 ? format : String.format(format, args)).append('\n');
    return this;
  }

  private void row(String name, List<Double> v, double jvmCpu, double brokerCpu) {
    Stats s = Stats.of(v);
    line("| %s | %,.0f | %,.0f | %,.0f | %.1f / %.1f |", name, s.min(), s.median(), s.max(), jvmCpu, brokerCpu);
  }

  private void latencyRow(String name, Latency l) {
    line("| %s | %,d | %,d | %,d | %,d |", name, l.count(), l.p50(), l.p99(), l.max());
  }

  private static double cpu(List<ThroughputPart.Round> rounds, ToDoubleFunction<ThroughputPart.Round> f) {
    return Stats.of(rounds.stream().map(f::applyAsDouble).toList()).median();
  }

  private static List<Double> ratios(List<Double> a, List<Double> b) {
    List<Double> r = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      r.add(a.get(i) / b.get(i));
    }
    return r;
  }

  private static String lateList(List<ThroughputPart.Round> rounds,
                                 java.util.function.Function<ThroughputPart.Round, Verifier.Result> f,
                                 long truthHourly, long truthDaily) {
    List<String> s = new ArrayList<>();
    for (ThroughputPart.Round round : rounds) {
      Verifier.Result r = f.apply(round);
      s.add(String.format("%,d (%,d) / %,d (%,d)", r.lateHourly(), Math.max(0, r.lateHourly() - truthHourly),
          r.lateDaily(), Math.max(0, r.lateDaily() - truthDaily)));
    }
    return String.join("; ", s);
  }

  private static String frac(WindowDiff d) {
    return String.format("%,d of %,d%s", d.equal(), d.compared(),
        d.identical() ? "" : String.format(" (%,d events apart)", d.countDifference()));
  }
}
