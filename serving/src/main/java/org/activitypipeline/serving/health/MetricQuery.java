package org.activitypipeline.serving.health;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The series one figure of the health view reads: a metric of one process (as its {@code /metrics}
 * names it) whose labels have the given values. A value starting with {@code *} matches any label
 * value ending with the rest ({@code *-window-partials}: the processor's internal topic, whose
 * prefix is its application id); one starting with {@code !} any value but the rest.
 */
public record MetricQuery(String process, String metric, Map<String, String> labels) {
  public MetricQuery {
    labels = Map.copyOf(labels);
  }

  /** {@code labelPairs}: name, value, name, value... */
  public static MetricQuery of(String process, String metric, String... labelPairs) {
    if (labelPairs.length % 2 != 0) {
      throw new IllegalArgumentException("label names and values come in pairs: " + String.join(",", labelPairs));
    }
    Map<String, String> labels = new LinkedHashMap<>();
    for (int i = 0; i < labelPairs.length; i += 2) {
      labels.put(labelPairs[i], labelPairs[i + 1]);
    }
    return new MetricQuery(process, metric, labels);
  }

  boolean matches(PrometheusText.Sample s) {
    if (!s.name().equals(metric)) {
      return false;
    }
    for (Map.Entry<String, String> want : labels.entrySet()) {
      String have = s.labels().get(want.getKey());
      if (have == null) {
        return false;
      }
      String w = want.getValue();
      boolean ok = w.startsWith("*") ? have.endsWith(w.substring(1))
          : w.startsWith("!") ? !have.equals(w.substring(1)) : have.equals(w);
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
