package org.activitypipeline.bench.speed;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.activitypipeline.bench.processor.ProcessorBenchmark.Latency;

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
    line("#### Throughput (%d thread(s) each, events/s)", r.threads());
    line("");
    line("| run | min | median | max | CPU s per 1M events (bench JVM / broker), median |");
    line("|---|---|---|---|---|");
    List<ThroughputPart.Pair> p = r.pairs();
    row("raw transactional copy", r.copy(), cpu(p, x -> x.copy().jvmCpuPerMillion()),
        cpu(p, x -> x.copy().brokerCpuPerMillion()));
    row("speed-layer processor", r.processor(), cpu(p, x -> x.processor().measured().jvmCpuPerMillion()),
        cpu(p, x -> x.processor().measured().brokerCpuPerMillion()));
    row("Kafka Streams peer", r.streams(), cpu(p, x -> x.streams().measured().jvmCpuPerMillion()),
        cpu(p, x -> x.streams().measured().brokerCpuPerMillion()));
    line("");
    line("| pair | copy | processor | Streams | processor / Streams | processor / copy |");
    line("|---|---|---|---|---|---|");
    List<Double> vsStreams = new ArrayList<>();
    List<Double> vsCopy = new ArrayList<>();
    for (int i = 0; i < p.size(); i++) {
      double c = r.copy().get(i);
      double pr = r.processor().get(i);
      double s = r.streams().get(i);
      vsStreams.add(pr / s);
      vsCopy.add(pr / c);
      line("| %d | %,.0f | %,.0f | %,.0f | %.2f× | %.0f %% |", i + 1, c, pr, s, pr / s, 100 * pr / c);
    }
    Stats a = Stats.of(vsStreams);
    Stats b = Stats.of(vsCopy);
    line("");
    line("**Processor / Kafka Streams: %.2f×** (median of the pairs; min %.2f×, max %.2f×). **Processor / raw"
        + " copy: %.0f %%** (median; min %.0f %%, max %.0f %%).", a.median(), a.min(), a.max(), 100 * b.median(),
        100 * b.min(), 100 * b.max());
    line("");
    line("Late events (left out of windows) in each run, hourly / daily: processor %s; Streams peer %s.",
        lateList(p, true), lateList(p, false));
    line("");
    line("| pair | processor vs Streams, hourly windows equal | daily | Streams vs reference without the globally"
        + " late events, hourly | daily |");
    line("|---|---|---|---|---|");
    for (int i = 0; i < p.size(); i++) {
      ThroughputPart.Pair x = p.get(i);
      line("| %d | %s | %s | %s | %s |", i + 1, frac(x.hourly()), frac(x.daily()), frac(x.streamsVsTruthHourly()),
          frac(x.streamsVsTruthDaily()));
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
    line("#### Event → aggregate update at %,.0f events/s (%d s, writer and probe in the same JVM)", r.rate(),
        r.seconds());
    line("");
    line("| implementation | events | p50 ms | p99 ms | max ms |");
    line("|---|---|---|---|---|");
    latencyRow("speed-layer processor", r.processor());
    latencyRow("Kafka Streams peer", r.streams());
    line("");
    return this;
  }

  Report backlog(BacklogPart.Result r) {
    Input in = r.input();
    line("#### Backlog replay (%.0f h of input, both from empty state)", r.hours());
    line("");
    line("| late (left out of the window) | hourly | daily |");
    line("|---|---|---|");
    line("| truth, per partition (the processor's documented rule) | %,d | %,d |", in.lateHourlyByPartition.cardinality(),
        in.lateDailyByPartition.cardinality());
    line("| truth, global write order | %,d | %,d |", in.lateHourlyGlobal.cardinality(),
        in.lateDailyGlobal.cardinality());
    if (r.processor() != null) {
      line("| speed-layer processor (late-activities) | %,d | %,d |", r.processor().result().lateHourly(),
          r.processor().result().lateDaily());
    } else {
      line("| speed-layer processor | output did not verify: %s | |", r.processorError());
    }
    line("| Kafka Streams peer (dropped) | %,d | %,d |", r.streams().result().lateHourly(),
        r.streams().result().lateDaily());
    line("");
    line("Events uploaded 5 min or more late: %,d of %,d. Replay speed: processor %s, Streams peer %,.0f events/s.",
        in.lateUploads, in.size, r.processor() == null ? "n/a"
            : String.format("%,.0f events/s", r.processor().measured().eventsPerSecond()),
        r.streams().measured().eventsPerSecond());
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

  private static double cpu(List<ThroughputPart.Pair> pairs, ToDoubleFunction<ThroughputPart.Pair> f) {
    return Stats.of(pairs.stream().map(f::applyAsDouble).toList()).median();
  }

  private static String lateList(List<ThroughputPart.Pair> pairs, boolean processor) {
    List<String> s = new ArrayList<>();
    for (ThroughputPart.Pair p : pairs) {
      Verifier.Result r = processor ? p.processor().result() : p.streams().result();
      s.add(String.format("%,d / %,d", r.lateHourly(), r.lateDaily()));
    }
    return String.join("; ", s);
  }

  private static String frac(WindowDiff d) {
    return String.format("%,d of %,d%s", d.equal(), d.compared(),
        d.identical() ? "" : String.format(" (%,d events apart)", d.countDifference()));
  }
}
