package org.activitypipeline.batch.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetentionHeadroomTest {
  static final long NOW = 1_000_000_000_000L;
  static final long DAY = Duration.ofDays(1).toMillis();

  @Test
  void aDeleteTopicHasItsRetentionLessTheAgeOfTheOldestUnreadRecord() {
    Map<String, String> config = Map.of("cleanup.policy", "delete", "retention.ms", String.valueOf(7 * DAY));
    RetentionHeadroom h = RetentionHeadroom.of("processed-activities", config, NOW - 2 * DAY, NOW);
    assertEquals(2 * DAY, h.unreadAgeMillis());
    assertEquals(5 * DAY, h.headroomMillis());
    assertEquals("retention.ms", h.limitKey());
    assertFalse(h.low());
    assertTrue(RetentionHeadroom.of("t", config, NOW - 6 * DAY, NOW).low(), "a day of seven left");
    RetentionHeadroom caughtUp = RetentionHeadroom.of("t", config, null, NOW);
    assertEquals(7 * DAY, caughtUp.headroomMillis(), "nothing unread: the whole retention");
  }

  @Test
  void aCompactedTopicIsBoundByItsCompactionLagAndWithoutOneAnyUnreadRecordIsAtRisk() {
    RetentionHeadroom lag = RetentionHeadroom.of("processed-employees", Map.of("cleanup.policy", "compact",
        "retention.ms", String.valueOf(7 * DAY), "min.compaction.lag.ms", String.valueOf(DAY)), NOW - DAY / 2, NOW);
    assertEquals("min.compaction.lag.ms", lag.limitKey());
    assertEquals(DAY / 2, lag.headroomMillis());
    assertFalse(lag.low());
    RetentionHeadroom none = RetentionHeadroom.of("processed-employees", Map.of("cleanup.policy", "compact",
        "min.compaction.lag.ms", "0"), NOW - 1_000, NOW);
    assertTrue(none.low(), "compaction may remove the unread history at any time");
    assertFalse(RetentionHeadroom.of("processed-employees", Map.of("cleanup.policy", "compact",
        "min.compaction.lag.ms", "0"), null, NOW).low(), "nothing unread, nothing at risk");
  }

  @Test
  void compactAndDeleteTakesTheSoonerAndUnlimitedRetentionNeverRunsOut() {
    RetentionHeadroom both = RetentionHeadroom.of("t", Map.of("cleanup.policy", "compact,delete",
        "retention.ms", String.valueOf(3 * DAY), "min.compaction.lag.ms", String.valueOf(DAY)), NOW, NOW);
    assertEquals(DAY, both.limitMillis());
    RetentionHeadroom forever = RetentionHeadroom.of("t", Map.of("retention.ms", "-1"), NOW - 100 * DAY, NOW);
    assertEquals(Long.MAX_VALUE, forever.headroomMillis());
    assertFalse(forever.low());
  }
}
