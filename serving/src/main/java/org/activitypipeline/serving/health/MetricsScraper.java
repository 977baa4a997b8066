package org.activitypipeline.serving.health;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the processes' {@code /metrics} every {@code interval} and answers the health view's
 * figures from what it read: a gauge's latest value, a counter's rate over the last {@code window}
 * (as Prometheus' {@code rate()}: increases summed per series, a counter that went down counted as
 * restarted from zero). Serving's own metrics are read in-process.
 *
 * <p>Threading: {@link #start()} runs the scrapes on one daemon thread; {@link #scrapeNow()} may
 * be called instead (tests); queries come from request threads. A target that fails is marked down
 * with a short reason (the URL and the exception are logged, once per change, not served) and its
 * old scrapes no longer count: a process that is down has no rate, not its last one.
 */
public final class MetricsScraper implements AutoCloseable {
  /** Serving's own figures (the batch horizon's age) are queried as this process. */
  public static final String SELF = "serving";
  /** A /metrics answer larger than this is refused: the health view must not be a way to fill the heap. */
  static final int MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
  private static final Logger log = LoggerFactory.getLogger(MetricsScraper.class);

  /** How one target fared at its last scrape. {@code error} is a short reason, null while up. */
  public record TargetStatus(String process, int instance, boolean up, String error, Instant lastSuccess) {}

  private record Scrape(Instant at, List<PrometheusText.Sample> samples) {}

  private static final class Target {
    final String process;
    final int instance;
    final ScrapeTarget endpoint; // null: this process
    final List<Scrape> scrapes = new ArrayList<>(); // oldest first, a handful
    String error = "not scraped yet";
    Instant lastSuccess;

    Target(String process, int instance, ScrapeTarget endpoint) {
      this.process = process;
      this.instance = instance;
      this.endpoint = endpoint;
    }
  }

  private final List<Target> targets = new ArrayList<>();
  private final Supplier<String> self;
  private final Duration interval;
  private final Duration window;
  private final Duration timeout;
  private final Clock clock;
  private final HttpClient http;
  private ScheduledExecutorService executor;

  /**
   * @param self serving's own exposition ({@code registry::scrape})
   * @param window how far back rates look; at least two scrapes must fall in it
   */
  public MetricsScraper(List<ScrapeTarget> endpoints, Supplier<String> self, Duration interval, Duration window,
                        Duration timeout, Clock clock) {
    Map<String, Integer> perProcess = new HashMap<>();
    for (ScrapeTarget e : endpoints) {
      targets.add(new Target(e.process(), perProcess.merge(e.process(), 1, Integer::sum), e));
    }
    targets.add(new Target(SELF, 1, null));
    this.self = self;
    this.interval = interval;
    this.window = window;
    this.timeout = timeout;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  public synchronized void start() {
    if (executor != null) {
      throw new IllegalStateException("already started");
    }
    executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "serving-health-scraper");
      t.setDaemon(true);
      return t;
    });
    executor.scheduleWithFixedDelay(this::scrapeNow, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Reads every target once, one after the other. */
  public void scrapeNow() {
    for (Target t : targets) {
      Scrape s;
      String error;
      try {
        String text = t.endpoint == null ? self.get() : fetch(t.endpoint);
        s = new Scrape(clock.instant(), PrometheusText.parse(text).samples());
        error = null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        s = null;
        error = reason(e);
        synchronized (this) {
          if (!error.equals(t.error)) {
            log.warn("event=health_scrape_failed process={} instance={} url={} error=\"{}\"", t.process, t.instance,
                t.endpoint == null ? "self" : t.endpoint.uri(), e.toString());
          }
        }
      }
      record(t, s, error);
    }
  }

  private synchronized void record(Target t, Scrape s, String error) {
    if (s == null) {
      t.scrapes.clear();
      t.error = error;
      return;
    }
    if (t.error != null && t.lastSuccess != null) {
      log.info("event=health_scrape_recovered process={} instance={}", t.process, t.instance);
    }
    t.error = null;
    t.lastSuccess = s.at();
    t.scrapes.add(s);
    // Keep one scrape at or before the window's start: the rate spans the whole window once it is full.
    Instant start = s.at().minus(window);
    while (t.scrapes.size() > 2 && !t.scrapes.get(1).at().isAfter(start)) {
      t.scrapes.remove(0);
    }
  }

  private String fetch(ScrapeTarget target) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(target.uri()).timeout(timeout).GET().build();
    HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        throw new IOException("HTTP " + response.statusCode());
      }
      byte[] bytes = body.readNBytes(MAX_RESPONSE_BYTES + 1);
      if (bytes.length > MAX_RESPONSE_BYTES) {
        throw new IOException("response larger than " + MAX_RESPONSE_BYTES + " bytes");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  /** A short reason, without host names or exception text (the log has those). */
  private static String reason(Exception e) {
    if (e instanceof HttpTimeoutException) {
      return "timed out";
    }
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    String m = e.getMessage();
    if (e instanceof IOException && m != null && (m.startsWith("HTTP ") || m.startsWith("response larger"))) {
      return m;
    }
    return "unreachable";
  }

  /** Every target (serving itself last), as of its last scrape. */
  public synchronized List<TargetStatus> targets() {
    return targets.stream().map(t -> new TargetStatus(t.process, t.instance, t.error == null, t.error, t.lastSuccess))
        .toList();
  }

  /** Whether any target of {@code process} is configured. */
  public synchronized boolean watches(String process) {
    return targets.stream().anyMatch(t -> t.process.equals(process));
  }

  /** The sum over the process's instances of the latest values of the matching series; empty when none answers. */
  public synchronized OptionalDouble sum(MetricQuery q) {
    return latest(q, true);
  }

  /** The largest of the latest values of the matching series (the worst lag of any instance). */
  public synchronized OptionalDouble max(MetricQuery q) {
    return latest(q, false);
  }

  private OptionalDouble latest(MetricQuery q, boolean sum) {
    double result = sum ? 0 : Double.NEGATIVE_INFINITY;
    boolean found = false;
    for (Target t : targets) {
      if (!t.process.equals(q.process()) || t.scrapes.isEmpty()) {
        continue;
      }
      for (PrometheusText.Sample s : t.scrapes.get(t.scrapes.size() - 1).samples()) {
        if (q.matches(s) && !Double.isNaN(s.value())) {
          result = sum ? result + s.value() : Math.max(result, s.value());
          found = true;
        }
      }
    }
    return found ? OptionalDouble.of(result) : OptionalDouble.empty();
  }

  /**
   * Per second over the last window, summed over instances and matching series; empty until some instance
   * of the process has been read twice. A series that appears between the two reads counts from zero
   * (Micrometer registers a counter at its first increment).
   */
  public synchronized OptionalDouble rate(MetricQuery q) {
    double perSecond = 0;
    boolean known = false;
    for (Target t : targets) {
      if (!t.process.equals(q.process()) || t.scrapes.size() < 2) {
        continue;
      }
      Scrape first = t.scrapes.get(0);
      Scrape last = t.scrapes.get(t.scrapes.size() - 1);
      double seconds = Duration.between(first.at(), last.at()).toMillis() / 1000.0;
      if (seconds <= 0) {
        continue;
      }
      Map<Map<String, String>, Double> before = new HashMap<>();
      for (PrometheusText.Sample s : first.samples()) {
        if (q.matches(s)) {
          before.put(s.labels(), s.value());
        }
      }
      double increase = 0;
      for (PrometheusText.Sample s : last.samples()) {
        if (q.matches(s)) {
          double old = before.getOrDefault(s.labels(), 0.0);
          increase += s.value() >= old ? s.value() - old : s.value();
        }
      }
      perSecond += increase / seconds;
      known = true;
    }
    return known ? OptionalDouble.of(perSecond) : OptionalDouble.empty();
  }

  @Override
  public synchronized void close() {
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}
