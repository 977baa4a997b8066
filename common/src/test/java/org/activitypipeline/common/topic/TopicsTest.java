package org.activitypipeline.common.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
  void theTopicScriptOfDeployCreatesExactlyTheContract() throws IOException {
    // deploy/create-topics.sh (production, docker-compose) lists "name partitions cleanup.policy"
    // between TOPICS=" and the closing quote.
    String script = Files.readString(Path.of("..", "deploy", "create-topics.sh"));
    int start = script.indexOf("TOPICS=\"") + "TOPICS=\"".length();
    List<String> listed = script.substring(start, script.indexOf('"', start)).strip().lines().map(String::strip)
        .toList();
    List<String> contract = Topics.ALL.stream()
        .map(t -> t.name() + " " + t.partitions() + " " + t.cleanupPolicy().configValue()).toList();
    assertEquals(contract, listed, "deploy/create-topics.sh differs from Topics.ALL");
  }

  @Test
  void specRejectsNonsense() {
    assertThrows(IllegalArgumentException.class, () -> new TopicSpec("x", 0, CleanupPolicy.DELETE, ""));
    assertThrows(IllegalArgumentException.class, () -> new TopicSpec(" ", 1, CleanupPolicy.DELETE, ""));
  }
}
