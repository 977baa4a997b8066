package org.activitypipeline.serving.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

  /** What the processes really write: Micrometer's exposition, read back value by value. */
  @Test
  void readsMicrometersOwnExposition() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("process", "processor");
    Counter.builder("processor.records").tag("stage", "enrich").tag("outcome", "ok").register(registry).increment(41);
    Counter.builder("processor.records").tag("stage", "enrich").tag("outcome", "late").register(registry).increment(2);
    Counter.builder("odd.labels").tag("reason", "a \"quoted\" back\\slash\nnew line").register(registry).increment();
    Gauge.builder("processor.consumer.lag", () -> 17).tag("topic", "raw-activities").register(registry);
    Gauge.builder("not.yet", () -> Double.NaN).register(registry);
    Timer.builder("processor.commit").publishPercentiles(0.99).register(registry).record(Duration.ofMillis(5));

    PrometheusText.Parsed parsed = PrometheusText.parse(registry.scrape());
    assertEquals(0, parsed.skippedLines(), registry.scrape());
    List<PrometheusText.Sample> s = parsed.samples();
    assertEquals(41.0, value(s, "processor_records_total", Map.of("stage", "enrich", "outcome", "ok")));
    assertEquals(2.0, value(s, "processor_records_total", Map.of("stage", "enrich", "outcome", "late")));
    assertEquals(17.0, value(s, "processor_consumer_lag", Map.of("topic", "raw-activities", "process", "processor")));
    assertEquals(1.0, value(s, "odd_labels_total", Map.of("reason", "a \"quoted\" back\\slash\nnew line")),
        "escaped label values come back as written");
    assertTrue(Double.isNaN(value(s, "not_yet", Map.of())));
    assertEquals(1.0, value(s, "processor_commit_seconds_count", Map.of()));
    assertTrue(s.stream().anyMatch(x -> x.name().equals("processor_commit_seconds")
        && "0.99".equals(x.labels().get("quantile"))));
  }

  @Test
  void oddLinesAreSkippedAndCountedNotFatal() {
    PrometheusText.Parsed p = PrometheusText.parse("""
        # HELP up whether
        # TYPE up gauge
        up 1
        up{job="a"} 0 1700000000000
        x_total{a="unterminated} 3
        {a="b"} 3
        y_total{a="b"} not-a-number
        z_total +Inf
        w -Inf
        """);
    assertEquals(3, p.skippedLines());
    assertEquals(List.of("up", "up", "z_total", "w"), p.samples().stream().map(PrometheusText.Sample::name).toList());
    assertEquals(0.0, p.samples().get(1).value(), "a timestamp after the value is not the value");
    assertEquals(Double.POSITIVE_INFINITY, p.samples().get(2).value());
    assertNull(PrometheusText.parseLine("9starts_with_a_digit 1"));
  }

  static double value(List<PrometheusText.Sample> samples, String name, Map<String, String> labels) {
    List<PrometheusText.Sample> found = samples.stream().filter(x -> x.name().equals(name)
        && x.labels().entrySet().containsAll(labels.entrySet())).toList();
    assertEquals(1, found.size(), name + labels + " in " + samples);
    return found.get(0).value();
  }
}
