package org.activitypipeline.bench.speed;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The processor with 1, 2, 4 ... threads over the same input, every run verified. Rounds rotate the
 * order of the thread counts, so a drift in the machine's load does not favour one of them.
 */
final class ScalingPart {
  record Result(Input input, Map<Integer, List<Runner.Measured>> byThreads) {
  }

  private ScalingPart() {
  }

  static Result run(Runner runner, Input in, References ref, List<Integer> threads, int rounds) throws Exception {
    Map<Integer, List<Runner.Measured>> out = new LinkedHashMap<>();
    threads.forEach(t -> out.put(t, new ArrayList<>()));
    for (int round = 0; round < rounds; round++) {
      for (int i = 0; i < threads.size(); i++) {
        int t = threads.get((i + round) % threads.size());
        Runner.Outcome o = runner.processor("scale" + t + "-" + (round + 1), in, ref, t);
        out.get(t).add(o.measured());
      }
    }
    return new Result(in, out);
  }
}
