package org.activitypipeline.speed.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PollPlanTest {
  static final Duration LAG = Duration.ofSeconds(1);
  static final Duration LATE = Duration.ofSeconds(30);
  static final Duration SPAN = Duration.ofSeconds(10);

  @Test
  void freshReadGoesFromJustAfterTheWatermarkToNowMinusLag() {
    PollWindow w = PollWindow.next(100_000, 103_000, LAG, LATE, SPAN);
    assertEquals(100_001, w.fromMs());
    assertEquals(102_000, w.toMs());
    assertEquals(102_000, w.newWatermark());
  }

  @Test
  void secondLookReadsTheSameSliceOneLateWindowLater() {
    PollWindow w = PollWindow.next(100_000, 103_000, LAG, LATE, SPAN);
    assertEquals(70_001, w.recheckFromMs());
    assertEquals(72_000, w.recheckToMs());
    // consecutive polls recheck adjacent slices: nothing read twice as a second look, nothing skipped
    PollWindow next = PollWindow.next(w.newWatermark(), 104_500, LAG, LATE, SPAN);
    assertEquals(w.recheckToMs() + 1, next.recheckFromMs());
  }

  @Test
  void noLateWindowNoSecondLook() {
    assertFalse(PollWindow.next(100_000, 103_000, LAG, Duration.ZERO, SPAN).hasRecheck());
  }

  @Test
  void catchingUpIsBoundedByMaxSpan() {
    PollWindow w = PollWindow.next(100_000, 500_000, LAG, LATE, SPAN);
    assertEquals(110_000, w.toMs(), "at most max span per transaction");
  }

  @Test
  void emptyCatchUpWidensTheSpanUpToABound() {
    Duration span = SPAN;
    for (int i = 0; i < 10; i++) {
      span = PollWindow.widened(span, SPAN);
    }
    assertEquals(SPAN.multipliedBy(PollWindow.MAX_WIDENING), span);
    assertEquals(Duration.ofSeconds(20), PollWindow.widened(SPAN, SPAN));
  }

  @Test
  void watermarkNeverMovesBackWhenTheClockDoes() {
    PollWindow w = PollWindow.next(100_000, 90_000, LAG, LATE, SPAN);
    assertEquals(100_000, w.newWatermark());
    assertTrue(w.fromMs() > w.toMs(), "nothing fresh to read");
    assertTrue(PollRange.covering(w.fromMs(), w.toMs(), 8).isEmpty());
    assertFalse(w.hasRecheck(), "nothing to look at again either");
  }

  @Test
  void rangesClipToHourPartitionsAndCoverEveryShard() {
    long from = Instant.parse("2026-11-24T10:59:50Z").toEpochMilli();
    long to = Instant.parse("2026-11-24T11:00:05Z").toEpochMilli();
    List<PollRange> ranges = PollRange.covering(from, to, 4);
    assertEquals(8, ranges.size(), "2 hours x 4 shards");
    PollRange first = ranges.get(0);
    PollRange last = ranges.get(7);
    assertEquals(Instant.parse("2026-11-24T10:00:00Z"), first.ingestHour());
    assertEquals(from, first.fromMs());
    assertEquals(Instant.parse("2026-11-24T11:00:00Z").toEpochMilli() - 1, first.toMs());
    assertEquals(Instant.parse("2026-11-24T11:00:00Z"), last.ingestHour());
    assertEquals(Instant.parse("2026-11-24T11:00:00Z").toEpochMilli(), last.fromMs());
    assertEquals(to, last.toMs());
    assertEquals(3, last.shard());
  }

  @Test
  void recentIdsPruneByWriteTime() {
    RecentIds ids = new RecentIds();
    UUID old = timeUuid(1_000);
    UUID young = timeUuid(50_000);
    assertTrue(ids.add(old));
    assertFalse(ids.add(old), "second add is a duplicate");
    ids.add(young);
    ids.pruneOlderThan(20_000);
    assertFalse(ids.contains(old));
    assertTrue(ids.contains(young));
    assertEquals(1, ids.size());
  }

  static UUID timeUuid(long epochMillis) {
    return com.datastax.oss.driver.api.core.uuid.Uuids.startOf(epochMillis);
  }
}
