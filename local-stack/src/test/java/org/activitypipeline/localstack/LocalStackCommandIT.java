package org.activitypipeline.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.activitypipeline.localstack.junit.LocalStackExtension;
import org.activitypipeline.localstack.process.Ports;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.Database;
import org.apache.hadoop.hive.metastore.conf.MetastoreConf;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The runnable jar as a user runs it: {@code up} from cold prints READY and writes
 * stack.properties; data goes into every server; SIGTERM stops everything; a second {@code up} on
 * the same folder finds all of it again. Runs in its own Failsafe execution after the shared test
 * stack has stopped, so the cold start is measured on an otherwise idle machine.
 */
class LocalStackCommandIT {
  /** A stack of its own beside the shared one (1000 above it). */
  private static final int PORT_OFFSET = LocalStackExtension.portOffset() + 1000;
  private static final Path DATA_DIR = Path.of("target", "cli-stack").toAbsolutePath();
  private static final Path REPORT = Path.of("target", "local-stack-start-report.txt").toAbsolutePath();

  @Test
  void upWritesPropertiesStopsOnSigtermAndKeepsDataAcrossRestart() throws Exception {
    deleteRecursively(DATA_DIR);
    Marker marker = new Marker("m" + System.nanoTime());

    Started first = up("cold start");
    Map<String, String> props = first.properties;
    for (String key : List.of("postgres.jdbc.url", "kafka.bootstrap.servers", "cassandra.contact.points", "hdfs.uri",
        "hive.metastore.uris", "hive.jdbc.url")) {
      assertTrue(props.containsKey(key), "stack.properties has " + key + ": " + props);
    }
    marker.write(props);
    stop(first);

    Started second = up("restart on the same data dir");
    assertEquals(props, second.properties, "same connection settings after restart");
    marker.verify(second.properties);
    theJarsToolsReachTheStack(second.properties, marker.id);
    stop(second);
  }

  /** {@code kafka TOOL} and {@code hive} of the same jar, against the running stack, with nothing else installed. */
  private void theJarsToolsReachTheStack(Map<String, String> p, String id) throws Exception {
    String bootstrap = p.get("kafka.bootstrap.servers");
    Tool offsets = tool("kafka", "get-offsets", "--bootstrap-server", bootstrap, "--topic", "pipeline-dlq");
    assertEquals(0, offsets.exit, offsets.err);
    assertTrue(offsets.out.lines().anyMatch(l -> l.matches("pipeline-dlq:\\d+:[1-9]\\d*")),
        "the marker's record is counted: " + offsets.out);
    Tool consumer = tool("kafka", "console-consumer", "--bootstrap-server", bootstrap, "--topic", "pipeline-dlq",
        "--from-beginning", "--timeout-ms", "20000", "--isolation-level", "read_committed");
    assertTrue(consumer.out.contains(id), "console-consumer prints the marker's record: " + consumer.out + consumer.err);
    Tool topics = tool("kafka", "topics", "--bootstrap-server", bootstrap, "--describe", "--topic", "processed-employees");
    assertEquals(0, topics.exit, topics.err);
    assertTrue(topics.out.contains("cleanup.policy=compact"), topics.out);
    Tool hive = tool("hive", "-u", p.get("hive.jdbc.url"), "-e", "SHOW DATABASES", "--output", "tsv");
    assertEquals(0, hive.exit, hive.err);
    assertTrue(hive.out.lines().anyMatch(id::equals), "hive lists the marker's database: " + hive.out);
    Tool unknown = tool("kafka", "no-such-tool");
    assertEquals(2, unknown.exit);
    assertTrue(unknown.err.startsWith("error: unknown tool 'no-such-tool'"), unknown.err);
  }

  private record Tool(int exit, String out, String err) {
  }

  private static Tool tool(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(javaBin(), "-jar",
        Path.of("target", "local-stack.jar").toAbsolutePath().toString()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("tool", ".out");
    Path err = Files.createTempFile("tool", ".err");
    Process process = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    process.getOutputStream().close();
    if (!process.waitFor(3, java.util.concurrent.TimeUnit.MINUTES)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError(String.join(" ", args) + " did not finish: " + Files.readString(err));
    }
    return new Tool(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  private record Started(Process process, Map<String, String> properties) {
  }

  private Started up(String label) throws Exception {
    Path jar = Path.of("target", "local-stack.jar").toAbsolutePath();
    assertTrue(Files.exists(jar), "package the module first: " + jar);
    Path stderr = DATA_DIR.resolveSibling("cli-stack-" + label.replace(' ', '-') + ".log");
    Files.createDirectories(DATA_DIR);
    long t0 = System.nanoTime();
    Process process = new ProcessBuilder(javaBin(), "-jar", jar.toString(), "up", "--data-dir", DATA_DIR.toString(),
        "--port-offset", String.valueOf(PORT_OFFSET))
        .redirectError(stderr.toFile()).start();
    CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> firstLine(process));
    String line;
    try {
      line = ready.get(5, TimeUnit.MINUTES);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new AssertionError("no READY within 5 minutes; stderr in " + stderr + ":\n" + tail(stderr), e);
    }
    assertEquals("READY", line, "stdout carries only READY; stderr in " + stderr + ":\n" + tail(stderr));
    double seconds = (System.nanoTime() - t0) / 1e9;
    String summary = Files.readAllLines(stderr).stream().filter(l -> l.contains("event=server_summary"))
        .map(l -> "  " + l.substring(l.indexOf("server="))).collect(Collectors.joining("\n"));
    Files.writeString(REPORT, String.format("%s: READY after %.1f s (launcher JVM start included)%n%s%n", label,
        seconds, summary), java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    return new Started(process, load(DATA_DIR.resolve("stack.properties")));
  }

  private void stop(Started started) throws Exception {
    started.process.destroy(); // SIGTERM
    assertTrue(started.process.waitFor(3, TimeUnit.MINUTES), "launcher exits after SIGTERM");
    // 143 = terminated by SIGTERM after the shutdown hook ran; servers must all be gone.
    int exit = started.process.exitValue();
    assertTrue(exit == 0 || exit == 143, "exit code " + exit);
    StackPorts ports = StackPorts.defaults().shiftedBy(PORT_OFFSET);
    for (ServerKind kind : ServerKind.values()) {
      for (Map.Entry<String, Integer> port : ports.of(kind).entrySet()) {
        assertFalse(Ports.accepting(port.getValue()), port.getKey() + " still listening after stop");
      }
    }
  }

  /** One value written into each server before the restart and looked for after it. */
  private record Marker(String id) {
    void write(Map<String, String> p) throws Exception {
      try (Connection c = DriverManager.getConnection(p.get("postgres.jdbc.url"), p.get("postgres.user"),
          p.get("postgres.password")); Statement st = c.createStatement()) {
        st.executeUpdate("INSERT INTO departments (name, cost_center) VALUES ('" + id + "', 'CC-R')");
      }
      Properties pp = new Properties();
      pp.put("bootstrap.servers", p.get("kafka.bootstrap.servers"));
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp, new StringSerializer(), new StringSerializer())) {
        producer.send(new ProducerRecord<>("pipeline-dlq", id, id)).get(30, TimeUnit.SECONDS);
      }
      try (CqlSession s = cql(p)) {
        s.execute("INSERT INTO activity.employee_activity (ingest_hour, shard, activity_id, employee_id, activity_type)"
            + " VALUES ('2001-01-01 00:00:00+0000', 999, " + Uuids.timeBased() + ", 1, '" + id + "')");
      }
      try (FileSystem fs = FileSystem.newInstance(URI.create(p.get("hdfs.uri")), new Configuration());
          FSDataOutputStream out = fs.create(new org.apache.hadoop.fs.Path("/restart/" + id))) {
        out.write(id.getBytes(StandardCharsets.UTF_8));
      }
      HiveMetaStoreClient hms = hms(p);
      try {
        hms.createDatabase(new Database(id, "restart marker", p.get("hdfs.uri") + "/restart/db/" + id, Map.of()));
      } finally {
        hms.close();
      }
    }

    void verify(Map<String, String> p) throws Exception {
      try (Connection c = DriverManager.getConnection(p.get("postgres.jdbc.url"), p.get("postgres.user"),
          p.get("postgres.password")); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT count(*) FROM departments WHERE name = '" + id + "'")) {
        rs.next();
        assertEquals(1, rs.getInt(1), "postgres row survived");
      }
      List<String> kafka = KafkaIT.readAll(p.get("kafka.bootstrap.servers"), "pipeline-dlq", "read_committed", 1);
      assertTrue(kafka.contains(id), "kafka record survived: " + kafka);
      try (CqlSession s = cql(p)) {
        long rows = s.execute("SELECT activity_type FROM activity.employee_activity WHERE ingest_hour ="
            + " '2001-01-01 00:00:00+0000' AND shard = 999").all().stream()
            .filter(r -> id.equals(r.getString(0))).count();
        assertEquals(1, rows, "cassandra row survived");
      }
      try (FileSystem fs = FileSystem.newInstance(URI.create(p.get("hdfs.uri")), new Configuration())) {
        assertEquals(id.length(), fs.getFileStatus(new org.apache.hadoop.fs.Path("/restart/" + id)).getLen(),
            "hdfs file survived");
      }
      HiveMetaStoreClient hms = hms(p);
      try {
        assertEquals(id, hms.getDatabase(id).getName(), "metastore database survived");
      } finally {
        hms.close();
      }
    }

    private static CqlSession cql(Map<String, String> p) {
      String[] hp = p.get("cassandra.contact.points").split(":");
      return CqlSession.builder().addContactPoint(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])))
          .withLocalDatacenter(p.get("cassandra.local.datacenter")).build();
    }

    private static HiveMetaStoreClient hms(Map<String, String> p) throws Exception {
      Configuration conf = new Configuration();
      MetastoreConf.setVar(conf, MetastoreConf.ConfVars.THRIFT_URIS, p.get("hive.metastore.uris"));
      return new HiveMetaStoreClient(conf);
    }
  }

  private static Map<String, String> load(Path file) throws IOException {
    Properties props = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      props.load(r);
    }
    return props.stringPropertyNames().stream().collect(Collectors.toMap(k -> k, props::getProperty));
  }

  private static String firstLine(Process process) {
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      return line == null ? "(stdout closed, exit " + process.waitFor() + ")" : line;
    } catch (IOException e) {
      return "(stdout unreadable: " + e + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(interrupted)";
    }
  }

  private static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(unreadable)";
    }
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
