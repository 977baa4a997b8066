package org.activitypipeline.serving.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.activitypipeline.serving.lambda.DailyWindow;
import org.activitypipeline.serving.lambda.HourlyWindow;
import org.activitypipeline.serving.lambda.Source;
import org.junit.jupiter.api.Test;

class ResultWeightsTest {

  static HourlyWindow hourly(String department) {
    Instant t = Instant.parse("2026-12-01T10:00:00Z");
    return new HourlyWindow(department, "login", t, t.plusSeconds(3600), 1, 1, 1, 1.0, t, t, true, Source.BATCH);
  }

  @Test
  void weightGrowsWithWindowsAndTheirStrings() {
    assertEquals(ResultWeights.ENTRY_BYTES + 16, ResultWeights.hourly(List.of()));
    int one = ResultWeights.hourly(List.of(hourly("Engineering")));
    // 80 window + 4 x 24 instants + 4 slot + two strings (24 + 16 + 2 x chars, aligned)
    assertEquals(ResultWeights.ENTRY_BYTES + 16 + 180 + (24 + 40) + (24 + 32), one);
    List<HourlyWindow> many = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      many.add(hourly("Engineering"));
    }
    assertEquals(ResultWeights.ENTRY_BYTES + 16 + 1000L * (one - ResultWeights.ENTRY_BYTES - 16),
        ResultWeights.hourly(many));
    assertTrue(ResultWeights.hourly(List.of(hourly("x".repeat(1000)))) > one + 1900, "long names weigh more");
    DailyWindow d = new DailyWindow("laptop", LocalDate.parse("2026-12-01"), 1, 1, Map.of("login", 1L, "email", 2L),
        true, Source.BATCH);
    assertEquals(ResultWeights.ENTRY_BYTES + 16 + 156 + (24 + 32) + 2 * 56 + (24 + 32) + (24 + 32),
        ResultWeights.daily(List.of(d)));
  }
}
