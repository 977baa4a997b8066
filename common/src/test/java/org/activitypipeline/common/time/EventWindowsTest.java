package org.activitypipeline.common.time;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class EventWindowsTest {
  @Test
  void hourBoundariesBelongToTheNewHour() {
    assertEquals(Instant.parse("2026-11-24T10:00:00Z"), EventWindows.hourStart(Instant.parse("2026-11-24T10:00:00Z")));
    assertEquals(Instant.parse("2026-11-24T09:00:00Z"),
        EventWindows.hourStart(Instant.parse("2026-11-24T09:59:59.999Z")));
  }

  @Test
  void daysAreUtc() {
    assertEquals(LocalDate.of(2026, 11, 24), EventWindows.utcDay(Instant.parse("2026-11-24T23:59:59.999Z")));
    assertEquals(LocalDate.of(2026, 11, 25), EventWindows.utcDay(Instant.parse("2026-11-25T00:00:00Z")));
    assertEquals(Instant.parse("2026-11-25T00:00:00Z"), EventWindows.dayEnd(LocalDate.of(2026, 11, 24)));
  }
}
