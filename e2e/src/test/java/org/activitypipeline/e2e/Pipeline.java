package org.activitypipeline.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.activitypipeline.localstack.testing.JarProcess;

/**
 * The whole pipeline as operators run it: each process is its module's fat JAR with the shipped
 * local config file (for example {@code speed-layer/config/cdc.properties}), pointed at the test stack by environment
 * overrides. Processes stop in reverse start order.
 */
final class Pipeline implements AutoCloseable {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private final Path dir;
  private final Map<String, String> stack;
  private final Map<String, JarProcess> processes = new LinkedHashMap<>();
  /** The /metrics port of each process started (serving's is its HTTP port). */
  final Map<String, Integer> metricsPorts = new LinkedHashMap<>();
  /** Settings appended to a process's shipped config file (pass-through keys cannot come from the environment). */
  private final Map<String, Map<String, String>> extraConfig = new HashMap<>();
  final int servingPort;

  Pipeline(Path dir, Map<String, String> stack) throws IOException {
    this.dir = dir;
    this.stack = stack;
    try (ServerSocket s = new ServerSocket(0)) {
      servingPort = s.getLocalPort();
    }
  }

  String postgresJdbc() {
    return stack.get("postgres.jdbc.url");
  }

  String postgresSuperuser() {
    return stack.get("postgres.superuser");
  }

  String kafka() {
    return stack.get("kafka.bootstrap.servers");
  }

    String cassandra() {
    return stack.get("cassandra.contact.points");
  }

  String lakehouse() {
    return stack.get("hdfs.uri") + "/e2e/lakehouse";
  }

  /**
   * From now on, {@code process} (cdc, poller, processor, batch-layer, serving) runs with a copy of its
   * shipped config file plus {@code settings}.
   */
  void extraConfig(String process, Map<String, String> settings) {
    extraConfig.put(process, new LinkedHashMap<>(settings));
  }

  private Path configFile(String process, Path shipped) throws IOException {
    Map<String, String> extra = extraConfig.get(process);
    return extra == null ? shipped : copyWith(process, shipped, extra);
  }

  /** {@code shipped} copied to {@code <name>.properties} in the test folder, {@code extra} appended. */
  private Path copyWith(String name, Path shipped, Map<String, String> extra) throws IOException {
    StringBuilder text = new StringBuilder(java.nio.file.Files.readString(shipped)).append('\n');
    extra.forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
    java.nio.file.Files.createDirectories(dir);
    Path copy = dir.resolve(name + ".properties");
    java.nio.file.Files.writeString(copy, text);
    return copy;
  }

  JarProcess generator(String name, String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--jdbc-url", postgresJdbc()));
    return start(name, "generators", List.of("-Xmx256m"), all, Map.of());
  }

  JarProcess cdc() throws IOException {
    return speed("cdc", Map.of("CDC_POSTGRES_PORT", stack.get("postgres.port")));
  }

  JarProcess poller() throws IOException {
    return speed("poller", Map.of("POLLER_CASSANDRA_CONTACT_POINT", cassandra()));
  }

  JarProcess processor() throws IOException {
    return speed("processor", Map.of());
  }

  private JarProcess speed(String command, Map<String, String> overrides) throws IOException {
    Map<String, String> env = speedEnv(command, metricsPort(command));
    env.putAll(overrides);
    return start(command, "speed-layer", List.of("-Xmx256m"), List.of(command, "--config",
        configFile(command, shippedSpeedConfig(command)).toString()), env);
  }

  /** A speed-layer process under another name (a second instance, a misconfigured one), without metrics. */
  JarProcess speedAs(String name, String command, Map<String, String> settings) throws IOException {
    return start(name, "speed-layer", List.of("-Xmx256m"), List.of(command, "--config",
        copyWith(name, shippedSpeedConfig(command), settings).toString()), speedEnv(command, 0));
  }

  private static Path shippedSpeedConfig(String command) {
    return ROOT.resolve("speed-layer/config/" + command + ".properties");
  }

  private Map<String, String> speedEnv(String command, int metricsPort) {
    String prefix = command.toUpperCase(java.util.Locale.ROOT);
    Map<String, String> env = new HashMap<>();
    env.put(prefix + "_KAFKA_BOOTSTRAP_SERVERS", stack.get("kafka.bootstrap.servers"));
    env.put(prefix + "_METRICS_PORT", Integer.toString(metricsPort));
    return env;
  }

  /** A scheduler node with fast schedules: ingest every 10 s, views every 20 s, clustering every 2 min. */
  JarProcess batchLayer() throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("BATCH_KAFKA_BOOTSTRAP_SERVERS", stack.get("kafka.bootstrap.servers"));
    env.put("BATCH_LAKEHOUSE_PATH", lakehouse());
    env.put("BATCH_QUARTZ_JDBC_URL", postgresJdbc());
    env.put("BATCH_JOB_INGEST_CRON", "*/10 * * * * ?");
    env.put("BATCH_JOB_VIEWS_CRON", "5/20 * * * * ?");
    env.put("BATCH_JOB_CLUSTER_CRON", "45 */2 * * * ?");
    env.put("BATCH_JOB_HIVE_SYNC_CRON", "off");
    env.put("BATCH_JOB_RECONCILE_CRON", "15/30 * * * * ?");
    env.put("BATCH_CASSANDRA_CONTACT_POINT", cassandra());
    env.put("BATCH_VIEWS_HORIZON_LAG", "0s");
    env.put("BATCH_METRICS_PORT", Integer.toString(metricsPort("batch-layer")));
    return start("batch-layer", "batch-layer", List.of("-Xmx768m", "-Djdk.attach.allowAttachSelf=true"),
        List.of("run", "--config", configFile("batch-layer", ROOT.resolve("batch-layer/config/batch.properties"))
            .toString()), env);
  }

  /** {@code batch-layer.jar run-once JOB} to its end. */
  JarProcess batchRunOnce(String name, String job) throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("BATCH_KAFKA_BOOTSTRAP_SERVERS", stack.get("kafka.bootstrap.servers"));
    env.put("BATCH_LAKEHOUSE_PATH", lakehouse());
    env.put("BATCH_QUARTZ_JDBC_URL", postgresJdbc());
    env.put("BATCH_CASSANDRA_CONTACT_POINT", cassandra());
    env.put("BATCH_METRICS_PORT", "0");
    return start(name, "batch-layer", List.of("-Xmx768m", "-Djdk.attach.allowAttachSelf=true"),
        List.of("run-once", job, "--config", configFile("batch-layer",
            ROOT.resolve("batch-layer/config/batch.properties")).toString()), env);
  }

  JarProcess serving() throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("SERVING_KAFKA_BOOTSTRAP_SERVERS", stack.get("kafka.bootstrap.servers"));
    env.put("SERVING_LAKEHOUSE_PATH", lakehouse());
    env.put("SERVING_HTTP_PORT", Integer.toString(servingPort));
    env.put("SERVING_LAKEHOUSE_POLL_INTERVAL", "2s");
    // The pipeline-health panel reads the other processes' /metrics, as an operator configures it.
    List<String> targets = new ArrayList<>();
    for (String process : List.of("cdc", "poller", "processor", "batch-layer")) {
      targets.add(process + "=http://127.0.0.1:" + metricsPort(process) + "/metrics");
    }
    env.put("SERVING_HEALTH_TARGETS", String.join(",", targets));
    env.put("SERVING_HEALTH_SCRAPE_INTERVAL", "2s");
    metricsPorts.put("serving", servingPort);
    return start("serving", "serving", List.of("-Xmx384m"), List.of("serve", "--config",
        configFile("serving", ROOT.resolve("serving/config/serving.properties")).toString()), env);
  }

  private JarProcess start(String name, String module, List<String> jvm, List<String> args, Map<String, String> env)
      throws IOException {
    JarProcess p = new JarProcess(ROOT.resolve(module + "/target/" + module + ".jar"), jvm, args, env,
        dir.resolve(name + ".log")).start();
    processes.put(name, p);
    return p;
  }

  /** The process's metrics port, chosen at first ask: serving's health panel is told it before the process starts. */
  private int metricsPort(String process) throws IOException {
    Integer port = metricsPorts.get(process);
    if (port != null) {
      return port;
    }
    try (ServerSocket s = new ServerSocket(0)) {
      metricsPorts.put(process, s.getLocalPort());
      return s.getLocalPort();
    }
  }

  JarProcess process(String name) {
    return processes.get(name);
  }

  /** Every process still running, for a useful failure message. */
  String logTails() {
    StringBuilder sb = new StringBuilder();
    processes.forEach((name, p) -> sb.append("\n---- ").append(name).append(p.isAlive() ? "" : " (exited)")
        .append(" ----\n").append(p.logTail().lines().skip(Math.max(0, p.logTail().lines().count() - 25))
            .reduce("", (a, b) -> a + b + "\n")));
    return sb.toString();
  }

  @Override
  public void close() throws InterruptedException {
    List<JarProcess> all = new ArrayList<>(processes.values());
    for (int i = all.size() - 1; i >= 0; i--) {
      all.get(i).close();
    }
  }
}
