package org.activitypipeline.serving.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.activitypipeline.common.topic.Topics.DlqHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class DeadLetterViewTest {
  long offset;

  ConsumerRecord<byte[], byte[]> letter(long at, String stage, String reason, String sourceTopic) {
    RecordHeaders h = new RecordHeaders();
    if (stage != null) {
      h.add(DlqHeaders.STAGE, stage.getBytes(StandardCharsets.UTF_8));
    }
    if (reason != null) {
      h.add(DlqHeaders.REASON, reason.getBytes(StandardCharsets.UTF_8));
    }
    if (sourceTopic != null) {
      h.add(DlqHeaders.SOURCE_TOPIC, sourceTopic.getBytes(StandardCharsets.UTF_8));
      h.add(DlqHeaders.SOURCE_PARTITION, "2".getBytes(StandardCharsets.UTF_8));
      h.add(DlqHeaders.SOURCE_OFFSET, Long.toString(offset * 10).getBytes(StandardCharsets.UTF_8));
    }
    return new ConsumerRecord<>("pipeline-dlq", 0, offset++, at, TimestampType.CREATE_TIME, -1, -1, null,
        "secret value".getBytes(StandardCharsets.UTF_8), h, Optional.empty());
  }

  @Test
  void countsPerStageAndSourceTopicWithTheNewestReasonsFirst() {
    DeadLetterView v = new DeadLetterView();
    for (int i = 0; i < 7; i++) {
      v.accept(letter(1_000 + i, "enrich", "reason " + i, "raw-activities"));
    }
    v.accept(letter(500, "batch-ingest", "bad row", "processed-employees"));
    v.accept(letter(2_000, "batch-ingest", "bad\nrow\ttwo", "processed-activities"));
    v.accept(letter(3_000, "poller", "column duration_seconds is null", null));
    v.accept(letter(3_500, null, null, null));
    v.accept(letter(900, "enrich", "read late from another partition: older than the five kept", "raw-activities"));

    assertEquals(12, v.total());
    assertEquals(8, v.count("enrich", null));
    assertEquals(1, v.count("batch-ingest", "processed-activities"));
    assertEquals(1, v.count("batch-ingest", "processed-employees"));
    assertEquals(0, v.count("window", null));
    List<DeadLetterView.StageLetters> stages = v.byStage();
    assertEquals(List.of("unknown", "poller", "batch-ingest", "enrich"),
        stages.stream().map(DeadLetterView.StageLetters::stage).toList(), "the stage with the newest letter first");
    DeadLetterView.StageLetters enrich = stages.get(3);
    assertEquals(DeadLetterView.LATEST, enrich.latest().size());
    assertEquals("reason 6", enrich.latest().get(0).reason());
    assertEquals("reason 2", enrich.latest().get(4).reason(), "the five newest by record time");
    assertEquals(60L, enrich.latest().get(0).sourceOffset());
    assertEquals(2, enrich.latest().get(0).sourcePartition());
    assertEquals(Instant.ofEpochMilli(1_006), enrich.latest().get(0).at());
    assertEquals("bad row two", stages.get(2).latest().get(0).reason(), "one line");
    assertNull(stages.get(1).latest().get(0).sourceTopic(), "a source row has no source topic");
    assertEquals("(no reason given)", stages.get(0).latest().get(0).reason());
    assertTrue(stages.toString().indexOf("secret value") < 0, "values are never read");
  }

  @Test
  void stageNamesAndReasonsAreBounded() {
    DeadLetterView v = new DeadLetterView();
    for (int i = 0; i < DeadLetterView.MAX_STAGES + 5; i++) {
      v.accept(letter(i, "stage-" + i, "x".repeat(5_000), null));
    }
    assertEquals(DeadLetterView.MAX_STAGES + 1, v.byStage().size(), "the rest counted as 'other'");
    assertEquals(5, v.count("other", null));
    assertEquals(DeadLetterView.MAX_REASON, v.byStage().get(0).latest().get(0).reason().length());
  }
}
