package org.activitypipeline.serving.health;

import java.util.List;
import org.activitypipeline.common.topic.Topics;

/**
 * The stages the health view shows, in pipeline order, and the metrics each one's figures come
 * from. Two chains: activities (Cassandra to the batch views) and employees (PostgreSQL to Hudi).
 * The metric names are the processes' own (docs/OPERATIONS.md lists them); the e2e test checks
 * every one is exported.
 */
public final class PipelineStages {
  private PipelineStages() {}

  /**
   * @param id the stage's name on the page
   * @param dlqStage the {@code dlq.stage} header of the dead letters that count here, or null: none
   * @param dlqSourceTopic only dead letters read from this topic count (the batch ingest reads several), or null
   * @param rate a counter of the records the stage handled: its rate is the stage's records per second
   * @param lagRecords a gauge of the records waiting for the stage (summed over instances), or null: not measurable
   * @param lagSeconds a gauge of how far behind the stage is in time (the worst instance)
   */
  public record Stage(String chain, String id, String from, String to, String process, String dlqStage,
                      String dlqSourceTopic, MetricQuery rate, MetricQuery lagRecords, MetricQuery lagSeconds) {}

  /** The stages, with the topic names this serving instance reads (the others are the contract's). */
  public static List<Stage> of(String processedActivities, String processedEmployees) {
    String raw = Topics.RAW_ACTIVITIES.name();
    String cdc = Topics.CDC_EMPLOYEES.name();
    return List.of(
        new Stage("activities", "poller", "Cassandra", raw, "poller", "poller", null,
            MetricQuery.of("poller", "poller_rows_emitted_total"), null,
            MetricQuery.of("poller", "poller_watermark_lag_seconds")),
        new Stage("activities", "enrich", raw, processedActivities, "processor", "enrich", null,
            // An activity waiting for its employee's change is counted again when it goes out.
            MetricQuery.of("processor", "processor_records_total", "stage", "enrich", "outcome", "!waiting"),
            MetricQuery.of("processor", "processor_consumer_lag", "topic", raw),
            MetricQuery.of("processor", "processor_consumer_lag_seconds", "topic", raw)),
        new Stage("activities", "window", "enriched activities", "hourly and daily aggregations", "processor", "window",
            null, MetricQuery.of("processor", "processor_records_total", "stage", "window", "outcome", "partial"),
            MetricQuery.of("processor", "processor_consumer_lag", "topic", "*-window-partials"),
            MetricQuery.of("processor", "processor_consumer_lag_seconds", "topic", "*-window-partials")),
        new Stage("activities", "batch-ingest", processedActivities, "Hudi employee_activity", "batch-layer",
            "batch-ingest", processedActivities,
            MetricQuery.of("batch-layer", "batch_ingest_records_total", "table", "employee_activity"),
            MetricQuery.of("batch-layer", "batch_ingest_lag_records", "table", "employee_activity"),
            MetricQuery.of("batch-layer", "batch_ingest_unread_age_seconds", "table", "employee_activity")),
        new Stage("activities", "batch-views", "Hudi employee_activity", "batch views", "batch-layer", null, null,
            MetricQuery.of("batch-layer", "batch_views_rows_total"), null,
            MetricQuery.of(MetricsScraper.SELF, "serving_batch_horizon_lag_seconds")),
        new Stage("employees", "cdc", "PostgreSQL", cdc, "cdc", "cdc", null,
            MetricQuery.of("cdc", "cdc_events_forwarded_total", "topic", cdc), null,
            MetricQuery.of("cdc", "cdc_last_event_lag_seconds")),
        new Stage("employees", "employees", cdc, processedEmployees, "processor", "employees", null,
            MetricQuery.of("processor", "processor_records_total", "stage", "employees"),
            MetricQuery.of("processor", "processor_consumer_lag", "topic", cdc),
            MetricQuery.of("processor", "processor_consumer_lag_seconds", "topic", cdc)),
        new Stage("employees", "batch-ingest", processedEmployees, "Hudi employees", "batch-layer", "batch-ingest",
            processedEmployees, MetricQuery.of("batch-layer", "batch_ingest_records_total", "table", "employees"),
            MetricQuery.of("batch-layer", "batch_ingest_lag_records", "table", "employees"),
            MetricQuery.of("batch-layer", "batch_ingest_unread_age_seconds", "table", "employees")));
  }
}
