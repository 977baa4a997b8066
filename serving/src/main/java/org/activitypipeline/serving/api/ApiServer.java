package org.activitypipeline.serving.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.activitypipeline.common.json.Json;
import org.activitypipeline.serving.batch.BatchViewsUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP surface: the versioned JSON API under {@code /api/v1}, its OpenAPI description, the
 * dashboard page, {@code /health}, {@code /ready} and {@code /metrics} (Prometheus), on one port.
 *
 * <p>Errors are always JSON ({@link ApiError}) with a 4xx/5xx status; a stack trace never reaches a
 * client (unexpected failures are logged here with an id the client gets). With a token
 * configured, every {@code /api/} path except the OpenAPI document needs {@code Authorization: Bearer}.
 */
public final class ApiServer implements AutoCloseable {
  static final String OPENAPI_PATH = "/api/v1/openapi.yaml";
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

  private final Javalin app;

  ApiServer(ServingQueries queries, PrometheusMeterRegistry registry, String bind, int port, String authToken,
            Duration stopTimeout) {
    byte[] openapi = resource("/openapi.yaml");
    byte[] token = authToken == null ? null : ("Bearer " + authToken).getBytes(StandardCharsets.UTF_8);
    this.app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.startup.showOldJavalinVersionWarning = false;
      config.jsonMapper(new JavalinJackson(Json.mapper(), false));
      config.jetty.host = bind;
      config.jetty.port = port;
      config.jetty.modifyServer(server -> server.setStopTimeout(stopTimeout.toMillis()));
      config.staticFiles.add("/public");
      config.staticFiles.enableWebjars();
      config.requestLogger.http((ctx, ms) -> record(registry, ctx, ms));

      config.routes.before("/api/*", ctx -> {
        if (token != null && !ctx.path().equals(OPENAPI_PATH) && !authorized(ctx.header("Authorization"), token)) {
          ctx.header("WWW-Authenticate", "Bearer");
          throw new UnauthorizedException();
        }
      });
      config.routes.get("/api/v1/activity/hourly", ctx -> ctx.json(queries.hourly(ctx.queryParamMap())));
      config.routes.get("/api/v1/devices/daily", ctx -> ctx.json(queries.daily(ctx.queryParamMap())));
      config.routes.get("/api/v1/employees/{id}", ctx -> {
        Responses.Profile profile = queries.profile(ctx.pathParam("id"));
        if (profile == null) {
          ctx.status(HttpStatus.NOT_FOUND).json(new ApiError("not_found", null,
              "no employee " + ctx.pathParam("id") + " is known to the speed layer"));
        } else {
          ctx.json(profile);
        }
      });
      config.routes.get("/api/v1/completeness", ctx -> ctx.json(queries.completeness(ctx.queryParamMap())));
      config.routes.get("/api/v1/status", ctx -> ctx.json(queries.status()));
      config.routes.get(OPENAPI_PATH, ctx -> ctx.contentType("application/yaml").result(openapi));
      config.routes.get("/health", ctx -> ctx.json(Map.of("status", "UP")));
      config.routes.get("/ready", ctx -> {
        boolean ready = queries.ready();
        ctx.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
            .json(Map.of("status", ready ? "READY" : "NOT_READY", "detail", queries.status()));
      });
      config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(registry.scrape()));

      config.routes.exception(BadRequestException.class, (e, ctx) ->
          ctx.status(HttpStatus.BAD_REQUEST).json(new ApiError("bad_request", e.parameter(), e.getMessage())));
      config.routes.exception(UnauthorizedException.class, (e, ctx) ->
          ctx.status(HttpStatus.UNAUTHORIZED).json(new ApiError("unauthorized", null,
              "this API needs the header 'Authorization: Bearer <token>'")));
      config.routes.exception(BatchViewsUnavailableException.class, (e, ctx) -> {
        log.warn("event=batch_views_unavailable path={} error=\"{}\"", ctx.path(), e.getMessage());
        ctx.status(HttpStatus.SERVICE_UNAVAILABLE).json(new ApiError("unavailable", null,
            "the batch views cannot be read right now: " + e.getMessage()));
      });
      config.routes.exception(Exception.class, (e, ctx) -> {
        String id = Long.toHexString(System.nanoTime());
        log.error("event=request_failed id={} path={} error=\"{}\"", id, ctx.path(), e.toString(), e);
        ctx.status(HttpStatus.INTERNAL_SERVER_ERROR).json(new ApiError("internal", null,
            "the request failed (error id " + id + " in the serving log)"));
      });
      config.routes.error(404, ctx -> {
        if (ctx.path().startsWith("/api/")) {
          ctx.json(new ApiError("not_found", null, "no such endpoint: " + ctx.path() + " (see " + OPENAPI_PATH + ")"));
        }
      });
    });
  }

  /** Binds the port and serves; returns once the server accepts connections. */
  void start() {
    app.start();
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return app.port();
  }

  /** Stops accepting, lets requests in flight finish (up to the stop timeout). Safe to call twice. */
  @Override
  public void close() {
    app.stop();
  }

  private static boolean authorized(String header, byte[] expected) {
    // Constant-time comparison: the token must not leak through response timing.
    return header != null && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8), expected);
  }

  private static void record(PrometheusMeterRegistry registry, Context ctx, Float ms) {
    String route;
    try {
      route = ctx.endpoint().path;
    } catch (RuntimeException e) {
      route = "unmatched";
    }
    if (ctx.path().startsWith("/webjars/") || route.equals("unmatched") && ctx.status().getCode() < 400) {
      route = "static";
    }
    Timer.builder("http_server_requests").tag("method", ctx.method().name()).tag("route", route)
        .tag("status", Integer.toString(ctx.status().getCode())).register(registry)
        .record((long) (ms * 1000), TimeUnit.MICROSECONDS);
  }

  private static byte[] resource(String path) {
    try (InputStream in = ApiServer.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(path + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + path + " from the jar", e);
    }
  }

  /** No or a wrong bearer token. */
  static final class UnauthorizedException extends RuntimeException {
    UnauthorizedException() {
      super("unauthorized", null, false, false);
    }
  }
}
