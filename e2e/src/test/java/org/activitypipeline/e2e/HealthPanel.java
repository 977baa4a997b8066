package org.activitypipeline.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.activitypipeline.serving.Chromium;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard's pipeline-health panel on the running pipeline, in headless Chromium: every stage up
 * with a rate above zero read from the processes' own /metrics, lags known, a dead letter this test
 * causes (a record on raw-activities that is not JSON) shown with its reason on the enrich stage, the
 * employee search opening a profile with recent activity, and the freshness of what is served.
 */
final class HealthPanel {
  /** Stages that move records all the time while both generators run: their rate must be above zero. */
  static final Set<String> FLOWING = Set.of("activities/poller", "activities/enrich", "activities/window",
      "activities/batch-ingest", "employees/cdc", "employees/employees", "employees/batch-ingest");
  /** Stages whose lag in records is measured (the others read a database or the lakehouse). */
  static final Set<String> COUNTED_LAG = Set.of("activities/enrich", "activities/window", "activities/batch-ingest",
      "employees/employees", "employees/batch-ingest");

  private HealthPanel() {}

  static void check(Pipeline pipeline, String base, Path dir, long employeeId, Function<String, JsonNode> get)
      throws Exception {
    String marker = "e2e-health-" + System.currentTimeMillis();
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", pipeline.kafka()),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      p.send(new ProducerRecord<>("raw-activities", marker.getBytes(StandardCharsets.UTF_8),
          "{not json".getBytes(StandardCharsets.UTF_8))).get();
    }
    // The API first: exact figures.
    JsonNode[] last = {null};
    EndToEndIT.await(Duration.ofMinutes(3), "every stage up with its figures, and the dead letter caused", pipeline,
        () -> {
          JsonNode h = get.apply(base + "/api/v1/pipeline/health");
          last[0] = h;
          if (h == null) {
            return false;
          }
          for (JsonNode s : h.get("stages")) {
            String key = s.get("chain").asText() + "/" + s.get("id").asText();
            if (!s.get("state").asText().equals("up") || s.get("rate_per_second").isNull()
                || FLOWING.contains(key) && s.get("rate_per_second").asDouble() <= 0
                || COUNTED_LAG.contains(key) && s.get("lag_records").isNull()
                || !key.equals("activities/batch-views") && s.get("lag_seconds").isNull()) {
              return false;
            }
          }
          return enrichLetters(h) > 0;
        }, () -> String.valueOf(last[0]));
    JsonNode h = last[0];
    assertEquals(8, h.get("stages").size());
    assertTrue(h.get("targets").findValues("up").stream().allMatch(JsonNode::asBoolean), h.get("targets").toString());
    JsonNode enrich = null;
    for (JsonNode st : h.get("dead_letters")) {
      if (st.get("stage").asText().equals("enrich")) {
        enrich = st;
      }
    }
    JsonNode letter = enrich.get("latest").get(0);
    assertEquals("raw-activities", letter.get("source_topic").asText(), letter.toString());
    assertTrue(letter.get("reason").asText().contains("JSON"), "the reason says what is wrong: " + letter);
    System.out.printf("e2e: health panel: %s; dead letter: %s%n", stagesLine(h), letter);

    ChromeDriver browser = Chromium.start(dir.resolve("chromium-profile"));
    try {
      browser.get(base + "/");
      JavascriptExecutor js = browser;
      awaitBrowser(js, "return window.dashboard && window.dashboard.refreshes > 0"
          + " && window.dashboard.stagesWithRate.length >= " + FLOWING.size()
          + " && window.dashboard.deadLetterReasons.some(r => r.startsWith('enrich: ') && r.includes('JSON'))",
          "the panel drawn with rates and the dead letter");
      assertEquals(null, js.executeScript("return window.dashboard.error"));
      @SuppressWarnings("unchecked")
      List<String> withRate = (List<String>) js.executeScript("return window.dashboard.stagesWithRate");
      assertTrue(withRate.containsAll(FLOWING), "stages drawn with a rate: " + withRate);
      assertEquals(0, browser.findElements(By.cssSelector(".stage.down, .stage.not_watched")).size(),
          "every stage's process answers");
      String enrichBox = browser.findElement(By.cssSelector(".stage[data-stage='activities/enrich']")).getText();
      assertTrue(enrichBox.contains("dead letter") && enrichBox.contains("/s"), enrichBox);
      String table = browser.findElement(By.id("dead-letters")).getText();
      assertTrue(table.contains("enrich") && table.contains("raw-activities"), table);
      Number freshness = (Number) js.executeScript("return window.dashboard.freshnessSeconds");
      assertTrue(freshness != null && freshness.doubleValue() < 60, "the speed layer's newest update is recent: "
          + freshness);
      Files.write(dir.resolve("dashboard-health.png"), browser.getScreenshotAs(OutputType.BYTES));
      assertTrue(Files.size(dir.resolve("dashboard-health.png")) > 10_000, "a screenshot with the panel in it");

      // The search opens a profile: the employee's current state and recent activity.
      browser.findElement(By.id("employee-q")).sendKeys(Long.toString(employeeId));
      browser.findElement(By.id("employee-search-submit")).click();
      awaitBrowser(js, "return window.dashboard.searchHits === 1", "the employee found by id");
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      do {
        browser.findElement(By.cssSelector("#employee-results button")).click();
        awaitBrowser(js, "return window.dashboard.profileId === " + employeeId, "the profile opened");
        Thread.sleep(500);
      } while ((Long) js.executeScript("return window.dashboard.profileActivities") == 0
          && System.nanoTime() < deadline);
      assertTrue((Long) js.executeScript("return window.dashboard.profileActivities") > 0,
          "recent activity of an employee the feed writes for");
      assertTrue(browser.findElement(By.id("profile-name")).getText().contains("#" + employeeId));
      js.executeScript("document.getElementById('employees').scrollIntoView()");
      Files.write(dir.resolve("dashboard-profile.png"), browser.getScreenshotAs(OutputType.BYTES));
      assertEquals(List.of(), Chromium.severeConsoleMessages(browser), "no console errors");
    } finally {
      browser.quit();
    }
    assertFalse(h.toString().contains("127.0.0.1"), "no addresses in the health view");
  }

  static long enrichLetters(JsonNode h) {
    for (JsonNode s : h.get("stages")) {
      if (s.get("id").asText().equals("enrich")) {
        return s.get("dead_letters").asLong();
      }
    }
    return 0;
  }

  static String stagesLine(JsonNode h) {
    List<String> parts = new ArrayList<>();
    for (JsonNode s : h.get("stages")) {
      parts.add(String.format("%s/%s %.1f/s lag %s rec %s s dlq %d", s.get("chain").asText(), s.get("id").asText(),
          s.get("rate_per_second").asDouble(), s.get("lag_records").isNull() ? "-" : s.get("lag_records").asText(),
          s.get("lag_seconds").isNull() ? "-" : String.format("%.1f", s.get("lag_seconds").asDouble()),
          s.get("dead_letters").asLong()));
    }
    return String.join("; ", parts);
  }

  static void awaitBrowser(JavascriptExecutor js, String condition, String what) throws InterruptedException {
    Chromium.awaitDashboard(js, condition, what, Duration.ofSeconds(60));
  }
}
