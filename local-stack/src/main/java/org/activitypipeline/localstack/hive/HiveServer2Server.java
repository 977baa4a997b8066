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
 * HiveServer2 4.0.1 in a forked JVM, in local mode: queries run as MapReduce jobs in its own JVM
 * (local job runner), against the stack's metastore and HDFS. Binary Thrift transport with
 * authentication {@code NONE} (any user, no password), so the plain URL
 * {@code jdbc:hive2://127.0.0.1:PORT/default} works. Ready means a session opens and closes (see
 * {@link ThriftProbe}); the Thrift port opens only after the services have started, and opening a
 * session also proves that the metastore and HDFS answer.
 */
public final class HiveServer2Server extends ForkedServer {
  private static final Logger LOG = LoggerFactory.getLogger(HiveServer2Server.class);
  /**
   * Hive serialises query plans with Kryo, which reflects into JDK internals; without these opens
   * HiveServer2 fails to start on JDK 17 ({@code Utilities} cannot initialise). 768 MB of heap is
   * enough for the local job runner on the stack's small data (512 MB passed the same queries).
   */
  private static final List<String> JVM_OPTIONS = List.of("-Xms256m", "-Xmx768m", "-XX:+UseG1GC",
      "-Djava.net.preferIPv4Stack=true",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens=java.base/java.util.regex=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/java.net=ALL-UNNAMED",
      "--add-opens=java.base/java.time=ALL-UNNAMED",
      "--add-opens=java.sql/java.sql=ALL-UNNAMED");
  /** The local job runner's and the planner's chatter; query progress (Hive's own loggers) stays. */
  private static final Map<String, String> QUIET_LOGGERS = Map.of(
      "org.apache.hadoop.mapred", "warn",
      "org.apache.hadoop.mapreduce", "warn",
      "org.apache.hadoop.metrics2", "error",
      "org.apache.hadoop.hive.ql.exec.FunctionRegistry", "error",
      "org.apache.hadoop.hive.ql.parse", "warn",
      "org.apache.hadoop.hive.ql.optimizer", "warn",
      "org.apache.hadoop.hive.common.LogUtils", "warn",
      "org.apache.parquet", "warn");

  private final Path home;
  private final Path logFile;
  private final StackPorts ports;

  public HiveServer2Server(Path stackDataDir, StackPorts ports) {
    super(Duration.ofSeconds(30));
    this.home = stackDataDir.resolve("hiveserver2");
    this.logFile = stackDataDir.resolve("logs").resolve("hiveserver2.log");
    this.ports = ports;
  }

  @Override
  public ServerKind kind() {
    return ServerKind.HIVESERVER2;
  }

  public String jdbcUrl() {
    return "jdbc:hive2://127.0.0.1:" + ports.hiveServer2() + "/default";
  }

  @Override
  public void start() throws IOException, InterruptedException {
    if (isRunning()) {
      return;
    }
    Ports.requireFree("hiveserver2", ports.of(kind()));
    Path conf = home.resolve("conf");
    Path log4j = conf.resolve("log4j2.properties");
    List<String> options = new ArrayList<>(JVM_OPTIONS);
    options.add(Log4j2Config.write(log4j, QUIET_LOGGERS));
    options.add("-Djava.io.tmpdir=" + Files.createDirectories(home.resolve("tmp")));
    writeConfig(conf, log4j);
    ForkedJvm jvm = launch(ForkedJvm.builder("hiveserver2")
        .classpath(conf, ServerHome.libDir("hiveserver2"))
        .jvmOptions(options)
        .mainClass("org.apache.hive.service.server.HiveServer2")
        .workDir(home)
        .logFile(logFile)
        .build());
    Readiness.await("hiveserver2", jvm, Duration.ofSeconds(120), () -> {
      ThriftProbe.hiveServer2Session(ports.hiveServer2(), "localstack");
      return true;
    });
    LOG.info("event=ready server=hiveserver2 url={} pid={}", jdbcUrl(), jvm.pid());
  }

  private void writeConfig(Path conf, Path log4j) throws IOException {
    String hdfs = "hdfs://127.0.0.1:" + ports.namenodeRpc();
    Map<String, String> core = new LinkedHashMap<>();
    core.put("fs.defaultFS", hdfs);
    // The local job runner keeps its job files under here.
    core.put("hadoop.tmp.dir", home.resolve("hadoop-tmp").toAbsolutePath().toString());
    HadoopXml.write(conf.resolve("core-site.xml"), core);

    Map<String, String> site = new LinkedHashMap<>();
    site.put("hive.metastore.uris", "thrift://127.0.0.1:" + ports.hiveMetastore());
    site.put("hive.metastore.warehouse.dir", hdfs + "/warehouse");
    site.put("hive.server2.transport.mode", "binary");
    site.put("hive.server2.thrift.bind.host", "127.0.0.1");
    site.put("hive.server2.thrift.port", String.valueOf(ports.hiveServer2()));
    site.put("hive.server2.webui.host", "127.0.0.1");
    site.put("hive.server2.webui.port", String.valueOf(ports.hiveServer2Http()));
    site.put("hive.server2.authentication", "NONE");
    // Queries run as the server's OS user: no Hadoop proxy-user setup needed.
    site.put("hive.server2.enable.doAs", "false");
    // Exit when start-up fails instead of retrying 30 times a minute apart.
    site.put("hive.server2.max.start.attempts", "1");
    site.put("hive.execution.engine", "mr");
    site.put("mapreduce.framework.name", "local");
    // Map-join hash tables are built in this JVM; a child JVM would need a Hadoop install ($HADOOP_HOME/bin/hadoop).
    site.put("hive.exec.submit.local.task.via.child", "false");
    // No ACID and no ZooKeeper: no transactions, no locks.
    site.put("hive.txn.manager", "org.apache.hadoop.hive.ql.lockmgr.DummyTxnManager");
    site.put("hive.support.concurrency", "false");
    // No statistics are collected, and with JDO only the metastore cannot aggregate column stats
    // (it logs "Jdo path is not implemented for stats aggr" on every query otherwise).
    site.put("hive.stats.autogather", "false");
    site.put("hive.stats.fetch.column.stats", "false");
    // Vectorised readers fail on Hudi tables (ClassCastException) and gain nothing on small data.
    site.put("hive.vectorized.execution.enabled", "false");
    // Hudi tables: split computation must go through the table's input format
    // (HoodieParquetInputFormat keeps only the latest file slice of each file group). The default
    // CombineHiveInputFormat lists the partition folders itself and reads every file version:
    // updated records come back as duplicates and deleted ones reappear.
    site.put("hive.input.format", "org.apache.hadoop.hive.ql.io.HiveInputFormat");
    // hudi-hadoop-mr 1.0.2's default record reader (HoodieFileGroupReaderBasedRecordReader) fails
    // on partitioned tables whose partition column is also stored in the data files
    // (ArrayIndexOutOfBoundsException in HoodieArrayWritableAvroUtils.projectRecord); for
    // COPY_ON_WRITE the plain parquet reader over the latest base files is all it takes.
    site.put("hoodie.file.group.reader.enabled", "false");
    // The lakehouse stores instants as epoch millis; the analyst views render them in the session
    // time zone, which must be UTC like every other time in the pipeline.
    site.put("hive.local.time.zone", "UTC");
    site.put("hive.scheduled.queries.executor.enabled", "false");
    site.put("hive.metastore.runworker.in", "metastore");
    site.put("hive.exec.scratchdir", hdfs + "/tmp/hive");
    site.put("hive.exec.local.scratchdir", home.resolve("scratch").toAbsolutePath().toString());
    site.put("hive.downloaded.resources.dir", home.resolve("resources").toAbsolutePath().toString());
    site.put("hive.querylog.location", home.resolve("querylog").toAbsolutePath().toString());
    site.put("hive.server2.logging.operation.log.location",
        home.resolve("operation-logs").toAbsolutePath().toString());
    // HiveServer2 re-initialises log4j at start: point it at our file (else it also writes
    // /tmp/<user>/hive.log) and keep logging synchronous (no lines lost on kill).
    site.put("hive.log4j.file", log4j.toAbsolutePath().toString());
    site.put("hive.async.log.enabled", "false");
    HadoopXml.write(conf.resolve("hive-site.xml"), site);
  }

  @Override
  public Map<String, String> connectionProperties() {
    return Map.of("hive.jdbc.url", jdbcUrl());
  }
}
