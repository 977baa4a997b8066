package org.activitypipeline.bench.speed;

import java.util.ArrayList;
import java.util.List;

/**
 * Throughput side by side: in each pair, the raw transactional copy, then the processor, then the
 * Kafka Streams peer (A B A B ...), each from a cold start over the same pre-written input and
 * verified before its speed counts. After each pair the two implementations' latest window values
 * are compared with each other and with the references.
 */
final class ThroughputPart {
  /**
   * One pair.
   *
   * @param hourly, daily               processor vs Streams peer, all windows
   * @param streamsVsTruthHourly, ...   Streams peer vs the reference without the globally truly late events
   */
  record Pair(Runner.Measured copy, Runner.Outcome processor, Runner.Outcome streams, WindowDiff hourly,
              WindowDiff daily, WindowDiff streamsVsTruthHourly, WindowDiff streamsVsTruthDaily) {
  }

  record Result(Input input, int threads, List<Pair> pairs) {
    List<Double> copy() {
      return pairs.stream().map(p -> p.copy().eventsPerSecond()).toList();
    }

    List<Double> processor() {
      return pairs.stream().map(p -> p.processor().measured().eventsPerSecond()).toList();
    }

    List<Double> streams() {
      return pairs.stream().map(p -> p.streams().measured().eventsPerSecond()).toList();
    }
  }

  private ThroughputPart() {
  }

  static Result run(Runner runner, Input in, References ref, int pairs, int threads) throws Exception {
    List<Pair> out = new ArrayList<>();
    for (int i = 1; i <= pairs; i++) {
      Runner.Measured copy = runner.copy("tput" + i, in);
      Runner.Outcome proc = runner.processor("tput" + i, in, ref, threads);
      Runner.Outcome streams = runner.streams("tput" + i, in, ref, threads);
      Pair p = new Pair(copy, proc, streams, WindowDiff.of(proc.result().hourly(), streams.result().hourly()),
          WindowDiff.of(proc.result().daily(), streams.result().daily()),
          WindowDiff.of(ref.hourlyGlobal(), streams.result().hourly()),
          WindowDiff.of(ref.dailyGlobal(), streams.result().daily()));
      System.err.printf("pair %d: copy %,.0f/s, processor %,.0f/s, streams %,.0f/s; windows processor vs streams:"
          + " hourly %s, daily %s%n", i, copy.eventsPerSecond(), proc.measured().eventsPerSecond(),
          streams.measured().eventsPerSecond(), p.hourly(), p.daily());
      out.add(p);
    }
    return new Result(in, threads, out);
  }
}
