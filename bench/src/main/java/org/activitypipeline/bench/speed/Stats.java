package org.activitypipeline.bench.speed;

import java.util.List;

/** Min, median and max of a few measurements. */
record Stats(double min, double median, double max) {
  static Stats of(List<Double> values) {
    if (values.isEmpty()) {
      return new Stats(Double.NaN, Double.NaN, Double.NaN);
    }
    List<Double> s = values.stream().sorted().toList();
    int n = s.size();
    double median = n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    return new Stats(s.get(0), median, s.get(n - 1));
  }
}
