package org.activitypipeline.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.activitypipeline.common.json.Json;

/**
 * Every metric the shipped alert rules ({@code deploy/prometheus/alerts.yml}), Grafana dashboard
 * ({@code deploy/grafana/activity-pipeline.json}) and serving's pipeline-health panel (the names its
 * API reports per stage) name is one the running processes export: the names in their PromQL, and the
 * panel's, against a live scrape of each process's {@code /metrics}.
 */
final class ExportedMetrics {
  private static final Path ROOT = Pipeline.ROOT;
  private static final Set<String> PROMQL_WORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
      "group_left", "group_right", "bool", "offset");
  /** Prometheus makes {@code up} itself for every target. */
  private static final Set<String> SYNTHETIC = Set.of("up");
  private static final Pattern NAME = Pattern.compile("(?<![A-Za-z0-9_:.$\"])([a-z_][a-z0-9_]*)(?![A-Za-z0-9_(])");

  private ExportedMetrics() {
  }

  static void assertEveryNamedMetricIsExported(Pipeline pipeline) throws Exception {
    Set<String> exported = new TreeSet<>();
    HttpClient http = HttpClient.newHttpClient();
    for (Map.Entry<String, Integer> e : pipeline.metricsPorts.entrySet()) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + e.getValue()
          + "/metrics")).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), e.getKey() + " /metrics: " + r.body());
      r.body().lines().filter(l -> !l.startsWith("#") && !l.isBlank())
          .forEach(l -> exported.add(l.split("[{ ]", 2)[0]));
    }
    List<String> expressions = new ArrayList<>();
    for (String line : Files.readAllLines(ROOT.resolve("deploy/prometheus/alerts.yml"))) {
      String t = line.trim();
      if (t.startsWith("expr:")) {
        expressions.add(t.substring("expr:".length()).trim());
      }
    }
    int rules = expressions.size();
    JsonNode dashboard = Json.mapper().readTree(ROOT.resolve("deploy/grafana/activity-pipeline.json").toFile());
    dashboard.findValues("expr").forEach(n -> expressions.add(n.asText()));
    assertTrue(rules >= 10 && expressions.size() > rules + 20, "read the rules and the panels: " + expressions.size());
    Set<String> missing = new TreeSet<>();
    Set<String> named = new TreeSet<>();
    for (String expr : expressions) {
      for (String name : names(expr)) {
        named.add(name);
        if (!exported.contains(name) && !SYNTHETIC.contains(name)) {
          missing.add(name + " (in " + expr + ")");
        }
      }
    }
    HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pipeline.servingPort
        + "/api/v1/pipeline/health")).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, health.statusCode(), health.body());
    int panel = 0;
    for (JsonNode stage : Json.mapper().readTree(health.body()).get("stages")) {
      for (JsonNode metric : stage.get("metrics")) {
        panel++;
        named.add(metric.asText());
        if (!exported.contains(metric.asText())) {
          missing.add(metric.asText() + " (health panel, stage " + stage.get("id").asText() + ")");
        }
      }
    }
    assertTrue(panel >= 15, "read the panel's metrics: " + panel);
    assertEquals(Set.of(), missing, "metrics named by the alerts, the dashboard or the health panel that no process"
        + " exports");
    System.out.printf("metrics: %d names in %d rules and dashboard queries and %d health-panel figures, all among the"
        + " %d the processes export%n", named.size(), expressions.size(), panel, exported.size());
  }

  /** The metric names in a PromQL expression: identifiers outside label matchers, not functions or keywords. */
  static Set<String> names(String expr) {
    String outside = expr.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ")
        .replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", " ").replaceAll("\"[^\"]*\"", " ").replaceAll("\\s+\\(", "(");
    Set<String> out = new TreeSet<>();
    Matcher m = NAME.matcher(outside);
    while (m.find()) {
      if (!PROMQL_WORDS.contains(m.group(1))) {
        out.add(m.group(1));
      }
    }
    return out;
  }
}
