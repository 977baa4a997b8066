package org.activitypipeline.batch.views;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NextHorizonTest {
  private static final Duration LAG = Duration.ofMinutes(10);
  private static final long NOW = Instant.parse("2026-11-24T12:34:00Z").toEpochMilli();

  private static long t(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  @Test
  void isTheHourOfTheNewestEventMinusTheLag() {
    assertEquals(Instant.parse("2026-11-24T10:00:00Z"),
        ViewsJob.nextHorizon(Instant.EPOCH, t("2026-11-24T11:09:59.999Z"), NOW, LAG));
    assertEquals(Instant.parse("2026-11-24T11:00:00Z"),
        ViewsJob.nextHorizon(Instant.EPOCH, t("2026-11-24T11:10:00Z"), NOW, LAG));
  }

  @Test
  void neverMovesBack() {
    Instant previous = Instant.parse("2026-11-24T11:00:00Z");
    assertEquals(previous, ViewsJob.nextHorizon(previous, t("2026-11-24T09:30:00Z"), NOW, LAG));
  }

  @Test
  void anEventDatedAheadMovesItNoFurtherThanTheWallClock() {
    assertEquals(Instant.parse("2026-11-24T12:00:00Z"),
        ViewsJob.nextHorizon(Instant.EPOCH, t("2027-11-24T10:00:00Z"), NOW, LAG));
  }
}
