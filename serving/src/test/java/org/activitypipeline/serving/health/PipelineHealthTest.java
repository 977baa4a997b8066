package org.activitypipeline.serving.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.activitypipeline.common.topic.Topics.DlqHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class PipelineHealthTest {
  static final Instant NOW = Instant.parse("2026-12-07T10:30:00Z");

  static ConsumerRecord<byte[], byte[]> letter(String stage, String sourceTopic) {
    RecordHeaders h = new RecordHeaders();
    h.add(DlqHeaders.STAGE, stage.getBytes(StandardCharsets.UTF_8));
    h.add(DlqHeaders.REASON, "bad".getBytes(StandardCharsets.UTF_8));
    h.add(DlqHeaders.SOURCE_TOPIC, sourceTopic.getBytes(StandardCharsets.UTF_8));
    return new ConsumerRecord<>("pipeline-dlq", 0, 0, NOW.toEpochMilli(), TimestampType.CREATE_TIME, -1, -1, null,
        null, h, Optional.empty());
  }

  @Test
  void stagesTakeTheirOwnDeadLettersStatesAndServingsOwnFigures() {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    MetricsScraper scraper = new MetricsScraper(List.of(), () -> "serving_batch_horizon_lag_seconds 42.5\n",
        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(1), clock);
    scraper.scrapeNow();
    DeadLetterView letters = new DeadLetterView();
    letters.accept(letter("batch-ingest", "processed-activities"));
    letters.accept(letter("batch-ingest", "processed-activities"));
    letters.accept(letter("batch-ingest", "processed-employees"));
    letters.accept(letter("enrich", "raw-activities"));
    PipelineHealth health = new PipelineHealth(PipelineStages.of("processed-activities", "processed-employees"),
        scraper, letters, NOW.minus(Duration.ofDays(1)), new LateActivityCounts(Duration.ofHours(24)),
        new PipelineHealth.Sources() {
          @Override
          public Instant newestSpeedUpdate() {
            return NOW.minusSeconds(3);
          }

          @Override
          public Instant batchHorizon() {
            return null;
          }

          @Override
          public PipelineHealth.Completeness completenessSince(Instant from) {
            return PipelineHealth.Completeness.of(List.of());
          }
        }, clock);

    PipelineHealth.Report r = health.report();
    Map<String, PipelineHealth.StageFigures> stages = r.stages().stream()
        .collect(Collectors.toMap(s -> s.chain() + "/" + s.id(), Function.identity()));
    assertEquals(List.of("activities/poller", "activities/enrich", "activities/window", "activities/batch-ingest",
        "activities/batch-views", "employees/cdc", "employees/employees", "employees/batch-ingest"),
        r.stages().stream().map(s -> s.chain() + "/" + s.id()).toList(), "pipeline order");
    assertEquals(2, stages.get("activities/batch-ingest").deadLetters(), "the batch ingest's, from its topic");
    assertEquals(1, stages.get("employees/batch-ingest").deadLetters());
    assertEquals(1, stages.get("activities/enrich").deadLetters());
    assertEquals(0, stages.get("activities/batch-views").deadLetters());
    assertEquals(4, r.deadLettersTotal());
    assertEquals(42.5, stages.get("activities/batch-views").lagSeconds(), "serving's own gauge");
    assertEquals(PipelineHealth.NOT_WATCHED, stages.get("activities/batch-views").state(),
        "its rate comes from the batch layer, which is not listed");
    assertNull(stages.get("activities/batch-views").ratePerSecond());
    assertEquals(List.of("batch_views_rows_total", "serving_batch_horizon_lag_seconds"),
        stages.get("activities/batch-views").metrics());
    assertEquals(3.0, r.freshness().speedAgeSeconds());
    assertNull(r.freshness().batchHorizonAgeSeconds(), "no horizon yet: unknown, not zero");
    assertEquals(24, r.latePerHour().size());
    assertEquals(List.of("serving"), r.targets().stream().map(MetricsScraper.TargetStatus::process).toList());
  }
}
