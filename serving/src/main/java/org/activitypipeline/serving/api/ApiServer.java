package org.activitypipeline.serving.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.activitypipeline.common.json.Json;
import org.activitypipeline.serving.batch.BatchViewsUnavailableException;
import org.activitypipeline.serving.config.ServingConfig;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP surface: the versioned JSON API under {@code /api/v1}, its OpenAPI description, the
 * dashboard page, {@code /health}, {@code /ready} and {@code /metrics} (Prometheus), on one port.
 *
 * <p>Errors are always JSON ({@link ApiError}) with a 4xx/5xx status, Jetty's own ones included
 * ({@link JsonErrorHandler}); a stack trace never reaches a client, and a client error (4xx) is not
 * logged as one: only an unexpected failure (500) is, in one line with the id the client gets. With a
 * token, every {@code /api/} path except the OpenAPI document and {@code /api/v1/auth} needs
 * {@code Authorization: Bearer};
 * with {@code metrics.token}, {@code /metrics} needs that one. Every response carries
 * {@link SecurityHeaders}; expensive queries go through the {@link QueryLimiter}.
 */
public final class ApiServer implements AutoCloseable {
  static final String OPENAPI_PATH = "/api/v1/openapi.yaml";
  /** Open: whether the API needs a token, so the dashboard asks for one before its first request fails. */
  static final String AUTH_PATH = "/api/v1/auth";
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
  /** Request attribute: an endpoint answered this error itself; the generic status handlers leave it. */
  private static final String SPECIFIC_ERROR = "serving.specificError";

  private final Javalin app;

  ApiServer(ServingQueries queries, PrometheusMeterRegistry registry, ServingConfig cfg) {
    byte[] openapi = StaticAssets.resource("/openapi.yaml");
    BearerToken token = cfg.authToken() == null ? null : new BearerToken(cfg.authToken());
    BearerToken metricsToken = cfg.metricsToken() == null ? null : new BearerToken(cfg.metricsToken());
    HostAllowList hosts = new HostAllowList(cfg.allowedHosts());
    QueryLimiter limiter = new QueryLimiter(cfg.maxConcurrentQueries(), registry);
    int maxBody = cfg.maxRequestBytes();
    this.app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.startup.showOldJavalinVersionWarning = false;
      config.jsonMapper(new JavalinJackson(Json.mapper(), false));
      config.jetty.host = cfg.httpBind();
      config.jetty.port = cfg.httpPort();
      QueuedThreadPool threads = new QueuedThreadPool(cfg.maxThreads(), Math.min(8, cfg.maxThreads()));
      threads.setName("serving-http");
      config.jetty.threadPool = threads;
      config.http.maxRequestSize = maxBody;
      config.http.prefer405over404 = true;
      config.jetty.modifyHttpConfiguration(http -> {
        http.setRequestHeaderSize(maxBody); // a longer request line: 414, longer headers: 431
        http.setSendServerVersion(false);
        // Jetty caches header fields per connection and, by default, looks them up ignoring case: after a
        // request with the right token, "Bearer <TOKEN IN UPPER CASE>" on the same connection was handed
        // the cached (right) value and let through (ServingIT caught it). Tokens are case-sensitive.
        http.setHeaderCacheCaseSensitive(true);
      });
      config.jetty.modifyServer(server -> {
        server.setStopTimeout(cfg.shutdownTimeout().toMillis());
        server.setErrorHandler(new JsonErrorHandler());
      });
      config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JsonErrorHandler()));
      config.requestLogger.http((ctx, ms) -> record(registry, ctx, ms));

      config.routes.before(ctx -> {
        SecurityHeaders.ALL.forEach(ctx::header);
        if (!ctx.path().equals("/health") && !hosts.allows(ctx.header("Host"))) {
          throw new RequestRejectedException(HttpStatus.MISDIRECTED_REQUEST, "misdirected_request",
              "this server does not answer for that Host header (http.allowed-hosts)");
        }
        if (ctx.contentLength() > maxBody || ctx.header("Transfer-Encoding") != null) {
          throw new RequestRejectedException(HttpStatus.CONTENT_TOO_LARGE, "payload_too_large",
              "request bodies larger than " + maxBody + " bytes, or without a Content-Length, are refused;"
                  + " this API takes no bodies");
        }
      });
      config.routes.before("/api/*", ctx -> {
        ctx.header("Cache-Control", SecurityHeaders.NO_STORE);
        boolean open = ctx.path().equals(OPENAPI_PATH) || ctx.path().equals(AUTH_PATH);
        if (token != null && !open && !token.matches(ctx.header("Authorization"))) {
          ctx.header("WWW-Authenticate", "Bearer");
          throw new UnauthorizedException();
        }
      });
      config.routes.get("/api/v1/activity/hourly", ctx -> ctx.json(limiter.call(() -> queries.hourly(params(ctx)))));
      config.routes.get("/api/v1/devices/daily", ctx -> ctx.json(limiter.call(() -> queries.daily(params(ctx)))));
      config.routes.get("/api/v1/employees", ctx -> ctx.json(limiter.call(() -> queries.search(params(ctx)))));
      config.routes.get("/api/v1/pipeline/health", ctx -> ctx.json(queries.health(params(ctx))));
      config.routes.get("/api/v1/employees/{id}", ctx -> {
        Responses.Profile profile = limiter.call(() -> queries.profile(ctx.pathParam("id"), params(ctx)));
        if (profile == null) {
          throw new RequestRejectedException(HttpStatus.NOT_FOUND, "not_found",
              "no employee " + ctx.pathParam("id") + " is known to the speed layer");
        }
        ctx.json(profile);
      });
      config.routes.get("/api/v1/completeness",
          ctx -> ctx.json(limiter.call(() -> queries.completeness(params(ctx)))));
      config.routes.get("/api/v1/status", ctx -> ctx.json(queries.status(params(ctx))));
      config.routes.get(OPENAPI_PATH, ctx -> ctx.contentType("application/yaml").result(openapi));
      config.routes.get(AUTH_PATH, ctx -> {
        new QueryParams(params(ctx)).only(java.util.Set.of());
        ctx.json(Map.of("token_required", token != null));
      });
      StaticAssets.load().forEach((path, asset) -> config.routes.get(path,
          ctx -> ctx.contentType(asset.contentType()).result(asset.bytes())));
      config.routes.get("/health", ctx -> ctx.json(Map.of("status", "UP")));
      // The state only: what is not ready (and why) is behind the token, in /api/v1/status.
      config.routes.get("/ready", ctx -> {
        boolean ready = queries.ready();
        ctx.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
            .json(Map.of("status", ready ? "READY" : "NOT_READY"));
      });
      config.routes.get("/metrics", ctx -> {
        if (metricsToken != null && !metricsToken.matches(ctx.header("Authorization"))) {
          ctx.header("WWW-Authenticate", "Bearer");
          throw new UnauthorizedException();
        }
        ctx.header("Cache-Control", SecurityHeaders.NO_STORE);
        ctx.contentType("text/plain; version=0.0.4").result(registry.scrape());
      });

      config.routes.exception(BadRequestException.class, (e, ctx) ->
          ctx.status(HttpStatus.BAD_REQUEST).json(new ApiError("bad_request", e.parameter(), e.getMessage())));
      config.routes.exception(UnauthorizedException.class, (e, ctx) ->
          ctx.status(HttpStatus.UNAUTHORIZED).json(new ApiError("unauthorized", null,
              "this resource needs the header 'Authorization: Bearer <token>'")));
      config.routes.exception(RequestRejectedException.class, (e, ctx) -> {
        ctx.attribute(SPECIFIC_ERROR, true);
        ctx.status(e.status()).json(new ApiError(e.code(), null, e.getMessage()));
      });
      config.routes.exception(QueryLimiter.OverloadedException.class, (e, ctx) -> {
        ctx.header("Retry-After", "1");
        ctx.status(HttpStatus.SERVICE_UNAVAILABLE).json(new ApiError("overloaded", null, e.getMessage()));
      });
      config.routes.exception(BatchViewsUnavailableException.class, (e, ctx) -> {
        log.warn("event=batch_views_unavailable path={} error=\"{}\"", ctx.path(), e.getMessage());
        // Not the exception's text: it names the NameNode's host and port.
        ctx.header("Retry-After", "5");
        ctx.status(HttpStatus.SERVICE_UNAVAILABLE).json(new ApiError("unavailable", null,
            "the batch views cannot be read right now (the lakehouse is unreachable); retry later"));
      });
      // Javalin's own refusals (405 with prefer405over404, 413 of a body read, ...): JSON like the rest.
      config.routes.exception(HttpResponseException.class, (e, ctx) ->
          ctx.status(e.getStatus()).json(new ApiError(ApiError.codeOf(e.getStatus()), null,
              "the server refused the request: " + e.getStatus() + " " + HttpStatus.forStatus(e.getStatus()).getMessage())));
      config.routes.exception(Exception.class, (e, ctx) -> {
        String id = Long.toHexString(System.nanoTime());
        StackTraceElement where = e.getStackTrace().length == 0 ? null : e.getStackTrace()[0];
        // One line (the id, what and where); the trace only at debug level.
        log.error("event=request_failed id={} method={} path={} error=\"{}\" at={}", id, ctx.method(), ctx.path(),
            e.toString().replace('"', '\''), where);
        log.debug("event=request_failed_trace id={}", id, e);
        ctx.status(HttpStatus.INTERNAL_SERVER_ERROR).json(new ApiError("internal", null,
            "the request failed (error id " + id + " in the serving log)"));
      });
      config.routes.error(404, ctx -> {
        if (ctx.attribute(SPECIFIC_ERROR) == null) { // not an endpoint's own 404 (an unknown employee)
          ctx.json(new ApiError("not_found", null, "no such resource: " + QueryParams.shown(ctx.path())
              + (ctx.path().startsWith("/api/") ? " (see " + OPENAPI_PATH + ")" : "")));
        }
      });
      config.routes.error(405, ctx -> ctx.json(new ApiError("method_not_allowed", null,
          ctx.method() + " is not allowed here; this server answers GET")));
    });
  }

  /** The query parameters; a query string that is not valid URL encoding is the client's error (400). */
  private static Map<String, List<String>> params(Context ctx) {
    try {
      return ctx.queryParamMap();
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("query", "the query string is not valid URL encoding");
    }
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

  /** No or a wrong bearer token. */
  static final class UnauthorizedException extends RuntimeException {
    UnauthorizedException() {
      super("unauthorized", null, false, false);
    }
  }
}
