package org.activitypipeline.bench.speed;

import java.util.ArrayList;
import java.util.List;

/**
 * Backlog replay: both implementations start from empty state over hours of already-written input
 * (as after an outage) and classify events as late; the generator knows which truly are.
 */
final class BacklogPart {
  /**
   * @param processorError why the processor's output did not verify (null when it did): then its late
   *                       counts are not known
   * @param streams        one run per Streams variant, in the order of {@code variants}
   */
  record Result(Input input, double hours, Runner.Outcome processor, String processorError,
                List<Contenders.StreamsVariant> variants, List<Runner.Outcome> streams) {
  }

  private BacklogPart() {
  }

  static Result run(Runner runner, Input in, double hours, int threads, List<Contenders.StreamsVariant> variants)
      throws Exception {
    References ref = new References(in);
    Runner.Outcome proc = null;
    String error = null;
    try {
      proc = runner.processor("backlog", in, ref, threads);
    } catch (IllegalStateException e) {
      error = e.getMessage();
      System.err.println("backlog: processor output wrong: " + error);
    }
    List<Runner.Outcome> streams = new ArrayList<>();
    for (Contenders.StreamsVariant v : variants) {
      Runner.Outcome s = runner.streams("backlog", in, ref, threads, v);
      System.err.printf("backlog: %s dropped hourly %,d daily %,d%n", v.label, s.result().lateHourly(),
          s.result().lateDaily());
      streams.add(s);
    }
    System.err.printf("backlog: truth (per partition) hourly %,d daily %,d; processor %s%n",
        in.lateHourlyByPartition.cardinality(), in.lateDailyByPartition.cardinality(),
        proc == null ? "failed" : proc.result().lateHourly() + " / " + proc.result().lateDaily());
    return new Result(in, hours, proc, error, variants, streams);
  }
}
