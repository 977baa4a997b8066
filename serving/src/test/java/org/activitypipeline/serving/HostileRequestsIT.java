package org.activitypipeline.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.activitypipeline.common.event.HourlyActivityAggregate;
import org.activitypipeline.common.json.Json;
import org.activitypipeline.common.json.JsonCodec;
import org.activitypipeline.common.topic.TopicReadiness;
import org.activitypipeline.lakehouse.BatchHorizon;
import org.activitypipeline.lakehouse.HourlyActivityAggRow;
import org.activitypipeline.lakehouse.Tables;
import org.activitypipeline.lakehouse.hudi.HudiSettings;
import org.activitypipeline.lakehouse.hudi.HudiTable;
import org.activitypipeline.localstack.LocalStack;
import org.activitypipeline.localstack.ServerKind;
import org.activitypipeline.localstack.junit.WithLocalStack;
import org.activitypipeline.localstack.testing.JarProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Hostile and broken requests against a real serving process (real Kafka and HDFS, no mocks): each
 * gets the 4xx it deserves with a JSON body and the security headers, never a 5xx; a flood of 300
 * parallel distinct 93-day queries gets answers or 503 with Retry-After, never more than the limit of
 * queries at once, and leaves the heap within the caches' budget; the serving log holds no stack trace,
 * and the process still answers a normal query correctly afterwards.
 *
 * <p>Requests go over raw sockets where an HTTP client would refuse or repair them (a wrong Host, {@code ..}
 * segments, bodies on GET routes, bad encodings).
 */
@WithLocalStack({ServerKind.KAFKA, ServerKind.HDFS})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileRequestsIT {
  static final String TOKEN = "hostile-it-token-0123456789abcdef";
  static final String METRICS_TOKEN = "hostile-it-metrics-0123456789";
  static final int MAX_QUERIES = 4;
  static final int XMX_MB = 384;
  static final long CACHE_MAX_BYTES = 16L * 1024 * 1024;
  static final JsonCodec<HourlyActivityAggregate> HOURLY =
      JsonCodec.of(HourlyActivityAggregate.class, HourlyActivityAggregate.SCHEMA_VERSION);

  final String run = "hr" + System.currentTimeMillis() % 1_000_000;
  final Instant t = Instant.now().truncatedTo(ChronoUnit.HOURS);
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
  final Path dir = Path.of("target", "it", run).toAbsolutePath();
  JarProcess serving;
  int port;

  @BeforeAll
  void setUp(LocalStack stack) throws Exception {
    Map<String, String> props = stack.connectionProperties();
    String bootstrap = props.get("kafka.bootstrap.servers");
    HudiSettings hudi = HudiSettings.forReading(props.get("hdfs.uri") + "/" + run + "/lakehouse",
        Map.of("dfs.replication", "1"));
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      List<NewTopic> topics = new ArrayList<>();
      for (String name : List.of("hourly", "daily", "employees", "activities", "completeness")) {
        topics.add(new NewTopic(topic(name), 1, (short) 1));
      }
      TopicReadiness.create(admin, topics, Duration.ofMinutes(1));
    }
    // The normal query's answer: t-2h from the batch views (behind the horizon t-1h), t from the speed layer.
    Instant batchHour = t.minus(2, ChronoUnit.HOURS);
    new HudiTable(Tables.HOURLY_ACTIVITY_AGG, hudi).upsert(Tables.hourlyActivityAgg(), List.of(
        new HourlyActivityAggRow("Engineering", "login", batchHour.toEpochMilli(), 20, 3, 200,
            batchHour.toEpochMilli() + 5, batchHour.toEpochMilli() + 6, 1, batchHour.toString().substring(0, 10))
            .toAvro()), Map.of());
    new BatchHorizon(t.minus(1, ChronoUnit.HOURS), Instant.now(), "x").write(hudi.lakehouse(),
        HudiTable.hadoopConf(hudi));
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
        new ByteArraySerializer(), new ByteArraySerializer())) {
      HourlyActivityAggregate a = new HourlyActivityAggregate(1, "Engineering", "login", t, t.plusSeconds(3600), 4, 1,
          8, 2.0, t.plusSeconds(1), t.plusSeconds(2), false, Instant.now());
      p.send(new ProducerRecord<>(topic("hourly"), a.key().getBytes(StandardCharsets.UTF_8), HOURLY.encode(a))).get();
    }

    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Map<String, String> env = new HashMap<>();
    env.put("SERVING_KAFKA_BOOTSTRAP_SERVERS", bootstrap);
    env.put("SERVING_TOPIC_HOURLY_ACTIVITY_AGGREGATIONS", topic("hourly"));
    env.put("SERVING_TOPIC_DAILY_DEVICE_AGGREGATIONS", topic("daily"));
    env.put("SERVING_TOPIC_PROCESSED_EMPLOYEES", topic("employees"));
    env.put("SERVING_TOPIC_PROCESSED_ACTIVITIES", topic("activities"));
    env.put("SERVING_TOPIC_ACTIVITY_COMPLETENESS", topic("completeness"));
    env.put("SERVING_LAKEHOUSE_PATH", hudi.lakehouse());
    env.put("SERVING_LAKEHOUSE_POLL_INTERVAL", "1s");
    env.put("SERVING_HTTP_PORT", Integer.toString(port));
    env.put("SERVING_AUTH_TOKEN", TOKEN);
    env.put("SERVING_METRICS_TOKEN", METRICS_TOKEN);
    env.put("SERVING_HTTP_ALLOWED_HOSTS", "127.0.0.1,localhost");
    env.put("SERVING_HTTP_MAX_CONCURRENT_QUERIES", Integer.toString(MAX_QUERIES));
    env.put("SERVING_CACHE_MAX_BYTES", Long.toString(CACHE_MAX_BYTES));
    serving = new JarProcess(Path.of("target", "serving.jar"), List.of("-Xmx" + XMX_MB + "m"), List.of("serve"), env,
        dir.resolve("serving.log")).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      try {
        if (get("/ready", true).statusCode() == 200) {
          break;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (!serving.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("serving not ready in 90 s:\n" + serving.logTail());
      }
      Thread.sleep(300);
    }
  }

  @AfterAll
  void tearDown() throws Exception {
    if (serving != null) {
      serving.close();
    }
  }

  String topic(String name) {
    return run + "-" + name;
  }

  HttpResponse<String> get(String path, boolean withToken) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (withToken) {
      b.header("Authorization", "Bearer " + TOKEN);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  // --- raw HTTP/1.1 over a socket ---------------------------------------------------------------------

  record Raw(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /**
   * Sends {@code head} (request line and headers, CRLF-separated, without the final blank line) and
   * {@code body}, and reads one response. The body is written on its own thread: the server may answer
   * and close before it has read a large body, and the answer is what the test is about.
   */
  Raw raw(String head, byte[] body) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(60_000);
      OutputStream out = socket.getOutputStream();
      byte[] request = (head + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8);
      Thread writer = new Thread(() -> {
        try {
          out.write(request);
          if (body != null) {
            out.write(body);
          }
          out.flush();
        } catch (IOException e) {
          // the server refused the rest; its answer is read below
        }
      }, "raw-writer");
      writer.start();
      Raw response = readResponse(socket.getInputStream());
      writer.join(TimeUnit.SECONDS.toMillis(60));
      return response;
    }
  }

  static Raw readResponse(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int headEnd = -1;
    Map<String, String> headers = new LinkedHashMap<>();
    int status = -1;
    int contentLength = -1;
    byte[] chunk = new byte[8192];
    while (true) {
      int n;
      try {
        n = in.read(chunk);
      } catch (IOException e) {
        n = -1; // a reset after the answer: what arrived is parsed
      }
      if (n < 0) {
        break;
      }
      buf.write(chunk, 0, n);
      byte[] all = buf.toByteArray();
      if (headEnd < 0) {
        String text = new String(all, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end >= 0) {
          headEnd = end + 4;
          String[] lines = text.substring(0, end).split("\r\n");
          status = Integer.parseInt(lines[0].split(" ")[1]);
          for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
          }
          contentLength = headers.containsKey("content-length") ? Integer.parseInt(headers.get("content-length")) : -1;
        }
      }
      if (headEnd >= 0 && contentLength >= 0 && all.length >= headEnd + contentLength) {
        break;
      }
    }
    byte[] all = buf.toByteArray();
    assertTrue(headEnd >= 0, "no complete response head, got: " + new String(all, StandardCharsets.ISO_8859_1));
    int end = contentLength >= 0 ? headEnd + contentLength : all.length;
    return new Raw(status, headers, new String(all, headEnd, end - headEnd, StandardCharsets.UTF_8));
  }

  String host() {
    return "Host: 127.0.0.1:" + port;
  }

  String auth() {
    return "Authorization: Bearer " + TOKEN;
  }

  /** A GET with the Host and the token, so the request reaches the parameter checks. */
  String getHead(String target) {
    return "GET " + target + " HTTP/1.1\r\n" + host() + "\r\n" + auth();
  }

  /**
   * One hostile request and what it must get.
   *
   * @param statuses acceptable statuses (several where Jetty or Javalin may refuse first, all 4xx)
   * @param error the JSON error code, or null where the status decides it
   * @param parameter the parameter the error must name, or null
   */
  record Case(String name, String head, byte[] body, Set<Integer> statuses, String error, String parameter) {}

  static Case bad(String name, String head, String parameter) {
    return new Case(name, head, null, Set.of(400), "bad_request", parameter);
  }

  String hourly(String query) {
    return "/api/v1/activity/hourly?" + query;
  }

  String range() {
    return "from=" + t.minus(3, ChronoUnit.HOURS) + "&to=" + t.plus(1, ChronoUnit.HOURS);
  }

  List<Case> cases() {
    String a = "a".repeat(10_000);
    List<Case> c = new ArrayList<>();
    // malformed and extreme times
    c.add(bad("unparseable instant", getHead(hourly("from=yesterday&to=" + t)), "from"));
    c.add(bad("month 13", getHead(hourly("from=2026-13-01T00:00:00Z&to=" + t)), "from"));
    c.add(bad("Instant.MIN", getHead(hourly("from=-1000000000-01-01T00:00:00Z&to=" + t)), "from"));
    c.add(bad("year 999999999 instant", getHead(hourly("from=" + t + "&to=%2B999999999-12-31T23:59:59Z")), "to"));
    c.add(bad("year 999999999 date", getHead("/api/v1/devices/daily?from=2026-12-01&to=%2B999999999-12-31"), "to"));
    c.add(bad("year 1999", getHead(hourly("from=1999-12-31T00:00:00Z&to=2000-01-02T00:00:00Z")), "from"));
    c.add(bad("year 2101 date", getHead("/api/v1/devices/daily?from=2101-01-01&to=2101-01-02"), "from"));
    c.add(bad("94-day range", getHead(hourly("from=" + t.minus(94, ChronoUnit.DAYS) + "&to=" + t)), "to"));
    c.add(bad("to before from", getHead(hourly("from=" + t + "&to=" + t.minusSeconds(1))), "to"));
    c.add(bad("empty from", getHead(hourly("from=&to=" + t)), "from"));
    c.add(bad("Arabic-Indic digits in a year", getHead(hourly("from=%D9%A2%D9%A0%D9%A2%D9%A6-12-01T00:00:00Z&to=" + t)),
        "from"));
    c.add(new Case("bad percent-encoding", getHead(hourly("from=%zz&to=%")), null, Set.of(400), "bad_request", null));
    // repeated and unknown parameters
    c.add(bad("repeated from", getHead(hourly(range() + "&from=" + t)), "from"));
    c.add(bad("repeated department", getHead(hourly(range() + "&department=a&department=b")), "department"));
    c.add(bad("unknown parameter", getHead(hourly(range() + "&dept=x")), "dept"));
    c.add(bad("unknown parameter on status", getHead("/api/v1/status?debug=true"), "debug"));
    c.add(bad("unknown parameter on a profile", getHead("/api/v1/employees/42?x=1"), "x"));
    // long strings
    c.add(bad("10 kB department", getHead(hourly(range() + "&department=" + a)), "department"));
    c.add(new Case("100 kB query string", getHead(hourly(range() + "&department=" + a.repeat(10))), null,
        Set.of(414), "uri_too_long", null));
    c.add(new Case("100 kB header", getHead(hourly(range())) + "\r\nX-Filler: " + a.repeat(10), null, Set.of(431),
        "headers_too_large", null));
    c.add(new Case("10 kB unknown parameter name", getHead(hourly(range() + "&" + a + "=1")), null, Set.of(400),
        "bad_request", null));
    // ids
    c.add(bad("Arabic-Indic digits id", getHead("/api/v1/employees/%D9%A1%D9%A2%D9%A3"), "id"));
    c.add(bad("fullwidth digits id", getHead("/api/v1/employees/%EF%BC%91%EF%BC%92"), "id"));
    c.add(bad("id beyond a long", getHead("/api/v1/employees/99999999999999999999"), "id"));
    c.add(bad("negative id", getHead("/api/v1/employees/-1"), "id"));
    c.add(new Case("NUL in an id", getHead("/api/v1/employees/%00"), null, Set.of(400), "bad_request", null));
    // path traversal
    c.add(new Case("../../etc/passwd", getHead("/../../etc/passwd"), null, Set.of(400, 404), null, null));
    c.add(new Case("%2e%2e/ encoded", getHead("/%2e%2e/%2e%2e/etc/passwd"), null, Set.of(400, 404), null, null));
    c.add(new Case("/public/../", getHead("/public/../../etc/passwd"), null, Set.of(400, 404), null, null));
    c.add(new Case("webjars traversal", getHead("/webjars/..%2f..%2f..%2fetc/passwd"), null, Set.of(400, 404), null,
        null));
    c.add(new Case("encoded slash in the API", getHead("/api/v1/employees/..%2f..%2fstatus"), null, Set.of(400, 404),
        null, null));
    // wrong methods
    for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
      c.add(new Case(method + " on a GET route", method + " " + hourly(range()) + " HTTP/1.1\r\n" + host() + "\r\n"
          + auth() + "\r\nContent-Length: 0", null, Set.of(405), "method_not_allowed", null));
    }
    c.add(new Case("TRACE", "TRACE /api/v1/status HTTP/1.1\r\n" + host() + "\r\n" + auth(), null, Set.of(400, 405),
        null, null));
    // large bodies
    c.add(new Case("1 MB POST", "POST /api/v1/status HTTP/1.1\r\n" + host() + "\r\n" + auth()
        + "\r\nContent-Type: application/json\r\nContent-Length: 1048576", new byte[1 << 20], Set.of(413),
        "payload_too_large", null));
    c.add(new Case("1 MB GET body", getHead(hourly(range())) + "\r\nContent-Length: 1048576", new byte[1 << 20],
        Set.of(413), "payload_too_large", null));
    c.add(new Case("chunked body", "POST /api/v1/status HTTP/1.1\r\n" + host() + "\r\n" + auth()
        + "\r\nTransfer-Encoding: chunked", "5\r\nhello\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII), Set.of(413),
        "payload_too_large", null));
    // tokens
    String noAuth = "GET " + hourly(range()) + " HTTP/1.1\r\n" + host();
    c.add(new Case("no token", noAuth, null, Set.of(401), "unauthorized", null));
    c.add(new Case("wrong token", noAuth + "\r\nAuthorization: Bearer " + TOKEN.toUpperCase(Locale.ROOT), null,
        Set.of(401), "unauthorized", null));
    c.add(new Case("lowercase scheme, wrong token", noAuth + "\r\nAuthorization: bearer not-the-token-0123456789",
        null, Set.of(401), "unauthorized", null));
    c.add(new Case("token without scheme", noAuth + "\r\nAuthorization: " + TOKEN, null, Set.of(401), "unauthorized",
        null));
    c.add(new Case("Basic scheme", noAuth + "\r\nAuthorization: Basic " + TOKEN, null, Set.of(401), "unauthorized",
        null));
    c.add(new Case("metrics without its token", "GET /metrics HTTP/1.1\r\n" + host(), null, Set.of(401),
        "unauthorized", null));
    c.add(new Case("metrics with the API token", "GET /metrics HTTP/1.1\r\n" + host() + "\r\n" + auth(), null,
        Set.of(401), "unauthorized", null));
    // hosts
    c.add(new Case("wrong Host", "GET " + hourly(range()) + " HTTP/1.1\r\nHost: evil.example\r\n" + auth(), null,
        Set.of(421), "misdirected_request", null));
    c.add(new Case("rebinding Host with our port", "GET /api/v1/status HTTP/1.1\r\nHost: attacker.example:" + port
        + "\r\n" + auth(), null, Set.of(421), "misdirected_request", null));
    c.add(new Case("no Host (HTTP/1.1 requires one)", "GET /api/v1/status HTTP/1.1\r\n" + auth(), null,
        Set.of(400, 421), null, null));
    c.add(new Case("HTTP/1.0 without Host", "GET /api/v1/status HTTP/1.0\r\n" + auth(), null, Set.of(421),
        "misdirected_request", null));
    return c;
  }

  @Test
  @Order(1)
  void everyHostileRequestGetsA4xxWithAJsonBody() throws Exception {
    List<Case> cases = cases();
    assertTrue(cases.size() >= 30, "at least 30 kinds: " + cases.size());
    List<String> failures = new ArrayList<>();
    for (Case c : cases) {
      Raw r = raw(c.head(), c.body());
      String what = c.name() + " -> " + r.status() + " " + r.body().substring(0, Math.min(300, r.body().length()));
      if (!c.statuses().contains(r.status())) {
        failures.add("status: " + what);
        continue;
      }
      if (!String.valueOf(r.header("content-type")).startsWith("application/json")) {
        failures.add("not JSON (" + r.header("content-type") + "): " + what);
        continue;
      }
      JsonNode body = Json.mapper().readTree(r.body());
      if (!body.hasNonNull("error") || !body.hasNonNull("message")) {
        failures.add("no error and message: " + what);
      } else if (c.error() != null && !c.error().equals(body.get("error").asText())) {
        failures.add("error code " + body.get("error").asText() + ", expected " + c.error() + ": " + what);
      } else if (c.parameter() != null && !c.parameter().equals(body.path("parameter").asText(null))) {
        failures.add("parameter " + body.path("parameter") + ", expected " + c.parameter() + ": " + what);
      }
      if (r.body().contains("\tat ") || r.body().contains("Exception")) {
        failures.add("a stack trace or exception text: " + what);
      }
      if (!"nosniff".equals(r.header("x-content-type-options")) || r.header("content-security-policy") == null) {
        failures.add("security headers missing " + r.headers() + ": " + what);
      }
    }
    assertEquals(List.of(), failures, failures.size() + " of " + cases.size() + " cases");
  }

  /** The positive controls of the cases above: the same server answers a proper request. */
  @Test
  @Order(2)
  void properRequestsStillPass() throws Exception {
    Raw lower = raw("GET " + hourly(range()) + " HTTP/1.1\r\n" + host() + "\r\nAuthorization: bearer " + TOKEN, null);
    assertEquals(200, lower.status(), "a lowercase scheme with the right token: " + lower.body());
    Raw upper = raw("GET " + hourly(range()) + " HTTP/1.1\r\nHost: LOCALHOST:" + port + "\r\nAuthorization: BEARER "
        + TOKEN, null);
    assertEquals(200, upper.status(), "an allowed host in any case, with its port: " + upper.body());
    Raw metrics = raw("GET /metrics HTTP/1.1\r\n" + host() + "\r\nAuthorization: Bearer " + METRICS_TOKEN, null);
    assertEquals(200, metrics.status());
    Raw health = raw("GET /health HTTP/1.1\r\nHost: evil.example", null);
    assertEquals(200, health.status(), "/health answers any Host (load balancers probe by address)");
  }

  /**
   * Jetty caches header fields per connection; looked up ignoring case (its default), a token differing from
   * the right one only in case was let through after a request with the right one on the same connection.
   */
  @Test
  @Order(2)
  void aTokenInAnotherCaseIsRefusedOnAKeptAliveConnection() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(60_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(("GET /api/v1/status HTTP/1.1\r\n" + host() + "\r\n" + auth() + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      assertEquals(200, readResponse(in).status(), "the right token");
      out.write(("GET /api/v1/status HTTP/1.1\r\n" + host() + "\r\nAuthorization: Bearer "
          + TOKEN.toUpperCase(Locale.ROOT) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      Raw second = readResponse(in);
      assertEquals(401, second.status(), "the same token in upper case, same connection: " + second.body());
    }
  }

  List<String> windows(JsonNode body) {
    List<String> out = new ArrayList<>();
    body.get("windows").forEach(w -> out.add(Instant.parse(w.get("window_start").asText()) + " "
        + w.get("department").asText() + " " + w.get("source").asText() + " " + w.get("event_count").asLong()));
    return out;
  }

  List<String> expectedNormalAnswer() {
    return List.of(t.minus(2, ChronoUnit.HOURS) + " Engineering batch 20", t + " Engineering speed 4");
  }

  /** The normal query, once the speed view holds the window (the topic is read asynchronously). */
  void assertNormalQueryAnswers() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    HttpResponse<String> r;
    while (true) {
      r = get(hourly(range()), true);
      assertEquals(200, r.statusCode(), r.body());
      if (windows(Json.mapper().readTree(r.body())).equals(expectedNormalAnswer()) || System.nanoTime() > deadline) {
        break;
      }
      Thread.sleep(250);
    }
    assertEquals(expectedNormalAnswer(), windows(Json.mapper().readTree(r.body())));
  }

  /** Heap in use right after a full GC of the serving process, from its own /metrics. */
  long heapAfterGc() throws Exception {
    Process gc = new ProcessBuilder("jcmd", Long.toString(serving.pid()), "GC.run").redirectErrorStream(true).start();
    String out = new String(gc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(gc.waitFor(60, TimeUnit.SECONDS) && gc.exitValue() == 0, "jcmd GC.run: " + out);
    Raw metrics = raw("GET /metrics HTTP/1.1\r\n" + host() + "\r\nAuthorization: Bearer " + METRICS_TOKEN, null);
    assertEquals(200, metrics.status());
    double sum = 0;
    int pools = 0;
    for (String line : metrics.body().split("\n")) {
      if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        pools++;
      }
    }
    assertTrue(pools > 0, "no heap pools in /metrics");
    return (long) sum;
  }

  static long metric(String body, String name) {
    for (String line : body.split("\n")) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError("no metric " + name);
  }

  /**
   * 300 distinct 93-day queries at once. Each is answered (200, windows within its range) or refused at
   * once (503 overloaded with Retry-After); no more than {@value #MAX_QUERIES} run at the same time; the
   * refusals the clients saw are the ones the server counted.
   *
   * <p>The heap bound: after a full GC the heap may have grown by at most the result caches' budget
   * ({@code cache.max-bytes}, 16 MiB) plus 16 MiB for what else a flood leaves behind: the partition cache
   * of the ~107 dates the ranges cover (empty lists here), and the buffers Jetty's pool keeps from 300
   * connections at once (a 16 KiB request buffer and a response buffer each, about 14 MiB), and stays
   * under a quarter of {@code -Xmx} (384 MiB): the process idles at about 40 MiB after a GC. Without the bounds, 300 cached results and queued requests
   * would show here.
   */
  @Test
  @Order(3)
  void aFloodOfDistinctLongQueriesIsAnsweredOrRefusedAndTheHeapStaysBounded() throws Exception {
    assertNormalQueryAnswers(); // warm: the classes a query needs are loaded before the baseline
    long before = heapAfterGc();
    Instant base = t.minus(93, ChronoUnit.DAYS);
    List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
    List<Instant> froms = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Instant from = base.minusSeconds(i * 3600L + 1); // distinct ranges, not hour-aligned, exactly 93 days
      froms.add(from);
      flood.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
          + hourly("from=" + from + "&to=" + from.plus(93, ChronoUnit.DAYS))))
          .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofMinutes(5)).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    int answered = 0;
    int refused = 0;
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < flood.size(); i++) {
      HttpResponse<String> r = flood.get(i).get(5, TimeUnit.MINUTES);
      JsonNode body = Json.mapper().readTree(r.body());
      if (r.statusCode() == 200) {
        answered++;
        Instant from = froms.get(i);
        for (JsonNode w : body.get("windows")) {
          Instant start = Instant.parse(w.get("window_start").asText());
          if (start.isBefore(from) || !start.isBefore(from.plus(93, ChronoUnit.DAYS))) {
            failures.add("query " + i + ": window " + start + " outside its range");
          }
        }
      } else if (r.statusCode() == 503 && "overloaded".equals(body.path("error").asText())
          && r.headers().firstValue("Retry-After").isPresent()) {
        refused++;
      } else {
        failures.add("query " + i + ": " + r.statusCode() + " " + r.body());
      }
    }
    assertEquals(List.of(), failures);
    assertEquals(300, answered + refused);
    Raw metrics = raw("GET /metrics HTTP/1.1\r\n" + host() + "\r\nAuthorization: Bearer " + METRICS_TOKEN, null);
    long maxInFlight = metric(metrics.body(), "serving_queries_in_flight_max");
    assertTrue(maxInFlight >= 1 && maxInFlight <= MAX_QUERIES, "at most " + MAX_QUERIES + " at once: " + maxInFlight);
    assertEquals(refused, metric(metrics.body(), "serving_queries_rejected_total"),
        "every refusal counted, nothing else (" + answered + " answered)");

    long after = heapAfterGc();
    long bound = before + CACHE_MAX_BYTES + 16L * 1024 * 1024;
    System.out.printf("flood: %d answered, %d refused (503 overloaded), at most %d at once; heap after GC %d MiB"
        + " before, %d MiB after (bound %d MiB)%n", answered, refused, maxInFlight, before >> 20, after >> 20, bound >> 20);
    assertTrue(after <= bound, "heap after the flood " + after / 1024 / 1024 + " MiB, before " + before / 1024 / 1024
        + " MiB: more than cache.max-bytes + 16 MiB of growth");
    assertTrue(after <= XMX_MB / 4 * 1024L * 1024, "heap " + after / 1024 / 1024 + " MiB: over a quarter of -Xmx");
  }

  @Test
  @Order(4)
  void afterwardsTheLogHasNoStackTraceAndANormalQueryIsAnsweredCorrectly() throws Exception {
    assertNormalQueryAnswers();
    assertTrue(serving.isAlive());
    String log = serving.logText();
    List<String> traces = log.lines().filter(l -> l.startsWith("\tat ") || l.contains("level=ERROR")).toList();
    assertEquals(List.of(), traces, "no stack trace and no error logged for client errors");
    assertFalse(log.contains(TOKEN), "the token is never logged");
    assertNotNull(serving.log());
  }
}
