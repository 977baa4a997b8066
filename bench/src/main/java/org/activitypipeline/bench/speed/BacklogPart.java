package org.activitypipeline.bench.speed;

/**
 * Backlog replay: both implementations start from empty state over hours of already-written input
 * (as after an outage) and classify events as late; the generator knows which truly are.
 */
final class BacklogPart {
  /**
   * @param processorError why the processor's output did not verify (null when it did): then its late
   *                       counts are not known
   */
  record Result(Input input, double hours, Runner.Outcome processor, String processorError, Runner.Outcome streams) {
  }

  private BacklogPart() {
  }

  static Result run(Runner runner, Input in, double hours, int threads) throws Exception {
    References ref = new References(in);
    Runner.Outcome proc = null;
    String error = null;
    try {
      proc = runner.processor("backlog", in, ref, threads);
    } catch (IllegalStateException e) {
      error = e.getMessage();
      System.err.println("backlog: processor output wrong: " + error);
    }
    Runner.Outcome streams = runner.streams("backlog", in, ref, threads);
    System.err.printf("backlog: truth (per partition) hourly %,d daily %,d; processor %s; streams hourly %,d daily"
        + " %,d%n", in.lateHourlyByPartition.cardinality(), in.lateDailyByPartition.cardinality(),
        proc == null ? "failed" : proc.result().lateHourly() + " / " + proc.result().lateDaily(),
        streams.result().lateHourly(), streams.result().lateDaily());
    return new Result(in, hours, proc, error, streams);
  }
}
