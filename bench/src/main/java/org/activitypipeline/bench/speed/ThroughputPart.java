package org.activitypipeline.bench.speed;

import java.util.ArrayList;
import java.util.List;

/**
 * Throughput side by side: in each round the raw transactional copy, then the processor, then each
 * variant of the Kafka Streams peer (A B A B ...), each from a cold start over the same pre-written
 * input and verified before its speed counts. After each round the latest window values of every
 * Streams variant are compared with the processor's and with the reference.
 */
final class ThroughputPart {
  /**
   * One Streams run of a round.
   *
   * @param vsProcessorHourly, vsProcessorDaily  its windows against the processor's
   * @param vsTruthHourly, vsTruthDaily          against the reference without the globally late events
   */
  record StreamsRun(Contenders.StreamsVariant variant, Runner.Outcome outcome, WindowDiff vsProcessorHourly,
                    WindowDiff vsProcessorDaily, WindowDiff vsTruthHourly, WindowDiff vsTruthDaily) {
  }

  record Round(Runner.Measured copy, Runner.Outcome processor, List<StreamsRun> streams) {
  }

  record Result(Input input, int threads, List<Contenders.StreamsVariant> variants, List<Round> rounds) {
    List<Double> copy() {
      return rounds.stream().map(r -> r.copy().eventsPerSecond()).toList();
    }

    List<Double> processor() {
      return rounds.stream().map(r -> r.processor().measured().eventsPerSecond()).toList();
    }

    List<Double> streams(int variant) {
      return rounds.stream().map(r -> r.streams().get(variant).outcome().measured().eventsPerSecond()).toList();
    }
  }

  private ThroughputPart() {
  }

  static Result run(Runner runner, Input in, References ref, int rounds, int threads,
                    List<Contenders.StreamsVariant> variants) throws Exception {
    List<Round> out = new ArrayList<>();
    for (int i = 1; i <= rounds; i++) {
      Runner.Measured copy = runner.copy("tput" + i, in);
      Runner.Outcome proc = runner.processor("tput" + i, in, ref, threads);
      List<StreamsRun> streams = new ArrayList<>();
      for (Contenders.StreamsVariant v : variants) {
        Runner.Outcome s = runner.streams("tput" + i, in, ref, threads, v);
        StreamsRun run = new StreamsRun(v, s, WindowDiff.of(proc.result().hourly(), s.result().hourly()),
            WindowDiff.of(proc.result().daily(), s.result().daily()),
            WindowDiff.of(ref.hourlyGlobal(), s.result().hourly()), WindowDiff.of(ref.dailyGlobal(), s.result().daily()));
        System.err.printf("round %d: %s %,.0f/s; windows vs processor: hourly %s, daily %s%n", i, v.label,
            s.measured().eventsPerSecond(), run.vsProcessorHourly(), run.vsProcessorDaily());
        streams.add(run);
      }
      out.add(new Round(copy, proc, streams));
    }
    return new Result(in, threads, variants, out);
  }
}
