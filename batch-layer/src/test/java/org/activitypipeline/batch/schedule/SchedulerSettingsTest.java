package org.activitypipeline.batch.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.activitypipeline.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class SchedulerSettingsTest {

  @Test
  void invalidCronNamesTheJobKeyAndTheExpression() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> settings(Map.of("ingest", "0 */5 * * * ?", "views", "0 61 * * * ?")));
    assertEquals("job.views.cron", e.key());
    assertTrue(e.getMessage().contains("job.views.cron"), e.getMessage());
    assertTrue(e.getMessage().contains("'0 61 * * * ?'"), e.getMessage());
  }

  @Test
  void blankCronIsRejectedWithItsKey() {
    Map<String, String> crons = new HashMap<>();
    crons.put("ingest", " ");
    ConfigException e = assertThrows(ConfigException.class, () -> settings(crons));
    assertEquals("job.ingest.cron", e.key());
  }

  @Test
  void cronMapIsCopiedSoLaterChangesDoNotLeakIn() {
    Map<String, String> crons = new HashMap<>(Map.of("ingest", "0 */5 * * * ?"));
    SchedulerSettings s = settings(crons);
    crons.put("views", "0 0 * * * ?");
    assertEquals(Map.of("ingest", "0 */5 * * * ?"), s.cronByJob());
  }

  @Test
  void outOfRangeNumbersNameTheirField() {
    ConfigException e = assertThrows(ConfigException.class, () -> new SchedulerSettings("jdbc:postgresql://h/db",
        "u", "p", "batch-layer", "AUTO", 0, Duration.ofSeconds(1), Duration.ofSeconds(1), Map.of()));
    assertEquals("threadCount", e.key());
    e = assertThrows(ConfigException.class, () -> new SchedulerSettings("jdbc:postgresql://h/db",
        "u", "p", "batch-layer", "AUTO", 1, Duration.ZERO, Duration.ofSeconds(1), Map.of()));
    assertEquals("clusterCheckinInterval", e.key());
  }

  @Test
  void toStringHidesThePassword() {
    String text = SchedulerSettings.defaults("jdbc:postgresql://h/db", "u", "s3cret", Map.of()).toString();
    assertFalse(text.contains("s3cret"), text);
  }

  private static SchedulerSettings settings(Map<String, String> crons) {
    return SchedulerSettings.defaults("jdbc:postgresql://h/db", "u", "p", crons);
  }
}
