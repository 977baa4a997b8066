package org.activitypipeline.generators;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProgressLineTest {
  @Test
  void progressShowsRateSinceTheLastLineAndTotals() {
    assertEquals("activities: 498.5 rows/s, total=12345, errors=2, in_flight=3, elapsed=25s",
        ProgressLine.progress("activities", 997, 2_000_000_000L, 12345, 2, "in_flight=3", 25_400_000_000L));
    assertEquals("employees: 0.0 rows/s, total=0, errors=0, elapsed=0s",
        ProgressLine.progress("employees", 0, 0, 0, 0, "", 0));
  }

  @Test
  void summaryShowsTheAverageRate() {
    assertEquals("employees: done, 1500 rows in 30.0 s (50.0 rows/s), errors=0, conflicts=0",
        ProgressLine.summary("employees", 1500, 0, 30_000_000_000L, "conflicts=0"));
  }
}
