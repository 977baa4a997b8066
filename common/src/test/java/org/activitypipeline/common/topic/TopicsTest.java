package org.activitypipeline.common.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TopicsTest {
  @Test
  void processedTopicsKeepTheirContractNames() {
    Set<String> names = Topics.ALL.stream().map(TopicSpec::name).collect(Collectors.toSet());
    assertEquals(Topics.ALL.size(), names.size(), "duplicate topic name");
    for (String contract : new String[] {"processed-employees", "processed-activities",
        "hourly-activity-aggregations", "daily-device-aggregations"}) {
      assertEquals(true, names.contains(contract), contract);
    }
  }

  @Test
  void stateTopicsAreCompacted() {
    assertEquals(CleanupPolicy.COMPACT, Topics.PROCESSED_EMPLOYEES.cleanupPolicy());
    assertEquals(CleanupPolicy.COMPACT, Topics.HOURLY_ACTIVITY_AGGREGATIONS.cleanupPolicy());
    assertEquals(CleanupPolicy.COMPACT, Topics.DAILY_DEVICE_AGGREGATIONS.cleanupPolicy());
    assertEquals(CleanupPolicy.DELETE, Topics.RAW_ACTIVITIES.cleanupPolicy());
  }

  @Test
  void specRejectsNonsense() {
    assertThrows(IllegalArgumentException.class, () -> new TopicSpec("x", 0, CleanupPolicy.DELETE, ""));
    assertThrows(IllegalArgumentException.class, () -> new TopicSpec(" ", 1, CleanupPolicy.DELETE, ""));
  }
}
