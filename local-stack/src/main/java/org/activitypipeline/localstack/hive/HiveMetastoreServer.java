package org.activitypipeline.localstack.hive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.activitypipeline.localstack.ServerKind;
import org.activitypipeline.localstack.StackPorts;
import org.activitypipeline.localstack.process.ForkedJvm;
import org.activitypipeline.localstack.process.ForkedServer;
import org.activitypipeline.localstack.process.HadoopXml;
import org.activitypipeline.localstack.process.Log4j2Config;
import org.activitypipeline.localstack.process.Ports;
import org.activitypipeline.localstack.process.Readiness;
import org.activitypipeline.localstack.process.ServerHome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hive Metastore 4.0.1 (Thrift) in a forked JVM, on an embedded Derby database under
 * {@code DATA/hive-metastore/metastore_db}, with its warehouse on the stack's HDFS. Ready means it
 * answers {@code get_all_databases} with {@code default} listed (see {@link ThriftProbe}); the
 * metastore opens its port only after Derby and the schema are up, but a real call is the proof.
 */
public final class HiveMetastoreServer extends ForkedServer {
  private static final Logger LOG = LoggerFactory.getLogger(HiveMetastoreServer.class);
  /**
   * {@code hive-exec} on the classpath evaluates partition filters the metastore cannot parse
   * itself (functions, casts, arithmetic); it deserialises them with Kryo, which reflects into
   * {@code java.util} ({@code Arrays$ArrayList}) and {@code java.net} ({@code URI}). Without these
   * two opens such queries fail with {@code InaccessibleObjectException}.
   */
  private static final List<String> JVM_OPTIONS = List.of("-Xms128m", "-Xmx512m", "-XX:+UseG1GC",
      "-Djava.net.preferIPv4Stack=true",
      "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED");
  /** Housekeeping threads that need no ACID tables; the default list adds ACID metric services. */
  private static final String TASK_THREADS = String.join(",",
      "org.apache.hadoop.hive.metastore.events.EventCleanerTask",
      "org.apache.hadoop.hive.metastore.RuntimeStatsCleanerTask",
      "org.apache.hadoop.hive.metastore.ScheduledQueryExecutionsMaintTask",
      "org.apache.hadoop.hive.metastore.ReplicationMetricsMaintTask");

  private final Path home;
  private final Path logFile;
  private final StackPorts ports;

  public HiveMetastoreServer(Path stackDataDir, StackPorts ports) {
    super(Duration.ofSeconds(30));
    this.home = stackDataDir.resolve("hive-metastore");
    this.logFile = stackDataDir.resolve("logs").resolve("hive-metastore.log");
    this.ports = ports;
  }

  @Override
  public ServerKind kind() {
    return ServerKind.HIVE_METASTORE;
  }

  public String uri() {
    return "thrift://127.0.0.1:" + ports.hiveMetastore();
  }

  @Override
  public void start() throws IOException, InterruptedException {
    if (isRunning()) {
      return;
    }
    Ports.requireFree("hive-metastore", ports.of(kind()));
    Path conf = writeConfig();
    Path tmp = Files.createDirectories(home.resolve("tmp"));
    List<String> options = new ArrayList<>(JVM_OPTIONS);
    options.add(Log4j2Config.write(conf.resolve("log4j2.properties"), Map.of(
        "DataNucleus", "error",
        "org.apache.hadoop.hive.metastore.MetastoreDefaultTransformer", "warn",
        "org.apache.hadoop.hive.ql.exec.FunctionRegistry", "error")));
    options.add("-Djava.io.tmpdir=" + tmp);
    options.add("-Dderby.stream.error.file=" + home.resolve("derby.log"));
    ForkedJvm jvm = launch(ForkedJvm.builder("hive-metastore")
        .classpath(conf, ServerHome.libDir("hive-metastore"))
        .jvmOptions(options)
        .mainClass("org.apache.hadoop.hive.metastore.HiveMetaStore", "-p", String.valueOf(ports.hiveMetastore()))
        .workDir(home)
        .logFile(logFile)
        .build());
    Readiness.await("hive-metastore", jvm, Duration.ofSeconds(120),
        () -> ThriftProbe.metastoreDatabases(ports.hiveMetastore()).contains("default"));
    LOG.info("event=ready server=hive-metastore uri={} pid={}", uri(), jvm.pid());
  }

  private Path writeConfig() throws IOException {
    Path conf = home.resolve("conf");
    String hdfs = "hdfs://127.0.0.1:" + ports.namenodeRpc();
    HadoopXml.write(conf.resolve("core-site.xml"), Map.of("fs.defaultFS", hdfs));
    Map<String, String> site = new LinkedHashMap<>();
    site.put("javax.jdo.option.ConnectionURL",
        "jdbc:derby:;databaseName=" + home.resolve("metastore_db").toAbsolutePath() + ";create=true");
    site.put("javax.jdo.option.ConnectionDriverName", "org.apache.derby.jdbc.EmbeddedDriver");
    // The Maven jars carry no schema scripts for schematool: DataNucleus creates the tables.
    site.put("datanucleus.schema.autoCreateAll", "true");
    site.put("metastore.schema.verification", "false");
    // DataNucleus creates tables lazily, so "direct SQL" (hand-written SQL against the schema) fails
    // on tables not created yet, and it is disabled anyway on the first start (its self-test finds no
    // tables). JDO everywhere behaves the same on every start.
    site.put("metastore.try.direct.sql", "false");
    site.put("metastore.try.direct.sql.ddl", "false");
    site.put("metastore.thrift.bind.host", "127.0.0.1");
    site.put("metastore.warehouse.dir", hdfs + "/warehouse");
    // Else only Hadoop proxy users may read the notification log, which HiveServer2 and hive-sync use.
    site.put("hive.metastore.event.db.notification.api.auth", "false");
    site.put("metastore.task.threads.always", TASK_THREADS);
    // No ZooKeeper: this one instance leads the housekeeping.
    site.put("metastore.housekeeping.leader.election", "host");
    site.put("metastore.compactor.initiator.on", "false");
    HadoopXml.write(conf.resolve("metastore-site.xml"), site);
    return conf;
  }

  @Override
  public Map<String, String> connectionProperties() {
    return Map.of("hive.metastore.uris", uri());
  }
}
