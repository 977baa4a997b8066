package org.activitypipeline.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
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
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.activitypipeline.common.event.Activity;
import org.activitypipeline.common.event.ChangeOp;
import org.activitypipeline.common.event.DailyDeviceAggregate;
import org.activitypipeline.common.event.EmployeeChange;
import org.activitypipeline.common.event.EnrichedActivity;
import org.activitypipeline.common.event.HourCompleteness;
import org.activitypipeline.common.event.HourlyActivityAggregate;
import org.activitypipeline.common.json.Json;
import org.activitypipeline.common.json.JsonCodec;
import org.activitypipeline.common.topic.TopicReadiness;
import org.activitypipeline.lakehouse.BatchHorizon;
import org.activitypipeline.lakehouse.DailyDeviceAggRow;
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
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The serving process ({@code java -jar serving.jar serve}) against a real Kafka and HDFS: the
 * lambda merge at the horizon, a new batch commit and horizon reaching the answers, errors named by
 * parameter, auth, profiles, metrics, HDFS going away, and a clean SIGTERM. The batch views are
 * written with the lakehouse module the batch layer writes with; the speed topics as the processor
 * writes them (an aborted transaction included, which must stay invisible).
 */
@WithLocalStack({ServerKind.KAFKA, ServerKind.HDFS})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServingIT {
  static final JsonCodec<HourlyActivityAggregate> HOURLY =
      JsonCodec.of(HourlyActivityAggregate.class, HourlyActivityAggregate.SCHEMA_VERSION);
  static final JsonCodec<DailyDeviceAggregate> DAILY =
      JsonCodec.of(DailyDeviceAggregate.class, DailyDeviceAggregate.SCHEMA_VERSION);

  /** The main process's API token: auth is on by default, so the tests use it like a deployment would. */
  static final String TOKEN = "serving-it-token-0123456789abcdef";
  final String run = "sv" + System.currentTimeMillis() % 1_000_000;
  final Instant t = Instant.now().truncatedTo(ChronoUnit.HOURS); // the current hour's window start
  final HttpClient http = HttpClient.newHttpClient();
  final Path dir = Path.of("target", "it", run).toAbsolutePath();
  /** Record times of the two late activities written: an hour apart. */
  final List<Instant> lateArrivals = List.of(Instant.now().minus(1, ChronoUnit.HOURS), Instant.now());
  Map<String, String> env;
  HudiSettings hudi;
  String bootstrap;
  JarProcess serving;
  String base;

  @BeforeAll
  void setUp(LocalStack stack) throws Exception {
    Map<String, String> props = stack.connectionProperties();
    bootstrap = props.get("kafka.bootstrap.servers");
    hudi = HudiSettings.forReading(props.get("hdfs.uri") + "/" + run + "/lakehouse", Map.of("dfs.replication", "1"));
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      TopicReadiness.create(admin, List.of(new NewTopic(topic("hourly"), 3, (short) 1),
          new NewTopic(topic("daily"), 2, (short) 1), new NewTopic(topic("employees"), 2, (short) 1),
          new NewTopic(topic("activities"), 2, (short) 1), new NewTopic(topic("completeness"), 1, (short) 1),
          new NewTopic(topic("dlq"), 2, (short) 1), new NewTopic(topic("late"), 1, (short) 1)),
          Duration.ofMinutes(1));
    }
    // Batch views: hours t-3h, t-2h complete below the horizon t-1h; t-1h written too, but past the horizon.
    writeHourly(row("Engineering", t.minus(3, ChronoUnit.HOURS), 30), row("Engineering", t.minus(2, ChronoUnit.HOURS), 20),
        row("Sales", t.minus(2, ChronoUnit.HOURS), 5), row("Engineering", t.minus(1, ChronoUnit.HOURS), 111));
    HudiTable daily = new HudiTable(Tables.DAILY_DEVICE_AGG, hudi);
    String yesterday = t.minus(1, ChronoUnit.DAYS).toString().substring(0, 10);
    daily.upsert(Tables.dailyDeviceAgg(), List.of(new DailyDeviceAggRow("laptop", yesterday, 70, 9,
        Map.of("login", 50L, "email", 20L), 1).toAvro()), Map.of());
    new BatchHorizon(t.minus(1, ChronoUnit.HOURS), Instant.now(), "x").write(hudi.lakehouse(), HudiTable.hadoopConf(hudi));

    try (KafkaProducer<byte[], byte[]> p = producer(null)) {
      // Behind the horizon and finalized by the speed layer: dropped, the batch view answers (30).
      sendHourly(p, finalSpeedWindow("Engineering", t.minus(3, ChronoUnit.HOURS), 99));
      // Behind the horizon, still open in the speed layer, which merged a late Engineering event since the
      // views run: 26 events against the batch views' 25, so the whole hour comes from the speed layer.
      sendHourly(p, speedWindow("Engineering", t.minus(2, ChronoUnit.HOURS), 21));
      sendHourly(p, speedWindow("Sales", t.minus(2, ChronoUnit.HOURS), 5));
      sendHourly(p, speedWindow("Engineering", t.minus(1, ChronoUnit.HOURS), 12));
      sendHourly(p, speedWindow("Engineering", t, 3));
      sendHourly(p, speedWindow("Engineering", t, 4)); // the newer value of the same window
      DailyDeviceAggregate d = new DailyDeviceAggregate(1, "laptop", java.time.LocalDate.parse(yesterday), 55, 8,
          Map.of("login", 55L), true, Instant.now());
      p.send(new ProducerRecord<>(topic("daily"), bytes(d.key()), DAILY.encode(d))); // yesterday is batch: unused
      DailyDeviceAggregate today = new DailyDeviceAggregate(1, "laptop",
          java.time.LocalDate.parse(t.toString().substring(0, 10)), 8, 2, Map.of("login", 8L), false, Instant.now());
      p.send(new ProducerRecord<>(topic("daily"), bytes(today.key()), DAILY.encode(today)));
      p.send(new ProducerRecord<>(topic("hourly"), bytes("x"), bytes("{not json"))); // counted, skipped
      EmployeeChange ada = new EmployeeChange(1, ChangeOp.CREATE, 42, "Ada", "Lovelace", "ada@example.com", 7L,
          "Engineering", "Engineer", "London", null, null, "75000-100000", "active", t, t, List.of(), Map.of("desk", "B-12"),
          100, t);
      p.send(new ProducerRecord<>(topic("employees"), bytes("42"),
          JsonCodec.of(EmployeeChange.class, 1).encode(ada)));
      for (int i = 0; i < 3; i++) {
        Instant at = Instant.now().minusSeconds(60 - i);
        Activity a = new Activity(1, "act-" + i, 42, "login", "laptop", "linux", "10.0.0.1", "London", 5 + i, at, at,
            Map.of());
        p.send(new ProducerRecord<>(topic("activities"), bytes("42"), JsonCodec.of(EnrichedActivity.class, 1).encode(
            new EnrichedActivity(1, a, true, 7L, "Engineering", "Engineer", "London", "active", at))));
      }
    }
    // The reconciliation's records: t-3h complete, t-2h with 5 rows not yet in Hudi, t-4h forgotten (tombstone).
    try (KafkaProducer<byte[], byte[]> p = producer(null)) {
      Instant checked = Instant.now();
      sendCompleteness(p, new HourCompleteness(t.minus(4, ChronoUnit.HOURS), checked, 9, 0, 9, 0, 0, 9, 0, List.of()));
      p.send(new ProducerRecord<>(topic("completeness"), bytes(t.minus(4, ChronoUnit.HOURS).toString()), null));
      sendCompleteness(p, new HourCompleteness(t.minus(3, ChronoUnit.HOURS), checked, 100, 2, 95, 3, 0, 98, 0,
          List.of("a", "b", "c")));
      sendCompleteness(p, new HourCompleteness(t.minus(2, ChronoUnit.HOURS), checked, 50, 0, 40, 10, 0, 45, 1,
          List.of()));
      p.send(new ProducerRecord<>(topic("completeness"), bytes("not an hour"), bytes("{}"))); // counted, skipped
    }
    // Dead letters as the stages write them (headers), and two late activities an hour apart.
    try (KafkaProducer<byte[], byte[]> p = producer(null)) {
      // A second apart: "newest first" is by record time.
      long now = System.currentTimeMillis();
      p.send(deadLetter(now - 3000, "enrich", "not valid JSON (line 1, column 9)", "raw-activities", 3, 17));
      p.send(deadLetter(now - 2000, "enrich", "activity dated 2h ahead of the processor's clock", "raw-activities", 1, 5));
      p.send(deadLetter(now - 1000, "poller", "column duration_seconds is null", null, -1, -1));
      for (Instant at : lateArrivals) {
        p.send(new ProducerRecord<>(topic("late"), null, at.toEpochMilli(), bytes("42"), bytes("{}")));
      }
    }
    // An aborted transaction: a read_committed reader never sees it.
    try (KafkaProducer<byte[], byte[]> tx = producer(run + "-tx")) {
      tx.initTransactions();
      tx.beginTransaction();
      sendHourly(tx, speedWindow("Engineering", t, 1000));
      tx.flush();
      tx.abortTransaction();
    }

    env = new HashMap<>();
    env.put("SERVING_KAFKA_BOOTSTRAP_SERVERS", bootstrap);
    env.put("SERVING_TOPIC_HOURLY_ACTIVITY_AGGREGATIONS", topic("hourly"));
    env.put("SERVING_TOPIC_DAILY_DEVICE_AGGREGATIONS", topic("daily"));
    env.put("SERVING_TOPIC_PROCESSED_EMPLOYEES", topic("employees"));
    env.put("SERVING_TOPIC_PROCESSED_ACTIVITIES", topic("activities"));
    env.put("SERVING_TOPIC_ACTIVITY_COMPLETENESS", topic("completeness"));
    env.put("SERVING_LAKEHOUSE_PATH", hudi.lakehouse());
    env.put("SERVING_LAKEHOUSE_POLL_INTERVAL", "1s");
    env.put("SERVING_TOPIC_PIPELINE_DLQ", topic("dlq"));
    env.put("SERVING_TOPIC_LATE_ACTIVITIES", topic("late"));
    env.put("SERVING_AUTH_TOKEN", TOKEN);
    // A processor that is not there (nothing listens on port 1): its stages must show it down.
    env.put("SERVING_HEALTH_TARGETS", "processor=http://127.0.0.1:1/metrics");
    env.put("SERVING_HEALTH_SCRAPE_INTERVAL", "1s");
    env.put("SERVING_HEALTH_RATE_WINDOW", "5s");
    serving = startServing("serving", env);
    base = "http://127.0.0.1:" + env.get("SERVING_HTTP_PORT");
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

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  KafkaProducer<byte[], byte[]> producer(String transactionalId) {
    Map<String, Object> c = new HashMap<>(Map.of("bootstrap.servers", bootstrap));
    if (transactionalId != null) {
      c.put("transactional.id", transactionalId);
    }
    return new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** A dead letter as a stage writes it: the reason and where the record came from in headers. */
  ProducerRecord<byte[], byte[]> deadLetter(long at, String stage, String reason, String sourceTopic, int partition,
                                            long offset) {
    ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic("dlq"), null, at, bytes("k"), bytes("{\"value\": 1}"));
    r.headers().add("dlq.stage", bytes(stage)).add("dlq.reason", bytes(reason));
    if (sourceTopic != null) {
      r.headers().add("dlq.source.topic", bytes(sourceTopic)).add("dlq.source.partition", bytes("" + partition))
          .add("dlq.source.offset", bytes("" + offset));
    }
    return r;
  }

  void sendCompleteness(KafkaProducer<byte[], byte[]> p, HourCompleteness h) {
    p.send(new ProducerRecord<>(topic("completeness"), bytes(HourCompleteness.key(h.hour())), h.toJson()));
  }

  void sendHourly(KafkaProducer<byte[], byte[]> p, HourlyActivityAggregate a) {
    p.send(new ProducerRecord<>(topic("hourly"), bytes(a.key()), HOURLY.encode(a)));
  }

  static HourlyActivityAggregate speedWindow(String dept, Instant start, long count) {
    return new HourlyActivityAggregate(1, dept, "login", start, start.plusSeconds(3600), count, 1, count * 2, 2.0,
        start.plusSeconds(1), start.plusSeconds(2), false, Instant.now());
  }

  static HourlyActivityAggregate finalSpeedWindow(String dept, Instant start, long count) {
    return new HourlyActivityAggregate(1, dept, "login", start, start.plusSeconds(3600), count, 1, count * 2, 2.0,
        start.plusSeconds(1), start.plusSeconds(2), true, Instant.now());
  }

  static HourlyActivityAggRow row(String dept, Instant start, long count) {
    return new HourlyActivityAggRow(dept, "login", start.toEpochMilli(), count, 3, count * 10, start.toEpochMilli() + 5,
        start.toEpochMilli() + 6, 1, start.toString().substring(0, 10));
  }

  void writeHourly(HourlyActivityAggRow... rows) {
    new HudiTable(Tables.HOURLY_ACTIVITY_AGG, hudi).upsert(Tables.hourlyActivityAgg(),
        java.util.Arrays.stream(rows).map(HourlyActivityAggRow::toAvro).toList(), Map.of());
  }

  JarProcess startServing(String name, Map<String, String> environment) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    environment.put("SERVING_HTTP_PORT", Integer.toString(port));
    JarProcess p = new JarProcess(Path.of("target", "serving.jar"), List.of("-Xmx384m"), List.of("serve"), environment,
        dir.resolve(name + ".log")).start();
    String url = "http://127.0.0.1:" + port + "/ready";
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      try {
        if (http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
            .statusCode() == 200) {
          return p;
        }
      } catch (java.io.IOException e) {
        // not listening yet
      }
      if (!p.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("serving not ready in 90 s:\n" + p.logTail());
      }
      Thread.sleep(300);
    }
  }

  /** A GET with the API token (every test request but those about auth carries it). */
  HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + TOKEN);
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A GET without any Authorization header. */
  HttpResponse<String> getAnonymous(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  JsonNode json(String path) throws Exception {
    HttpResponse<String> r = get(path);
    assertEquals(200, r.statusCode(), path + " -> " + r.body());
    return Json.mapper().readTree(r.body());
  }

  String hourlyPath() {
    return "/api/v1/activity/hourly?from=" + t.minus(3, ChronoUnit.HOURS) + "&to=" + t.plus(1, ChronoUnit.HOURS);
  }

  /** "start source count" of each window, in order. */
  List<String> windows(JsonNode body) {
    List<String> out = new ArrayList<>();
    body.get("windows").forEach(w -> out.add(Instant.parse(w.get("window_start").asText()).toString() + " "
        + w.get("department").asText() + " " + w.get("source").asText() + " " + w.get("event_count").asLong()));
    return out;
  }

  JsonNode await(String path, Predicate<JsonNode> condition, String what) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = json(path);
      if (condition.test(last)) {
        return last;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(what + " did not happen in 30 s; last answer: " + last);
  }

  @Test
  @Order(1)
  void eachHourBehindTheHorizonComesFromTheLayerThatCountedMoreAndLaterOnesFromSpeed() throws Exception {
    List<String> expected = List.of(
        t.minus(3, ChronoUnit.HOURS) + " Engineering batch 30",
        t.minus(2, ChronoUnit.HOURS) + " Engineering speed 21",
        t.minus(2, ChronoUnit.HOURS) + " Sales speed 5",
        t.minus(1, ChronoUnit.HOURS) + " Engineering speed 12",
        t + " Engineering speed 4");
    JsonNode body = await(hourlyPath(), b -> windows(b).equals(expected), "the merged answer");
    assertFalse(windows(body).stream().anyMatch(w -> w.endsWith(" 1000")), "the aborted transaction's 1000 must not show");
    assertEquals(t.minus(1, ChronoUnit.HOURS).toString(), Instant.parse(body.get("horizon").asText()).toString());
    assertEquals(1, body.get("served").get("batch").asInt());
    assertEquals(4, body.get("served").get("speed").asInt());
    JsonNode first = body.get("windows").get(0);
    assertEquals(300, first.get("total_duration_seconds").asLong());
    assertEquals(10.0, first.get("avg_duration_seconds").asDouble());
    assertTrue(first.get("is_final").asBoolean());

    JsonNode filtered = json(hourlyPath() + "&department=Sales&activity_type=login");
    assertEquals(List.of(t.minus(2, ChronoUnit.HOURS) + " Sales speed 5"), windows(filtered),
        "chosen by the whole hour's events, not by the Sales windows alone (5 each)");

    String yesterday = t.minus(1, ChronoUnit.DAYS).toString().substring(0, 10);
    String today = t.toString().substring(0, 10);
    JsonNode daily = json("/api/v1/devices/daily?from=" + yesterday + "&to=" + today);
    List<String> days = new ArrayList<>();
    daily.get("windows").forEach(w -> days.add(w.get("day").asText() + " " + w.get("source").asText() + " "
        + w.get("event_count").asLong()));
    // The horizon (t - 1h) is past yesterday's midnight unless t is 00:00, when yesterday still runs to t.
    boolean yesterdayComplete = !t.minus(1, ChronoUnit.HOURS).isBefore(Instant.parse(today + "T00:00:00Z"));
    assertEquals(yesterdayComplete ? List.of(yesterday + " batch 70", today + " speed 8")
        : List.of(yesterday + " speed 55", today + " speed 8"), days);
  }

  @Test
  @Order(2)
  void aNewBatchCommitAndANewHorizonReachTheAnswersWithinAPollInterval() throws Exception {
    json(hourlyPath()); // cached now
    writeHourly(row("Engineering", t.minus(2, ChronoUnit.HOURS), 21));
    JsonNode body = await(hourlyPath(), b -> windows(b).contains(t.minus(2, ChronoUnit.HOURS) + " Engineering batch 21"),
        "the new views commit served: it caught up with the speed layer (26 each), a tie goes to batch");
    assertTrue(windows(body).contains(t.minus(2, ChronoUnit.HOURS) + " Sales batch 5"), windows(body).toString());
    assertTrue(windows(body).contains(t.minus(1, ChronoUnit.HOURS) + " Engineering speed 12"));

    new BatchHorizon(t, Instant.now(), "y").write(hudi.lakehouse(), HudiTable.hadoopConf(hudi));
    body = await(hourlyPath(), b -> windows(b).contains(t.minus(1, ChronoUnit.HOURS) + " Engineering batch 111"),
        "the hour t-1h served from batch once the horizon passed it");
    assertEquals(t.toString(), Instant.parse(body.get("horizon").asText()).toString());
    assertTrue(windows(body).contains(t + " Engineering speed 4"));
    JsonNode status = json("/api/v1/status");
    assertEquals(t.toString(), Instant.parse(status.get("horizon").asText()).toString());
    assertEquals(1, status.get("invalid_records").asLong(), "the record that is not JSON");
  }

  @Test
  @Order(3)
  void badRequestsGetJsonErrorsNamingTheParameter() throws Exception {
    Map<String, String> cases = new java.util.LinkedHashMap<>();
    cases.put("/api/v1/activity/hourly?to=" + t, "from");
    cases.put("/api/v1/activity/hourly?from=yesterday&to=" + t, "from");
    cases.put("/api/v1/activity/hourly?from=" + t + "&to=" + t.minusSeconds(1), "to");
    cases.put("/api/v1/activity/hourly?from=" + t.minus(400, ChronoUnit.DAYS) + "&to=" + t, "to");
    cases.put("/api/v1/activity/hourly?from=" + t + "&to=" + t.plusSeconds(60) + "&dept=x", "dept");
    cases.put("/api/v1/devices/daily?from=2026-12-01&to=2026-11-01", "to");
    cases.put("/api/v1/devices/daily?from=2026-12-01&to=12/02/2026", "to");
    cases.put("/api/v1/employees/abc", "id");
    cases.put("/api/v1/completeness?to=" + t, "from");
    cases.put("/api/v1/completeness?from=" + t + "&to=" + t + "&hour=1", "hour");
    cases.put("/api/v1/status?verbose=1", "verbose");
    cases.put("/api/v1/employees/42?fields=all", "fields");
    cases.put("/api/v1/employees/%D9%A4%D9%A2", "id"); // Arabic-Indic 42: Long.parseLong would take it
    cases.put("/api/v1/devices/daily?from=2026-12-01&to=%2B999999999-12-31", "to");
    cases.put("/api/v1/activity/hourly?from=-1000000000-01-01T00:00:00Z&to=" + t, "from");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      HttpResponse<String> r = get(c.getKey());
      assertEquals(400, r.statusCode(), c.getKey() + " -> " + r.body());
      JsonNode body = Json.mapper().readTree(r.body());
      assertEquals("bad_request", body.get("error").asText());
      assertEquals(c.getValue(), body.get("parameter").asText(), r.body());
      assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
    }
    HttpResponse<String> missing = get("/api/v1/employees/7");
    assertEquals(404, missing.statusCode());
    assertEquals("not_found", Json.mapper().readTree(missing.body()).get("error").asText());
    HttpResponse<String> noSuchPath = get("/api/v1/nothing");
    assertEquals(404, noSuchPath.statusCode());
    assertEquals("not_found", Json.mapper().readTree(noSuchPath.body()).get("error").asText());
  }

  @Test
  @Order(4)
  void profilesHealthMetricsOpenApiAndDashboard() throws Exception {
    JsonNode profile = await("/api/v1/employees/42", b -> b.get("recent_activity").size() == 3, "three activities");
    assertEquals("Lovelace", profile.get("employee").get("last_name").asText());
    assertEquals("B-12", profile.get("employee").get("extra_columns").get("desk").asText());
    assertEquals("act-2", profile.get("recent_activity").get(0).get("activity_id").asText(), "newest first");
    assertEquals(200, getAnonymous("/health").statusCode());
    HttpResponse<String> ready = getAnonymous("/ready");
    assertEquals(200, ready.statusCode());
    assertEquals(Map.of("status", "READY"), Json.mapper().readValue(ready.body(), Map.class),
        "/ready says ready or not, nothing more (the detail is behind the token, in /api/v1/status)");
    HttpResponse<String> status = getAnonymous("/api/v1/status");
    assertEquals(401, status.statusCode(), "the detail needs the token");
    String metrics = getAnonymous("/metrics").body(); // no metrics.token here: open
    assertTrue(metrics.contains("http_server_requests_seconds_count{"), "request timer");
    assertTrue(metrics.contains("route=\"/api/v1/activity/hourly\""), "timer tagged by route");
    assertTrue(metrics.contains("cache_gets_total{cache=\"batch_hourly_results\""), "cache metrics");
    assertTrue(metrics.contains("serving_speed_windows"), "speed view metrics");
    JsonNode completeness = await("/api/v1/completeness?from=" + t.minus(5, ChronoUnit.HOURS) + "&to=" + t,
        b -> b.get("hours").size() == 2, "the reconciliation's two hours");
    assertEquals(t.minus(3, ChronoUnit.HOURS).toString(), completeness.get("hours").get(0).get("hour").asText(),
        "oldest first; the tombstoned hour is gone");
    assertTrue(completeness.get("hours").get(0).get("complete").asBoolean(), completeness.toString());
    assertEquals(5, completeness.get("hours").get(1).get("not_in_hudi").asLong(), "50 valid, 45 in Hudi");
    assertTrue(!completeness.get("hours").get(1).get("complete").asBoolean(), completeness.toString());
    assertEquals(13, completeness.get("totals").get("repaired").asLong());
    assertEquals(150, completeness.get("totals").get("source_rows").asLong());
    assertTrue(!completeness.get("hours").get(0).has("repaired_ids"), "ids stay in the logs and the topic");

    // The search: a name part in any case, an id; the hit is the current state.
    JsonNode found = json("/api/v1/employees?q=LOVE");
    assertEquals(1, found.get("employees").size(), found.toString());
    assertEquals(42, found.get("employees").get(0).get("employee_id").asLong());
    assertEquals("Engineering", found.get("employees").get(0).get("department_name").asText());
    assertEquals(42, json("/api/v1/employees?q=42").get("employees").get(0).get("employee_id").asLong());
    assertEquals(0, json("/api/v1/employees?q=nobody-like-this").get("employees").size());
    assertEquals(400, get("/api/v1/employees").statusCode(), "q is required");
    assertEquals(400, get("/api/v1/employees?q=a&limit=51").statusCode());
    assertTrue(get("/api/v1/employees?q=a&limit=51").body().contains("\"limit\""), "names the parameter");
    assertEquals(401, getAnonymous("/api/v1/employees?q=ada").statusCode());
    assertEquals(401, getAnonymous("/api/v1/pipeline/health").statusCode());

    // The health view: dead letters per stage with the newest reason first, late activities per hour,
    // completeness of the last day, freshness, and the missing processor shown down.
    JsonNode health = await("/api/v1/pipeline/health", b -> b.get("dead_letters_total").asLong() == 3
        && b.get("late_per_hour").findValues("count").stream().mapToLong(JsonNode::asLong).sum() == 2
        && b.get("targets").get(0).get("error").asText().equals("connection refused"), "the health view filled");
    JsonNode enrich = null;
    for (JsonNode st : health.get("dead_letters")) {
      if (st.get("stage").asText().equals("enrich")) {
        enrich = st;
      }
    }
    assertEquals(2, enrich.get("count").asLong(), health.toString());
    assertEquals("activity dated 2h ahead of the processor's clock", enrich.get("latest").get(0).get("reason").asText());
    assertEquals(5, enrich.get("latest").get(0).get("source_offset").asLong());
    assertEquals("poller", health.get("dead_letters").get(0).get("stage").asText(), "newest first");
    assertFalse(health.toString().contains("\"value\""), "values of dead letters are not served");
    JsonNode late = health.get("late_per_hour");
    assertEquals(24, late.size(), "an hour per hour of health.lookback");
    for (Instant at : lateArrivals) {
      String hour = at.truncatedTo(ChronoUnit.HOURS).toString();
      assertEquals(1, late.findValues("hour").stream().filter(h -> h.asText().equals(hour)).count(), late.toString());
      for (JsonNode h : late) {
        if (h.get("hour").asText().equals(hour)) {
          assertEquals(1, h.get("count").asLong(), "one late activity in " + hour + ": " + late);
        }
      }
    }
    assertEquals(2, health.get("completeness").get("hours_checked").asInt());
    assertEquals(5, health.get("completeness").get("not_in_hudi").asLong());
    assertEquals(1, health.get("completeness").get("incomplete_hours").asInt());
    assertTrue(health.get("freshness").get("speed_age_seconds").asDouble() >= 0, health.get("freshness").toString());
    Instant horizon = Instant.parse(json("/api/v1/status").get("horizon").asText());
    assertEquals(horizon.toString(), health.get("freshness").get("batch_horizon").asText());
    for (JsonNode stage : health.get("stages")) {
      String expected = stage.get("process").asText().equals("processor") ? "down" : "not_watched";
      assertEquals(expected, stage.get("state").asText(), stage.toString());
      if (!stage.get("id").asText().equals("batch-views")) {
        assertTrue(stage.get("rate_per_second").isNull(), "no rate without the process's metrics: " + stage);
      }
    }
    JsonNode batchViews = health.get("stages").get(4);
    assertEquals("batch-views", batchViews.get("id").asText());
    // The horizon's age from serving's own gauge, as of its last read (every second here).
    double age = Duration.between(horizon, Instant.parse(health.get("generated_at").asText())).toMillis() / 1000.0;
    assertTrue(batchViews.get("lag_seconds").asDouble() <= age && batchViews.get("lag_seconds").asDouble() > age - 5,
        "the horizon's age (" + age + " s), from serving itself: " + batchViews);
    assertEquals(2, health.get("stages").get(1).get("dead_letters").asLong(), "enrich's two dead letters on its stage");
    assertFalse(health.toString().contains("127.0.0.1"), "no addresses served");
    assertTrue(get("/metrics").body().lines().anyMatch(l -> l.startsWith("serving_completeness_hours")
        && l.endsWith(" 2.0")), "hours held");
    HttpResponse<String> openapi = get("/api/v1/openapi.yaml");
    assertEquals(200, openapi.statusCode());
    for (String path : List.of("/api/v1/activity/hourly:", "/api/v1/devices/daily:", "/api/v1/employees/{id}:",
        "/api/v1/employees:", "/api/v1/pipeline/health:", "/api/v1/status:", "/api/v1/completeness:", "/health:", "/ready:", "/metrics:")) {
      assertTrue(openapi.body().contains(path), "OpenAPI documents " + path);
    }
    HttpResponse<String> page = getAnonymous("/");
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("/webjars/echarts/"), "the chart library comes from the webjar");
    assertTrue(page.body().contains("id=\"login-form\""), "the sign-in form");
    assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").startsWith("default-src 'self'"),
        page.headers().toString());
    assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElse(""));
    assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
    assertEquals("no-referrer", page.headers().firstValue("Referrer-Policy").orElse(""));
    HttpResponse<String> api = get(hourlyPath());
    assertEquals("no-store", api.headers().firstValue("Cache-Control").orElse(""), "API answers are not cached");
    assertEquals("nosniff", api.headers().firstValue("X-Content-Type-Options").orElse(""));
    JsonNode auth = Json.mapper().readTree(getAnonymous("/api/v1/auth").body());
    assertTrue(auth.get("token_required").asBoolean(), "open, so the dashboard knows to ask: " + auth);
    assertEquals(200, get("/webjars/echarts/5.3.1/dist/echarts.min.js").statusCode());
  }


  @Test
  @Order(5)
  void theDashboardChartsBothLayersInARealBrowserWithoutConsoleErrors() throws Exception {
    ChromeDriver browser = Chromium.start(dir.resolve("chromium-profile"));
    try {
      browser.get(base + "/");
      assertEquals("Activity pipeline", browser.getTitle());
      JavascriptExecutor js = browser;
      // The API needs the token: the sign-in form comes up before any data request is made.
      awaitBrowser(js, "return window.dashboard && window.dashboard.needsLogin === true", "the sign-in form shown");
      assertTrue(browser.findElement(By.id("login")).isDisplayed());
      assertEquals(0L, js.executeScript("return window.dashboard.refreshes"), "no data request before signing in");
      // A wrong token is refused and the form comes back, saying so.
      browser.findElement(By.id("token")).sendKeys("not-the-token-0123456789");
      browser.findElement(By.id("login-submit")).click();
      awaitBrowser(js, "return window.dashboard.needsLogin === true"
          + " && document.getElementById('login-error').textContent.includes('not accepted')", "the wrong token refused");
      assertEquals(null, js.executeScript("return sessionStorage.getItem('activityPipelineToken')"),
          "a refused token is not kept");
      List<String> refused = Chromium.severeConsoleMessages(browser); // read, and so cleared, here
      assertTrue(refused.stream().allMatch(m -> m.contains("status of 401")), "only the refused requests: " + refused);
      browser.findElement(By.id("token")).sendKeys(TOKEN);
      browser.findElement(By.id("login-submit")).click();
      assertFalse(browser.findElement(By.id("login")).isDisplayed(), "the form goes away");
      assertEquals(TOKEN, js.executeScript("return sessionStorage.getItem('activityPipelineToken')"),
          "kept for this tab only");
      assertEquals(null, js.executeScript("return localStorage.getItem('activityPipelineToken')"));
      assertFalse(browser.getCurrentUrl().contains(TOKEN), "never in the URL: " + browser.getCurrentUrl());
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!Boolean.TRUE.equals(js.executeScript("return window.dashboard && window.dashboard.refreshes > 0"
          + " && window.dashboard.hourlyWindows > 0 && window.dashboard.dailyWindows > 0"
          + " && window.dashboard.completenessHours > 0"))) {
        assertTrue(System.nanoTime() < deadline, "the charts got no data in 30 s: "
            + js.executeScript("return JSON.stringify(window.dashboard)"));
        Thread.sleep(250);
      }
      assertEquals(null, js.executeScript("return window.dashboard.error"));
      // What the charts hold, read back from ECharts: both layers drawn, the horizon marked.
      long hourlyPoints = (Long) js.executeScript("return echarts.getInstanceByDom(document.getElementById('hourly'))"
          + ".getOption().series.reduce((n, s) => n + s.data.filter(d => d != null).length, 0)");
      assertEquals(5L, hourlyPoints, "one bar per department and hour: Engineering t-3h..t, Sales t-2h");
      assertEquals(4L, js.executeScript("return window.dashboard.hourlyServed.batch"));
      assertEquals(1L, js.executeScript("return window.dashboard.hourlyServed.speed"));
      assertEquals(t.toString(), Instant.parse((String) js.executeScript("return window.dashboard.hourlyFirstSpeed"))
          .toString(), "the speed layer's side starts at the horizon");
      assertEquals(Boolean.TRUE, js.executeScript("const o = echarts.getInstanceByDom(document.getElementById('hourly'))"
          + ".getOption(); const b = o.series.find(s => s.name === 'boundary'); return b.markLine.data[0].xAxis"
          + " === o.xAxis[0].data.indexOf(window.dashboard.hourlyFirstSpeed)"),
          "the horizon line is drawn in the gap before that hour");
      long dailyBars = (Long) js.executeScript("return echarts.getInstanceByDom(document.getElementById('daily'))"
          + ".getOption().series.reduce((n, s) => n + s.data.filter(d => d != null).length, 0)");
      assertEquals(2L, dailyBars, "yesterday (batch) and today (speed)");
      assertEquals(2L, js.executeScript("return window.dashboard.completenessHours"));
      assertEquals(1L, js.executeScript("return window.dashboard.incompleteHours"), "t-2h lacks 5 rows in Hudi");
      List<org.openqa.selenium.WebElement> rows = browser.findElements(By.cssSelector("#completeness tbody tr"));
      assertEquals(2, rows.size());
      assertEquals("gap", rows.get(0).getAttribute("class"), "newest first, the incomplete hour marked");
      assertTrue(browser.findElement(By.id("completeness-totals")).getText().contains("13 repaired"));
      String status = browser.findElement(By.id("status")).getText();
      assertTrue(status.contains("batch horizon " + t), status);
      // The health panel: every stage drawn, the missing processor's stages marked down, the dead letters
      // with their newest reasons, the late activities.
      awaitBrowser(js, "return window.dashboard.deadLetters === 3 && window.dashboard.lateActivities === 2",
          "the dead letters and late activities drawn");
      assertEquals(8L, js.executeScript("return window.dashboard.healthStages"));
      assertEquals(3, browser.findElements(By.cssSelector("#stages-activities .stage.down, #stages-employees .stage.down"))
          .size(), "enrich, window and employees run in the processor, which is down");
      List<org.openqa.selenium.WebElement> letters = browser.findElements(By.cssSelector("#dead-letters tbody tr"));
      assertEquals(2, letters.size(), "one row per stage");
      assertTrue(letters.get(1).getText().contains("activity dated 2h ahead of the processor's clock"),
          letters.get(1).getText());
      assertTrue(browser.findElement(By.id("health-targets")).getText().contains("processor (DOWN: connection refused)"));
      // The employee search opens a profile: current state and recent activity.
      browser.findElement(By.id("employee-q")).sendKeys("love");
      browser.findElement(By.id("employee-search-submit")).click();
      awaitBrowser(js, "return window.dashboard.searchHits === 1", "one hit for 'love'");
      browser.findElement(By.cssSelector("#employee-results button")).click();
      awaitBrowser(js, "return window.dashboard.profileId === 42", "the profile opened");
      assertEquals("Ada Lovelace (#42)", browser.findElement(By.id("profile-name")).getText());
      assertEquals(3, browser.findElements(By.cssSelector("#profile-activity tbody tr")).size());
      assertTrue(browser.findElement(By.id("profile-fields")).getText().contains("75000-100000"), "the salary band");
      js.executeScript("document.getElementById('hourly').parentElement.scrollIntoView()"); // below the health panel
      Path shot = Path.of("target", "dashboard.png");
      java.nio.file.Files.write(shot, browser.getScreenshotAs(OutputType.BYTES));
      assertTrue(java.nio.file.Files.size(shot) > 10_000, "a screenshot with charts in it");
      js.executeScript("document.getElementById('completeness').scrollIntoView()");
      Path table = Path.of("target", "dashboard-completeness.png");
      java.nio.file.Files.write(table, browser.getScreenshotAs(OutputType.BYTES));
      assertEquals(List.of(), Chromium.severeConsoleMessages(browser), "no console errors");
    } finally {
      browser.quit();
    }
  }

  void awaitBrowser(JavascriptExecutor js, String condition, String what) throws InterruptedException {
    Chromium.awaitDashboard(js, condition, what, Duration.ofSeconds(30));
  }

  @Test
  @Order(6)
  void withATokenTheApiNeedsIt() throws Exception {
    Map<String, String> secured = new HashMap<>(env);
    secured.put("SERVING_AUTH_TOKEN", "it-token-0123456789abcdef");
    secured.put("SERVING_METRICS_TOKEN", "it-metrics-token-0123456789");
    try (JarProcess p = startServing("serving-auth", secured)) {
      String url = "http://127.0.0.1:" + secured.get("SERVING_HTTP_PORT");
      HttpResponse<String> none = http.send(HttpRequest.newBuilder(URI.create(url + hourlyPath())).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(401, none.statusCode());
      assertEquals("unauthorized", Json.mapper().readTree(none.body()).get("error").asText());
      assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(""));
      HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(url + hourlyPath()))
          .header("Authorization", "Bearer nope").build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(401, wrong.statusCode());
      HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(url + hourlyPath()))
          .header("Authorization", "Bearer it-token-0123456789abcdef").build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ok.statusCode(), ok.body());
      for (String scheme : List.of("bearer", "BEARER")) {
        HttpResponse<String> anyCase = http.send(HttpRequest.newBuilder(URI.create(url + hourlyPath()))
            .header("Authorization", scheme + " it-token-0123456789abcdef").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, anyCase.statusCode(), scheme + ": the scheme is case-insensitive");
      }
      HttpResponse<String> lowerWrong = http.send(HttpRequest.newBuilder(URI.create(url + hourlyPath()))
          .header("Authorization", "bearer it-token-0123456789ABCDEF").build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(401, lowerWrong.statusCode(), "the token itself is not");
      // /metrics: its own token, not the API's.
      HttpResponse<String> metricsOpen = http.send(HttpRequest.newBuilder(URI.create(url + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(401, metricsOpen.statusCode());
      assertEquals("unauthorized", Json.mapper().readTree(metricsOpen.body()).get("error").asText());
      HttpResponse<String> metricsApiToken = http.send(HttpRequest.newBuilder(URI.create(url + "/metrics"))
          .header("Authorization", "Bearer it-token-0123456789abcdef").build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(401, metricsApiToken.statusCode(), "the API token does not open /metrics");
      HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(url + "/metrics"))
          .header("Authorization", "Bearer it-metrics-token-0123456789").build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, metrics.statusCode());
      assertTrue(metrics.body().contains("http_server_requests_seconds_count{"), "the metrics behind the token");
      assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/openapi.yaml")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode());
      assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(url + "/health")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode());
      p.stopCleanly("serving");
    }
  }

  @Test
  @Order(7)
  void whileHdfsIsDownUncachedBatchReadsAre503AndReadinessFails(LocalStack stack) throws Exception {
    String older = "/api/v1/activity/hourly?from=" + t.minus(20, ChronoUnit.DAYS) + "&to=" + t.minus(19, ChronoUnit.DAYS);
    stack.server(ServerKind.HDFS).kill();
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      HttpResponse<String> ready = get("/ready");
      while (ready.statusCode() == 200 && System.nanoTime() < deadline) {
        Thread.sleep(500);
        ready = get("/ready");
      }
      assertEquals(503, ready.statusCode(), "not ready while the lakehouse is unreachable");
      assertEquals(Map.of("status", "NOT_READY"), Json.mapper().readValue(ready.body(), Map.class),
          "no detail, no exception text on the open endpoint");
      HttpResponse<String> r = get(older);
      assertEquals(503, r.statusCode(), r.body());
      assertEquals("unavailable", Json.mapper().readTree(r.body()).get("error").asText());
      assertTrue(!r.body().contains("at org."), "no stack trace: " + r.body());
      String namenode = URI.create(hudi.lakehouse()).getAuthority();
      assertFalse(r.body().contains(namenode) || r.body().contains("Exception"), "no host, no exception text: " + r.body());
      JsonNode status = json("/api/v1/status");
      assertEquals("lakehouse_unreachable", status.get("lakehouse_error").asText(), status.toString());
      assertFalse(status.toString().contains(namenode), "a code, not the exception text: " + status);
    } finally {
      stack.server(ServerKind.HDFS).start();
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (get("/ready").statusCode() != 200) {
      assertTrue(System.nanoTime() < deadline, "ready again after HDFS came back:\n" + serving.logTail());
      Thread.sleep(500);
    }
    assertEquals(200, get(older).statusCode());
  }

  @Test
  @Order(8)
  void sigtermStopsCleanly() throws Exception {
    serving.stopCleanly("serving");
  }
}
