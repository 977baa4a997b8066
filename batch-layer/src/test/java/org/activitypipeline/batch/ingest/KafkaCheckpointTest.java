package org.activitypipeline.batch.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaCheckpointTest {
  @Test
  void recordsAfterArePerPartitionEndLessNextAndAPartitionNotInTheCheckpointCountsFromItsStart() {
    KafkaCheckpoint at = KafkaCheckpoint.parse("t", "t,0:120,1:98");
    Map<Integer, Long> end = Map.of(0, 150L, 1, 98L, 2, 40L);
    Map<Integer, Long> start = Map.of(0, 0L, 1, 0L, 2, 10L);
    assertEquals(30 + 0 + 30, at.recordsAfter(end, start));
    assertEquals(150 + 98 + 30, KafkaCheckpoint.empty("t").recordsAfter(end, start));
  }

  @Test
  void aPositionPastTheEndIsNotBehind() {
    // A read_committed end offset (the last stable one) may be below a position taken earlier.
    assertEquals(0, KafkaCheckpoint.parse("t", "t,0:120").recordsAfter(Map.of(0, 100L), Map.of(0, 0L)));
  }

  @Test
  void theCheckpointSurvivesEncoding() {
    KafkaCheckpoint at = new KafkaCheckpoint("t", Map.of(1, 98L, 0, 120L));
    assertEquals("t,0:120,1:98", at.encode());
    assertEquals(at, KafkaCheckpoint.parse("t", at.encode()));
  }
}
