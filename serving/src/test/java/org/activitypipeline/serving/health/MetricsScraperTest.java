package org.activitypipeline.serving.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real HTTP endpoints (the JDK's server) whose exposition the test sets, and a clock it moves. */
class MetricsScraperTest {
  final List<HttpServer> servers = new ArrayList<>();
  Instant now = Instant.parse("2026-12-07T10:00:00Z");
  final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  };

  /** An endpoint answering whatever {@code body} holds, with {@code status}. */
  URI endpoint(AtomicReference<String> body, AtomicInteger status) throws Exception {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
    s.createContext("/metrics", ex -> {
      byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status.get(), b.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(b);
      }
    });
    s.start();
    servers.add(s);
    return URI.create("http://127.0.0.1:" + s.getAddress().getPort() + "/metrics");
  }

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
  }

  @Test
  void ratesAreIncreasesOverTheWindowSummedOverInstancesAndSeries() throws Exception {
    AtomicReference<String> a = new AtomicReference<>("rows_total{shard=\"0\"} 100\nlag 5\n");
    AtomicReference<String> b = new AtomicReference<>("rows_total{shard=\"1\"} 1000\nlag 9\n");
    AtomicInteger ok = new AtomicInteger(200);
    MetricsScraper m = new MetricsScraper(List.of(new ScrapeTarget("poller", endpoint(a, ok)),
        new ScrapeTarget("poller", endpoint(b, ok))), () -> "", Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofSeconds(2), clock);
    MetricQuery rows = MetricQuery.of("poller", "rows_total");
    m.scrapeNow();
    assertTrue(m.rate(rows).isEmpty(), "one read: no rate yet");
    assertEquals(OptionalDouble.of(14), m.sum(MetricQuery.of("poller", "lag")));
    assertEquals(OptionalDouble.of(9), m.max(MetricQuery.of("poller", "lag")));

    now = now.plusSeconds(10);
    a.set("rows_total{shard=\"0\"} 150\nrows_total{shard=\"2\"} 30\n"); // a series born in between counts from 0
    b.set("rows_total{shard=\"1\"} 20\n"); // went down: restarted, 20 since
    m.scrapeNow();
    assertEquals(10.0, m.rate(rows).getAsDouble(), 1e-9, "(50 + 30 + 20) / 10 s");
    assertTrue(m.sum(MetricQuery.of("poller", "lag")).isEmpty(), "no instance has the gauge any more");

    // Later reads: the rate spans the window (30 s), not only the last interval.
    for (int i = 0; i < 4; i++) {
      now = now.plusSeconds(10);
      a.set("rows_total{shard=\"0\"} " + (150 + 60 * (i + 1)) + "\nrows_total{shard=\"2\"} 30\n");
      m.scrapeNow();
    }
    assertEquals(6.0, m.rate(rows).getAsDouble(), 1e-9, "instance a: 180 rows in the last 30 s, b: none");
  }

  @Test
  void aTargetThatFailsIsDownWithAShortReasonAndHasNoRate() throws Exception {
    AtomicReference<String> body = new AtomicReference<>("c_total 1\n");
    AtomicInteger status = new AtomicInteger(200);
    URI uri = endpoint(body, status);
    MetricsScraper m = new MetricsScraper(List.of(new ScrapeTarget("cdc", uri),
        new ScrapeTarget("processor", URI.create("http://127.0.0.1:1/metrics"))), () -> "own_total 3\n",
        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(2), clock);
    m.scrapeNow();
    now = now.plusSeconds(10);
    body.set("c_total 11\n");
    m.scrapeNow();
    assertEquals(1.0, m.rate(MetricQuery.of("cdc", "c_total")).getAsDouble(), 1e-9);
    assertEquals(OptionalDouble.of(3), m.sum(MetricQuery.of(MetricsScraper.SELF, "own_total")), "serving's own");
    MetricsScraper.TargetStatus processor = m.targets().get(1);
    assertFalse(processor.up());
    assertEquals("connection refused", processor.error());

    status.set(503);
    now = now.plusSeconds(10);
    m.scrapeNow();
    MetricsScraper.TargetStatus cdc = m.targets().get(0);
    assertFalse(cdc.up());
    assertEquals("HTTP 503", cdc.error());
    assertFalse(cdc.error().contains("127.0.0.1"), "no address in what is served");
    assertTrue(m.rate(MetricQuery.of("cdc", "c_total")).isEmpty(), "a process that is down has no rate");

    status.set(200);
    body.set("x".repeat(MetricsScraper.MAX_RESPONSE_BYTES + 1));
    m.scrapeNow();
    assertEquals("response larger than " + MetricsScraper.MAX_RESPONSE_BYTES + " bytes", m.targets().get(0).error());
    assertTrue(m.watches("cdc") && !m.watches("poller"));
  }
}
