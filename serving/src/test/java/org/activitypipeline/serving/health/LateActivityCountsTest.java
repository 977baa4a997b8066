package org.activitypipeline.serving.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class LateActivityCountsTest {
  static ConsumerRecord<byte[], byte[]> at(String instant) {
    return new ConsumerRecord<>("late-activities", 0, 0, Instant.parse(instant).toEpochMilli(),
        TimestampType.CREATE_TIME, -1, -1, null, new byte[0], new RecordHeaders(), java.util.Optional.empty());
  }

  @Test
  void perHourOfArrivalOverTheRetainedSpanWithZeros() {
    LateActivityCounts late = new LateActivityCounts(Duration.ofHours(3));
    late.accept(at("2026-12-07T06:10:00Z")); // more than 3 h before the newest: dropped once that arrives
    late.accept(at("2026-12-07T08:59:59Z"));
    late.accept(at("2026-12-07T10:00:00Z"));
    late.accept(at("2026-12-07T10:30:00Z"));
    List<LateActivityCounts.Hour> hours = late.hours(Instant.parse("2026-12-07T10:45:00Z"));
    assertEquals(List.of(new LateActivityCounts.Hour(Instant.parse("2026-12-07T08:00:00Z"), 1),
        new LateActivityCounts.Hour(Instant.parse("2026-12-07T09:00:00Z"), 0),
        new LateActivityCounts.Hour(Instant.parse("2026-12-07T10:00:00Z"), 2)), hours);
    assertEquals(Map.of(Instant.parse("2026-12-07T08:00:00Z"), 1L, Instant.parse("2026-12-07T10:00:00Z"), 2L),
        late.raw(), "old hours are not kept");
  }
}
