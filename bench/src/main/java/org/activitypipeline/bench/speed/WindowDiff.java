package org.activitypipeline.bench.speed;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How two sets of window values (latest value per window key) compare.
 *
 * @param compared  keys present in either
 * @param equal     keys with the same value in both
 * @param examples  up to five differing keys with both values, for the log
 */
record WindowDiff(int compared, int equal, long countDifference, List<String> examples) {

  static WindowDiff of(Map<String, WindowValue> expected, Map<String, WindowValue> actual) {
    Set<String> keys = new TreeSet<>(expected.keySet());
    keys.addAll(actual.keySet());
    int equal = 0;
    long countDifference = 0;
    List<String> examples = new ArrayList<>();
    for (String k : keys) {
      WindowValue e = expected.get(k);
      WindowValue a = actual.get(k);
      if (e != null && e.equals(a)) {
        equal++;
        continue;
      }
      countDifference += Math.abs((e == null ? 0 : e.count()) - (a == null ? 0 : a.count()));
      if (examples.size() < 5) {
        examples.add(k + ": expected " + e + ", got " + a);
      }
    }
    return new WindowDiff(keys.size(), equal, countDifference, examples);
  }

  boolean identical() {
    return equal == compared;
  }

  int differing() {
    return compared - equal;
  }

  @Override
  public String toString() {
    return equal + " of " + compared + " equal" + (identical() ? "" : " (" + differing() + " differ by "
        + countDifference + " events in total; e.g. " + examples + ")");
  }
}
