package org.activitypipeline.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.activitypipeline.common.json.Json;
import org.activitypipeline.generators.activities.ActivityGenerator;
import org.activitypipeline.lakehouse.Tables;
import org.activitypipeline.lakehouse.hudi.HudiSettings;
import org.activitypipeline.lakehouse.hudi.HudiTable;
import org.activitypipeline.localstack.LocalStack;
import org.activitypipeline.localstack.ServerKind;
import org.activitypipeline.localstack.junit.WithLocalStack;
import org.activitypipeline.localstack.testing.JarProcess;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline on the local stack for a few minutes of generated data: both generators, the
 * cdc, poller and processor, a batch-layer scheduler node and the serving layer, each the fat JAR
 * an operator runs. Then, for every window, the serving API's answer equals a reference computed
 * directly from PostgreSQL and Cassandra; windows come from both the batch views and the speed
 * layer; the batch horizon advanced during the run; the Hudi employees table equals PostgreSQL row
 * by row; and every process stops cleanly on SIGTERM.
 *
 * <p>The test drives event time ({@link SteppedEventClock}): activities of one past hour at a time
 * (within the hour, 60 times faster than real time), moving to the next hour only once the batch
 * horizon has reached the current one, so hourly windows close and the horizon must move hour by hour
 * while activities are still being written, however slow the machine.
 *
 * <p>Then, on the running pipeline and while both generators run with their defaults (moves, hires,
 * deletes; late and out-of-order uploads), the hard cases ({@link #hardCases}): an employee moves with an
 * activity from before the move uploaded after it, another is deleted with an activity in flight, one
 * is hired and acts at once, a department is renamed, activities arrive for an employee who never
 * existed, a burst three hours late, rows from a writer whose clock is behind, the same row twice,
 * activities either side of UTC midnight and one dated two hours ahead, and the processor is killed
 * with {@code kill -9} and restarted in the middle. Activities dated after a change are written right
 * after its commit. Once the generators stop, every served window must again equal the reference, and
 * no served window's count may go down meanwhile.
 *
 * <p>The reference takes departments as of each event time from PostgreSQL's own history (triggers
 * the test installs before anything is written, commit times from {@code track_commit_timestamp}).
 */
@WithLocalStack({ServerKind.POSTGRES, ServerKind.KAFKA, ServerKind.CASSANDRA, ServerKind.HDFS})
@org.junit.jupiter.api.Order(1) // first: its reference is computed from sources it sees being written from the start
class EndToEndIT {
  /** Event hours written, one after another; the horizon must become each of them in turn. */
  static final int HOURS = 4;
  /** Real time each event hour is written for at least (80 activities a second). */
  static final Duration MIN_HOUR = Duration.ofSeconds(20);
  final HttpClient http = HttpClient.newHttpClient();
  final Path dir = Path.of("target", "e2e").toAbsolutePath();

  @Test
  void servedWindowsEqualTheSourcesAcrossBothLayers(LocalStack stack) throws Exception {
    try (Pipeline pipeline = new Pipeline(dir, stack.connectionProperties())) {
      SourceHistory.install(pipeline.postgresJdbc(), pipeline.postgresSuperuser());
      JarProcess employees = pipeline.generator("generator-employees", "employees", "--employees", "300",
          "--departments", "8", "--rate", "10", "--kinds", "raise,promotion,status_change,hire", "--seed", "7");
      pipeline.cdc();
      pipeline.processor();
      pipeline.serving();
      pipeline.batchLayer();
      pipeline.poller();
      String base = "http://127.0.0.1:" + pipeline.servingPort;

      // Activities start once the speed layer knows every seeded employee (else they would wait, then go out as unknown).
      await(Duration.ofMinutes(3), "the speed layer knows the seeded employees", pipeline, () -> {
        JsonNode status = get(base + "/api/v1/status");
        return status != null && status.get("employees").asInt() >= 300;
      });
      // PII planted in PostgreSQL while everything runs: searched for in every output at the end.
      PlantedPersonalData planted = PlantedPersonalData.plant(pipeline.postgresJdbc());
      await(Duration.ofMinutes(2), "the planted employee is served with a salary band", pipeline,
          () -> planted.profile(base) != null);
      // Event time is the test's: hour H0 until the batch horizon has reached H0 while activities of
      // H0 keep flowing, then H1, and so on. The horizon must therefore move hour by hour during
      // generation, however slow the machine; past hours keep every event time before its write time.
      SteppedEventClock clock = new SteppedEventClock(Instant.now().minus(HOURS, ChronoUnit.HOURS), 60);
      List<Instant> expectedHorizons = new ArrayList<>();
      List<Instant> horizons = new ArrayList<>();
      List<Long> writtenPerHour = new ArrayList<>();
      List<Long> ids = ActivityGenerator.activeEmployeeIds(pipeline.postgresJdbc(), "pipeline", "pipeline");
      List<String> distances = new ArrayList<>();
      long[] nextSample = {System.nanoTime()};
      try (ActivityFeed activities = ActivityFeed.start(pipeline.cassandra(), ids, clock, 80, 11)) {
        // While both generators write: the dashboard's health panel, with a dead letter of its own making.
        HealthPanel.check(pipeline, base, dir, ids.get(0), this::get);
        for (int k = 0; k < HOURS; k++) {
          Instant hour = clock.hour();
          expectedHorizons.add(hour);
          long phaseStart = System.nanoTime();
          await(Duration.ofMinutes(3), "the horizon reaches " + hour + " while its activities flow", pipeline, () -> {
            activities.written(); // fails the test at once if the feed failed
            JsonNode status = get(base + "/api/v1/status");
            if (status != null && !status.get("horizon").isNull()) {
              Instant h = Instant.parse(status.get("horizon").asText());
              if (activities.isRunning() && (horizons.isEmpty() || !horizons.get(horizons.size() - 1).equals(h))) {
                horizons.add(h);
              }
            }
            if (System.nanoTime() >= nextSample[0]) {
              nextSample[0] = System.nanoTime() + Duration.ofSeconds(15).toNanos();
              distances.add(distanceFromReference(pipeline, base));
            }
            return activities.isRunning() && horizons.contains(hour)
                && System.nanoTime() - phaseStart >= MIN_HOUR.toNanos();
          });
          writtenPerHour.add(activities.written());
          if (k < HOURS - 1) {
            clock.nextHour();
          }
        }
        writtenPerHour.add(activities.stop());
      }
      System.out.printf("e2e: event hours %s, horizons seen while writing %s, rows written by the end of each hour %s%n",
          expectedHorizons, horizons, writtenPerHour);
      // Reported, not asserted: while rows are written the served answer trails the sources by the
      // pipeline's latency (poll lag, commits, views runs); bench freshness measures that latency.
      System.out.printf("e2e: served windows' distance from the sources while writing, every 15 s: %s%n", distances);
      // Seen while the feed ran, in order: each hour became the horizon, none was skipped or went back.
      assertEquals(expectedHorizons, horizons.stream().filter(h -> !h.isBefore(expectedHorizons.get(0))).toList(),
          "the horizon advanced hour by hour while activities were written: " + horizons);
      assertEquals(horizons.stream().sorted().distinct().toList(), horizons, "the horizon never went back: " + horizons);
      for (int k = 1; k < writtenPerHour.size(); k++) {
        assertTrue(writtenPerHour.get(k) > writtenPerHour.get(k - 1), "activities kept flowing: " + writtenPerHour);
      }
      int exit = employees.stop(30);
      assertTrue((exit == 0 || exit == 143) && employees.logText().contains("employees: done,"),
          "the employee generator stops cleanly on SIGTERM (exit " + exit + "):\n" + employees.logTail());

      Reference ref = Reference.compute(SourceHistory.load(pipeline.postgresJdbc(), pipeline.postgresSuperuser()),
          pipeline.cassandra());
      assertTrue(ref.activities > 5_000, "activities generated: " + ref.activities);
      JsonNode[] answers = awaitReference(pipeline, base, ref, "the served windows equal the reference", h -> { });

      Instant horizon = Instant.parse(answers[0].get("horizon").asText());
      assertEquals(ref.maxEvent.truncatedTo(ChronoUnit.HOURS), horizon, "views-horizon-lag 0: the newest event's hour");
      assertSourcesFollowTheHorizon(answers[0], horizon);
      assertTrue(answers[0].get("served").get("batch").asInt() > 0, "windows from the batch views: " + answers[0].get("served"));
      assertTrue(answers[0].get("served").get("speed").asInt() > 0, "windows from the speed layer: " + answers[0].get("served"));
      assertTrue(answers[1].get("served").get("speed").asInt() > 0, "today's devices from the speed layer");
      assertEquals(expectedHorizons.get(HOURS - 1), horizon, "the last hour written is the horizon");

      System.out.printf("e2e: %d activities, %d hourly and %d daily windows equal the reference; hourly served %s,"
          + " daily served %s; horizons seen %s%n", ref.activities, ref.hourly.size(), ref.daily.size(),
          answers[0].get("served"), answers[1].get("served"), horizons);

      assertEmployeesTableEqualsPostgres(pipeline);

      hardCases(pipeline, base, ref.activities);

      planted.assertNowhere(pipeline, base, dir);
      ExportedMetrics.assertEveryNamedMetricIsExported(pipeline);

      for (String name : List.of("poller", "batch-layer", "serving", "processor", "cdc")) {
        pipeline.process(name).stopCleanly(name);
      }
    }
  }

  /**
   * Phase two: the source changes and inputs the contract must survive, on the running pipeline, while
   * both generators run with their defaults (the employee generator moves, hires and deletes; the
   * activity generator follows the roster and uploads 5 % late and 10 % out of order). Changes first,
   * each its own transaction; then at once, with no wait for the pipeline to show them (the enricher
   * waits for the CDC stream instead), the activities around them, with the processor killed
   * ({@code kill -9}) half way and restarted. Then the generators stop and the pipeline must settle on
   * the sources.
   */
  void hardCases(Pipeline pipeline, String base, long activitiesBefore) throws Exception {
    JarProcess employeeChanges = pipeline.generator("generator-employees-2", "employees", "--employees", "300",
        "--departments", "8", "--rate", "5", "--seed", "8");
    JarProcess activityRows = pipeline.generator("generator-activities", "activities", "--contact-point",
        pipeline.cassandra(), "--rate", "80", "--seed", "12");
    // Served counts are watched from here on: while nothing deletes activities, no window's count may go
    // down, generators running or not, across the processor's restart and the horizon's moves.
    Map<String, Long> servedCounts = new TreeMap<>();
    List<String> wentDown = new ArrayList<>();
    java.util.function.Consumer<Map<String, String>> watch = hourly -> hourly.forEach((k, v) -> {
      long count = Long.parseLong(v.substring(0, v.indexOf('/')));
      Long previous = servedCounts.put(k, count);
      if (previous != null && count < previous) {
        wentDown.add(k + ": " + previous + " -> " + count);
      }
    });
    Instant watchFrom = Instant.now().minus(8, ChronoUnit.HOURS).truncatedTo(ChronoUnit.HOURS);
    watchServed(base, watchFrom, Duration.ofSeconds(15), watch); // both generators at work first
    long mover;
    long leaver;
    long member;
    long renamed;
    long moveTo;
    long hired;
    Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    try (Connection c = DriverManager.getConnection(pipeline.postgresJdbc(), "pipeline", "pipeline");
         Statement st = c.createStatement()) {
      List<long[]> active = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("SELECT employee_id, department_id FROM employees WHERE status = 'active'"
          + " AND department_id IS NOT NULL ORDER BY employee_id")) {
        while (rs.next()) {
          active.add(new long[] {rs.getLong(1), rs.getLong(2)});
        }
      }
      member = active.get(0)[0];
      renamed = active.get(0)[1];
      long[] m = active.stream().filter(e -> e[1] != renamed).findFirst().orElseThrow();
      mover = m[0];
      moveTo = active.stream().mapToLong(e -> e[1]).filter(d -> d != m[1] && d != renamed).findFirst().orElseThrow();
      leaver = active.stream().filter(e -> e[0] != mover && e[0] != member).findFirst().orElseThrow()[0];
      st.executeUpdate("UPDATE employees SET department_id = " + moveTo + ", updated_at = now() WHERE employee_id = "
          + mover);
      st.executeUpdate("DELETE FROM employees WHERE employee_id = " + leaver);
      st.executeUpdate("UPDATE departments SET name = name || ' (renamed)', updated_at = now() WHERE department_id = "
          + renamed);
      try (ResultSet rs = st.executeQuery("INSERT INTO employees (first_name, last_name, email, department_id,"
          + " job_title, location, hire_date, salary) VALUES ('Hedy', 'Lamarr', 'hedy.e2e@example.com', " + moveTo
          + ", 'Engineer', 'Vienna', current_date, 90000) RETURNING employee_id")) {
        rs.next();
        hired = rs.getLong(1);
      }
    }

    Instant now = Instant.now();
    Instant midnight = now.truncatedTo(ChronoUnit.DAYS);
    List<ActivityRows.Row> first = new ArrayList<>();
    first.add(ActivityRows.row(mover, before.minusSeconds(30), "email", "laptop")); // before the move, uploaded after
    first.add(ActivityRows.row(mover, now, "email", "laptop"));                      // after the move
    first.add(ActivityRows.row(leaver, before.minusSeconds(20), "meeting", "mobile")); // in flight at the delete
    first.add(ActivityRows.row(hired, now, "login", "laptop"));                      // hired and active at once
    first.add(ActivityRows.row(member, before.minusSeconds(10), "login", "desktop")); // the department's old name
    first.add(ActivityRows.row(member, now, "logout", "desktop"));                   // its new name
    for (int i = 0; i < 3; i++) {
      first.add(ActivityRows.row(9_999_999L, now.minusSeconds(i), "login", "tablet")); // never existed
    }
    first.add(ActivityRows.row(member, midnight.minusMillis(100), "login", "laptop")); // either side of midnight
    first.add(ActivityRows.row(member, midnight.plusMillis(100), "logout", "laptop"));
    first.add(ActivityRows.row(member, now.plus(2, ChronoUnit.HOURS), "login", "laptop")); // dated ahead: invalid
    List<ActivityRows.Row> late = new ArrayList<>();
    for (int i = 0; i < 40; i++) { // a burst three hours late
      late.add(ActivityRows.row(i % 2 == 0 ? member : mover, now.minus(3, ChronoUnit.HOURS).plusSeconds(10L * i),
          "file_access", "desktop"));
    }
    try (ActivityRows rows = ActivityRows.connect(pipeline.cassandra())) {
      ActivityRows.Row twice = ActivityRows.row(member, now.minusSeconds(5), "email", "mobile");
      rows.write(first);
      rows.write(List.of(twice, twice)); // the same row twice: one activity
      rows.writeBehind(List.of(ActivityRows.row(mover, null, "login", "laptop"),
          ActivityRows.row(member, null, "login", "laptop")), Duration.ofSeconds(5)); // a writer's clock 5 s behind
      // A writer's clock 90 minutes behind: its rows land in an ingest hour the poller has long passed.
      // Only the reconciliation finds them, and sends them through the speed layer into both layers.
      rows.writeBehind(List.of(ActivityRows.row(member, null, "meeting", "desktop"),
          ActivityRows.row(mover, null, "meeting", "desktop"), ActivityRows.row(9_999_999L, null, "meeting",
          "desktop")), Duration.ofMinutes(90));
      JarProcess processor = pipeline.process("processor");
      processor.kill(); // kill -9 with the first rows in flight
      rows.write(late);
      processor.start();
    }
    watchServed(base, watchFrom, Duration.ofSeconds(20), watch); // the generators go on through the restart
    for (JarProcess generator : List.of(employeeChanges, activityRows)) {
      int exit = generator.stop(30);
      assertTrue(exit == 0 || exit == 143, "a generator stops cleanly on SIGTERM (exit " + exit + "):\n"
          + generator.logTail());
    }

    SourceHistory history = SourceHistory.load(pipeline.postgresJdbc(), pipeline.postgresSuperuser());
    Reference ref = Reference.compute(history, pipeline.cassandra());
    assertEquals(1, ref.futureDated, "the activity dated two hours ahead is invalid and counted nowhere");
    JsonNode[] answers = awaitReference(pipeline, base, ref, "after the hard cases, the served windows equal the"
        + " reference", watch);
    assertEquals(List.of(), wentDown, "no served window's count went down while nothing was deleted (" + servedCounts.size()
        + " windows watched from the generators' start to quiescence)");
    String hourly = String.join("\n", hourlyOf(answers[0]).keySet());
    String renamedName = currentDepartmentName(pipeline, renamed);
    assertTrue(renamedName.endsWith(" (renamed)") && hourly.contains(renamedName + "|"),
        "the renamed department's new name counts the activities after the rename: " + renamedName);
    long written = ref.activities - activitiesBefore - first.size() - late.size() - 3 - 3;
    assertTrue(written > 1_000, "the activity generator wrote during the hard cases (80 a second for 35 s): " + written);
    assertTrue(hourly.contains("unknown|login|"), "the never-existing employee counts under unknown");
    assertSourcesFollowTheHorizon(answers[0], Instant.parse(answers[0].get("horizon").asText()));
    JsonNode completeness = get(base + "/api/v1/completeness?from=" + Instant.now().minus(6, ChronoUnit.HOURS)
        .truncatedTo(ChronoUnit.HOURS) + "&to=" + Instant.now());
    assertTrue(completeness != null && completeness.get("totals").get("repaired").asLong() >= 3,
        "the reconciliation repaired the three rows written 90 minutes behind: " + completeness);
    try (ActivityRows rows = ActivityRows.connect(pipeline.cassandra())) {
      for (JsonNode h : completeness.get("hours")) {
        assertEquals(rows.countIngestHour(Instant.parse(h.get("hour").asText())), h.get("source_rows").asLong(),
            "the hour's rows counted straight from Cassandra: " + h);
        assertEquals(0, h.get("unrepaired").asLong(), "nothing is missing from Kafka: " + h);
        assertEquals(h.get("source_rows").asLong(), h.get("in_kafka").asLong() + h.get("repaired").asLong(),
            "every row was sent by the poller or repaired, once: " + h);
      }
    }
    System.out.printf("e2e: completeness of the last hours: %s%n", completeness.get("totals"));
    System.out.printf("e2e hard cases: %d activities, %d hourly and %d daily windows equal the reference (%d employee"
        + " versions in PostgreSQL's history); hourly served %s%n", ref.activities, ref.hourly.size(), ref.daily.size(),
        history.employeeVersions(), answers[0].get("served"));
  }

  /** Reads the served hourly windows from {@code from} on every 2 s for {@code period}, handing each answer to {@code watch}. */
  private void watchServed(String base, Instant from, Duration period,
                           java.util.function.Consumer<Map<String, String>> watch) throws InterruptedException {
    long end = System.nanoTime() + period.toNanos();
    while (System.nanoTime() < end) {
      JsonNode answer = get(base + "/api/v1/activity/hourly?from=" + from + "&to="
          + Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.HOURS));
      if (answer != null) {
        watch.accept(hourlyOf(answer));
      }
      Thread.sleep(2_000);
    }
  }

  private static String currentDepartmentName(Pipeline pipeline, long department) throws Exception {
    try (Connection c = DriverManager.getConnection(pipeline.postgresJdbc(), "pipeline", "pipeline");
         Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT name FROM departments WHERE department_id = " + department)) {
      assertTrue(rs.next(), "department " + department);
      return rs.getString(1);
    }
  }

  /**
   * How far the served hourly windows are from a reference computed from the sources at this moment:
   * windows that differ, and events the served answer lacks (or has extra), over the sources' range.
   */
  String distanceFromReference(Pipeline pipeline, String base) throws Exception {
    Reference ref = Reference.compute(SourceHistory.load(pipeline.postgresJdbc(), pipeline.postgresSuperuser()),
        pipeline.cassandra());
    if (ref.activities == 0) {
      return "no rows yet";
    }
    JsonNode answer = get(base + "/api/v1/activity/hourly?from=" + ref.minEvent.truncatedTo(ChronoUnit.HOURS)
        + "&to=" + ref.maxEvent.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS));
    if (answer == null) {
      return "no answer";
    }
    Map<String, String> served = hourlyOf(answer);
    java.util.Set<String> keys = new java.util.TreeSet<>(ref.hourly.keySet());
    keys.addAll(served.keySet());
    long differ = 0;
    long events = 0;
    for (String k : keys) {
      String e = ref.hourly.get(k);
      String a = served.get(k);
      if (!java.util.Objects.equals(e, a)) {
        differ++;
        events += Math.abs(count(e) - count(a));
      }
    }
    return differ + "/" + keys.size() + " windows, " + events + " events";
  }

  private static long count(String value) {
    return value == null ? 0 : Long.parseLong(value.substring(0, value.indexOf('/')));
  }

  /**
   * Waits until the served hourly and daily windows over the reference's range equal it and every
   * period behind the horizon is the batch views' again (the batch layer caught up: "one batch cycle
   * later"); {@code onHourly} sees every hourly answer meanwhile. Returns the last hourly and daily answers.
   */
  JsonNode[] awaitReference(Pipeline pipeline, String base, Reference ref, String what,
                            java.util.function.Consumer<Map<String, String>> onHourly) throws Exception {
    String hourlyPath = base + "/api/v1/activity/hourly?from=" + ref.minEvent.truncatedTo(ChronoUnit.HOURS)
        + "&to=" + ref.maxEvent.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
    String dailyPath = base + "/api/v1/devices/daily?from=" + ref.minEvent.toString().substring(0, 10)
        + "&to=" + ref.maxEvent.toString().substring(0, 10);
    String[] lastDiff = {""};
    JsonNode[] answers = new JsonNode[2];
    await(Duration.ofMinutes(4), what, pipeline, () -> {
      answers[0] = get(hourlyPath);
      answers[1] = get(dailyPath);
      if (answers[0] == null || answers[1] == null) {
        return false;
      }
      Map<String, String> hourly = hourlyOf(answers[0]);
      onHourly.accept(hourly);
      lastDiff[0] = Reference.diff(ref.hourly, hourly, 15) + Reference.diff(ref.daily, dailyOf(answers[1]), 15)
          + batchLagging(answers[0]);
      return lastDiff[0].isEmpty();
    }, () -> lastDiff[0]);
    return answers;
  }

  static Map<String, String> hourlyOf(JsonNode body) {
    Map<String, String> out = new TreeMap<>();
    body.get("windows").forEach(w -> out.put(w.get("department").asText() + "|" + w.get("activity_type").asText() + "|"
        + Instant.parse(w.get("window_start").asText()), Reference.hourlyValue(w.get("event_count").asLong(),
        w.get("unique_employees").asLong(), w.get("total_duration_seconds").asLong(),
        Instant.parse(w.get("first_event_time").asText()), Instant.parse(w.get("last_event_time").asText()))));
    return out;
  }

  static Map<String, String> dailyOf(JsonNode body) {
    Map<String, String> out = new TreeMap<>();
    body.get("windows").forEach(w -> {
      Map<String, Long> byType = new TreeMap<>();
      w.get("counts_by_activity_type").fields().forEachRemaining(e -> byType.put(e.getKey(), e.getValue().asLong()));
      out.put(w.get("device_type").asText() + "|" + w.get("day").asText(), Reference.dailyValue(
          w.get("event_count").asLong(), w.get("unique_employees").asLong(), byType));
    });
    return out;
  }

  /**
   * Empty once every window behind the horizon comes from the batch views: the speed layer answers
   * such a period only while it has counted more than the views (the batch layer has not caught up),
   * so quiescence ("one batch cycle later") means the batch side equals the reference too.
   */
  static String batchLagging(JsonNode hourly) {
    if (hourly.get("horizon").isNull()) {
      return "no horizon yet\n";
    }
    Instant horizon = Instant.parse(hourly.get("horizon").asText());
    long lagging = 0;
    for (JsonNode w : hourly.get("windows")) {
      if (!Instant.parse(w.get("window_end").asText()).isAfter(horizon) && !"batch".equals(w.get("source").asText())) {
        lagging++;
      }
    }
    return lagging == 0 ? "" : lagging + " windows behind the horizon " + horizon + " still served by the speed layer\n";
  }

  static void assertSourcesFollowTheHorizon(JsonNode hourly, Instant horizon) {
    hourly.get("windows").forEach(w -> {
      boolean batch = !Instant.parse(w.get("window_end").asText()).isAfter(horizon);
      assertEquals(batch ? "batch" : "speed", w.get("source").asText(), "source of " + w);
    });
  }

  /** The Hudi employees table (current state, deletes applied) equals PostgreSQL, employee by employee. */
  void assertEmployeesTableEqualsPostgres(Pipeline pipeline) throws Exception {
    Map<Long, String> postgres = new TreeMap<>();
    try (Connection c = DriverManager.getConnection(pipeline.postgresJdbc(), "pipeline", "pipeline");
         Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT employee_id, first_name, last_name, email, department_id, job_title,"
             + " location, status, manager_id FROM employees")) {
      while (rs.next()) {
        postgres.put(rs.getLong(1), String.join("/", rs.getString(2), rs.getString(3), rs.getString(4),
            String.valueOf(rs.getObject(5)), rs.getString(6), rs.getString(7), rs.getString(8),
            String.valueOf(rs.getObject(9))));
      }
    }
    HudiTable employees = new HudiTable(Tables.EMPLOYEES, HudiSettings.forReading(pipeline.lakehouse(), Map.of()));
    String[] diff = {""};
    await(Duration.ofMinutes(2), "the Hudi employees table equals PostgreSQL", pipeline, () -> {
      Map<Long, String> hudi = new TreeMap<>();
      for (GenericRecord r : employees.readAll()) {
        hudi.put((Long) r.get("employee_id"), String.join("/", str(r, "first_name"), str(r, "last_name"),
            str(r, "email"), str(r, "department_id"), str(r, "job_title"), str(r, "location"), str(r, "status"),
            str(r, "manager_id")));
      }
      Map<String, String> e = new TreeMap<>();
      Map<String, String> a = new TreeMap<>();
      postgres.forEach((k, v) -> e.put(Long.toString(k), v));
      hudi.forEach((k, v) -> a.put(Long.toString(k), v));
      diff[0] = Reference.diff(e, a, 10);
      return diff[0].isEmpty();
    }, () -> diff[0]);
  }

  private static String str(GenericRecord r, String field) {
    return String.valueOf(r.get(field));
  }

  JsonNode get(String url) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Json.mapper().readTree(r.body()) : null;
    } catch (java.io.IOException e) {
      return null; // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static void await(Duration limit, String what, Pipeline pipeline, Check check) throws Exception {
    await(limit, what, pipeline, check, () -> "");
  }

  static void await(Duration limit, String what, Pipeline pipeline, Check check, Supplier<String> detail)
      throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!check.ok()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " did not happen within " + limit + "\n" + detail.get() + pipeline.logTails());
      }
      Thread.sleep(2000);
    }
  }

  @FunctionalInterface
  interface Check {
    boolean ok() throws Exception;
  }
}
