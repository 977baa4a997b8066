package org.activitypipeline.serving.health;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricQueryTest {
  static PrometheusText.Sample sample(String name, Map<String, String> labels) {
    return new PrometheusText.Sample(name, labels, 1);
  }

  @Test
  void labelsMatchExactlyBySuffixOrByExclusion() {
    MetricQuery lag = MetricQuery.of("processor", "processor_consumer_lag", "topic", "*-window-partials");
    assertTrue(lag.matches(sample("processor_consumer_lag", Map.of("topic", "speed-layer-window-partials"))));
    assertFalse(lag.matches(sample("processor_consumer_lag", Map.of("topic", "raw-activities"))));
    assertFalse(lag.matches(sample("processor_consumer_lag", Map.of())), "a missing label does not match");
    assertFalse(lag.matches(sample("processor_consumer_lag_seconds", Map.of("topic", "x-window-partials"))));
    MetricQuery enrich = MetricQuery.of("processor", "processor_records_total", "stage", "enrich", "outcome", "!waiting");
    assertTrue(enrich.matches(sample("processor_records_total", Map.of("stage", "enrich", "outcome", "ok"))));
    assertFalse(enrich.matches(sample("processor_records_total", Map.of("stage", "enrich", "outcome", "waiting"))));
    assertFalse(enrich.matches(sample("processor_records_total", Map.of("stage", "window", "outcome", "ok"))));
    assertThrows(IllegalArgumentException.class, () -> MetricQuery.of("p", "m", "odd"));
  }
}
