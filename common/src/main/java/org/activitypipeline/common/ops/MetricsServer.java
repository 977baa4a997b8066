package org.activitypipeline.common.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * The metrics and health endpoint of a long-running process: {@code GET /metrics} (Prometheus text
 * format) and {@code GET /health} (200 while {@code healthy} says so, else 503). JVM metrics are
 * registered too. Port 0 disables the HTTP server; the registry still collects.
 */
public final class MetricsServer implements AutoCloseable {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final HttpServer http;

  private MetricsServer(String processName, String bindHost, int port, BooleanSupplier healthy) throws IOException {
    registry.config().commonTags("process", processName);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    if (port <= 0) {
      http = null;
      return;
    }
    http = HttpServer.create(new InetSocketAddress(bindHost, port), 16);
    http.createContext("/metrics", ex -> respond(ex, 200, registry.scrape(), "text/plain; version=0.0.4"));
    http.createContext("/health", ex -> {
      boolean ok = healthy.getAsBoolean();
      respond(ex, ok ? 200 : 503, ok ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}", "application/json");
    });
    http.start();
  }

  /** @throws IOException when the port cannot be bound (the message names it) */
  public static MetricsServer start(String processName, String bindHost, int port, BooleanSupplier healthy)
      throws IOException {
    try {
      return new MetricsServer(processName, bindHost, port, healthy);
    } catch (IOException e) {
      throw new IOException("cannot serve metrics on " + bindHost + ":" + port + ": " + e.getMessage(), e);
    }
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The bound port (useful with port 0 in tests), or -1 when disabled. */
  public int port() {
    return http == null ? -1 : http.getAddress().getPort();
  }

  private static void respond(HttpExchange ex, int status, String body, String type) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    if (http != null) {
      http.stop(0);
    }
    registry.close();
  }
}
