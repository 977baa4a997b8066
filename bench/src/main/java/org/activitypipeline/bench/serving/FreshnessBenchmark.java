package org.activitypipeline.bench.serving;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import org.activitypipeline.common.json.Json;
import org.activitypipeline.common.time.ActivityBuckets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench freshness}: source write → visible in the serving API, on a running pipeline (for
 * example {@code ./run-local.sh} with its generators). Each probe is one activity row written to
 * Cassandra the way the generator writes it, with the marker device type {@value #DEVICE}; the
 * latency runs from Cassandra's acknowledgement until the API shows it, on two paths:
 * the employee profile (poller → processor enrichment → {@code processed-activities} → serving)
 * and the aggregate (… → window task → {@code daily-device-aggregations} → serving: the probe
 * device's day window counts the probe). With {@code --lateness} the probes are also written with event
 * times that far behind their write time (late uploads): their day window may be behind the batch
 * horizon, and the merge serves the speed layer's count as soon as it is larger than the batch
 * views', so a late event is as fresh as an on-time one (before, it waited for the next views run).
 */
@Command(name = "freshness", mixinStandardHelpOptions = true,
    description = "Source write -> visible in the serving API (median, p99), on a running pipeline.")
public final class FreshnessBenchmark implements Callable<Integer> {
  static final String DEVICE = "freshness-probe";

  @Option(names = "--stack", defaultValue = "data/stack.properties",
      description = "The running local stack's connection settings (default ${DEFAULT-VALUE}).")
  Path stack;
  @Option(names = "--serving", defaultValue = "http://127.0.0.1:8080", description = "Serving base URL (default ${DEFAULT-VALUE}).")
  String serving;
  @Option(names = "--probes", defaultValue = "100", description = "Probe activities (default ${DEFAULT-VALUE}).")
  int probes;
  @Option(names = "--interval-ms", defaultValue = "1000", description = "Time between probes (default ${DEFAULT-VALUE}).")
  long intervalMs;
  @Option(names = "--lateness", split = ",", defaultValue = "0s",
      converter = FreshnessBenchmark.DurationArg.class,
      description = "How far each round's event times lie behind the write time, e.g. 0s,1m,1h,6h"
          + " (default ${DEFAULT-VALUE}); --probes probes per round.")
  List<Duration> lateness;

  private final HttpClient http = HttpClient.newHttpClient();

  /** Durations as the configs write them (500ms, 1m, 6h). */
  static final class DurationArg implements picocli.CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return org.activitypipeline.common.config.ConfigType.DURATION.parse(value);
    }
  }

  @Override
  public Integer call() throws Exception {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(stack)) {
      p.load(r);
    }
    long employee;
    try (Connection c = DriverManager.getConnection(p.getProperty("postgres.jdbc.url"), p.getProperty("postgres.user"),
        p.getProperty("postgres.password"));
         ResultSet rs = c.createStatement().executeQuery(
             "SELECT employee_id FROM employees WHERE status = 'active' ORDER BY employee_id LIMIT 1")) {
      rs.next();
      employee = rs.getLong(1);
    }
    String[] hostPort = p.getProperty("cassandra.contact.points").split(":");
    List<String> rows = new ArrayList<>();
    try (CqlSession session = CqlSession.builder()
        .addContactPoint(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])))
        .withLocalDatacenter(p.getProperty("cassandra.local.datacenter", "datacenter1")).build()) {
      PreparedStatement insert = session.prepare("INSERT INTO activity.employee_activity (ingest_hour, shard,"
          + " activity_id, employee_id, activity_type, device_type, os, ip, location, duration_seconds, event_time,"
          + " metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      for (Duration late : lateness) {
        Histogram profile = new Histogram(3);
        Histogram aggregate = new Histogram(3);
        long base = probeCount();
        for (int i = 1; i <= probes; i++) {
          UUID id = Uuids.timeBased();
          Instant writeTime = Instant.ofEpochMilli(ActivityBuckets.writeTimeMillis(id));
          session.execute(insert.bind(ActivityBuckets.ingestHour(writeTime), ActivityBuckets.shardOf(id,
              ActivityBuckets.DEFAULT_SHARDS), id, employee, "login", DEVICE, "linux", "10.9.9.9", "Berlin", 1,
              writeTime.minus(late), Map.of("probe", Integer.toString(i))));
          long acked = System.nanoTime();
          // The profile lists an employee's newest activities by event time: a late one is not among them.
          boolean seenProfile = !late.isZero();
          boolean seenAggregate = false;
          while ((!seenProfile || !seenAggregate) && System.nanoTime() - acked < Duration.ofSeconds(60).toNanos()) {
            if (!seenProfile && profileHas(employee, id.toString())) {
              seenProfile = true;
              profile.recordValue((System.nanoTime() - acked) / 1_000_000);
            }
            if (!seenAggregate && probeCount() >= base + i) {
              seenAggregate = true;
              aggregate.recordValue((System.nanoTime() - acked) / 1_000_000);
            }
            Thread.sleep(20);
          }
          if (!seenProfile || !seenAggregate) {
            throw new IllegalStateException("probe " + i + " (" + id + ", " + late + " late) not visible after 60 s:"
                + " profile=" + seenProfile + " aggregate=" + seenAggregate);
          }
          Thread.sleep(Math.max(0, intervalMs - (System.nanoTime() - acked) / 1_000_000));
        }
        String label = late.isZero() ? "on time" : late.toString().substring(2).toLowerCase(java.util.Locale.ROOT)
            + " late";
        if (late.isZero()) {
          rows.add(row("employee profile, " + label, profile));
        }
        rows.add(row("daily device aggregate, " + label, aggregate));
      }
    }
    System.out.println("## Freshness (bench freshness)\n\n" + probes + " probes per round, one every " + intervalMs
        + " ms, on a running pipeline; latency from Cassandra's write acknowledgement until the serving API shows it.\n");
    System.out.println("| path | p50 ms | p90 ms | p99 ms | max ms |\n|---|---|---|---|---|");
    rows.forEach(System.out::println);
    return 0;
  }

  private static String row(String name, Histogram h) {
    return String.format("| %s | %d | %d | %d | %d |", name, h.getValueAtPercentile(50), h.getValueAtPercentile(90),
        h.getValueAtPercentile(99), h.getMaxValue());
  }

  private boolean profileHas(long employee, String activityId) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(serving + "/api/v1/employees/" + employee))
        .build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      return false;
    }
    for (JsonNode a : Json.mapper().readTree(r.body()).get("recent_activity")) {
      if (a.get("activity_id").asText().equals(activityId)) {
        return true;
      }
    }
    return false;
  }

  /** The probe device's event count over today and yesterday (a probe near midnight lands on either). */
  private long probeCount() throws Exception {
    java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(serving + "/api/v1/devices/daily?from="
        + today.minusDays(1) + "&to=" + today + "&device_type=" + DEVICE)).build(), HttpResponse.BodyHandlers.ofString());
    long n = 0;
    if (r.statusCode() == 200) {
      for (JsonNode w : Json.mapper().readTree(r.body()).get("windows")) {
        n += w.get("event_count").asLong();
      }
    }
    return n;
  }
}
