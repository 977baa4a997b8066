package org.activitypipeline.speed.processor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import org.activitypipeline.speed.processor.ConsumerLagTable.PartitionLag;
import org.junit.jupiter.api.Test;

/** The exported names and tags other processes (serving's health panel, the alerts) are written against. */
class ProcessorMetricsTest {
  @Test
  void consumerLagIsExportedPerInputTopicInRecordsAndSeconds() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("process", "processor");
    ProcessorMetrics metrics = new ProcessorMetrics(registry, List.of("raw-activities", "cdc.public.employees"));
    String before = registry.scrape();
    assertTrue(before.contains("processor_consumer_lag{process=\"processor\",topic=\"cdc.public.employees\"} 0.0"),
        before);
    assertTrue(before.contains("processor_consumer_lag_seconds{process=\"processor\",topic=\"raw-activities\"} 0.0"),
        before);

    metrics.lag(0, List.of(new PartitionLag("raw-activities", 40, 10_000), new PartitionLag("extra", 2, 19_000)),
        20_000);
    metrics.lag(1, List.of(new PartitionLag("raw-activities", 2, 15_000)), 20_000);
    String after = registry.scrape();
    assertTrue(after.contains("processor_consumer_lag{process=\"processor\",topic=\"raw-activities\"} 42.0"), after);
    assertTrue(after.contains("processor_consumer_lag_seconds{process=\"processor\",topic=\"raw-activities\"} 10.0"),
        after);
    assertTrue(after.contains("processor_consumer_lag_seconds{process=\"processor\",topic=\"extra\"} 1.0"),
        "a topic first seen in a report gets its series: " + after);
  }
}
