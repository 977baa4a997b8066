package org.activitypipeline.serving.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.activitypipeline.common.json.Json;
import org.activitypipeline.serving.batch.LakehouseWatcher;
import org.activitypipeline.serving.completeness.CompletenessView;
import org.activitypipeline.serving.config.ServingConfig;
import org.activitypipeline.serving.profile.EmployeeProfiles;
import org.activitypipeline.serving.speed.SpeedViews;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;

/**
 * The failure path of the HTTP layer, in process: an unexpected exception (here: the batch views are
 * missing, so the hourly query fails with a NullPointerException) is a 500 JSON answer with an error id,
 * and the log gets exactly one error line with that id and no stack trace. The rest of the HTTP surface
 * is tested against the real process in ServingIT and HostileRequestsIT.
 */
class ApiServerTest {

  /** Collects the events of the ApiServer logger. */
  static final class Captured extends AbstractAppender {
    final List<LogEvent> events = new ArrayList<>();

    Captured() {
      super("captured", null, null, true, Property.EMPTY_ARRAY);
    }

    @Override
    public synchronized void append(LogEvent event) {
      events.add(event.toImmutable());
    }
  }

  @Test
  void anUnexpectedFailureIsA500WithAnIdLoggedInOneLineWithoutAStackTrace() throws Exception {
    ServingConfig cfg = ServingConfig.load(null, Map.of("SERVING_HTTP_PORT", "0"));
    LakehouseWatcher neverPolled = new LakehouseWatcher("file:///nowhere", null, null, null, null,
        Duration.ofHours(1), s -> { });
    ServingQueries queries = new ServingQueries(new SpeedViews("h", "d"), null, neverPolled,
        new EmployeeProfiles(5, 10), new CompletenessView(), List.of(), Duration.ofDays(93), null);
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Captured captured = new Captured();
    captured.start();
    context.getConfiguration().getLoggerConfig(ApiServer.class.getName()).addAppender(captured, Level.ALL, null);
    context.updateLoggers();
    ApiServer server = new ApiServer(queries, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), cfg);
    try {
      server.start();
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + server.port() + "/api/v1/activity/hourly?from=2026-12-01T00:00:00Z&to=2026-12-01T02:00:00Z")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(500, r.statusCode(), r.body());
      JsonNode body = Json.mapper().readTree(r.body());
      assertEquals("internal", body.get("error").asText());
      String id = body.get("message").asText().replaceAll(".*error id ([0-9a-f]+) .*", "$1");
      assertFalse(r.body().contains("NullPointerException") || r.body().contains("at org."), r.body());

      List<LogEvent> errors;
      synchronized (captured) {
        errors = captured.events.stream().filter(e -> e.getLevel().isMoreSpecificThan(Level.WARN)).toList();
      }
      assertEquals(1, errors.size(), "one line: " + errors);
      String line = errors.get(0).getMessage().getFormattedMessage();
      assertTrue(line.contains("id=" + id) && line.contains("NullPointerException") && line.contains("at="), line);
      assertNull(errors.get(0).getThrown(), "no stack trace in the log");

      // A client error is not logged at all at warning level or above.
      HttpResponse<String> bad = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + server.port() + "/api/v1/activity/hourly?from=x")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(400, bad.statusCode());
      synchronized (captured) {
        assertEquals(1, captured.events.stream().filter(e -> e.getLevel().isMoreSpecificThan(Level.WARN)).count());
      }
    } finally {
      server.close();
      context.getConfiguration().getLoggerConfig(ApiServer.class.getName()).removeAppender("captured");
      context.updateLoggers();
    }
  }
}
