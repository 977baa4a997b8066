package org.activitypipeline.localstack.hdfs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.activitypipeline.common.json.Json;
import org.activitypipeline.localstack.ManagedServer;
import org.activitypipeline.localstack.ServerKind;
import org.activitypipeline.localstack.StackPorts;
import org.activitypipeline.localstack.process.ForkedJvm;
import org.activitypipeline.localstack.process.HadoopXml;
import org.activitypipeline.localstack.process.Ports;
import org.activitypipeline.localstack.process.Readiness;
import org.activitypipeline.localstack.process.ServerHome;
import org.activitypipeline.localstack.process.ServerStartException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HDFS: one NameNode and one DataNode, each in its own forked JVM (Hadoop 3.4.1). Ready means the
 * NameNode reports a live DataNode and has left safe mode, read from its JMX servlet over HTTP.
 * {@link #kill()} kills both, {@link #pid()} is the NameNode's.
 */
public final class HdfsServer implements ManagedServer {
  private static final Logger LOG = LoggerFactory.getLogger(HdfsServer.class);
  private static final List<String> JVM_OPTIONS = List.of("-Xms128m", "-Xmx384m", "-XX:+UseG1GC",
      "-Djava.net.preferIPv4Stack=true");

  private final Path home;
  private final Path logDir;
  private final StackPorts ports;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private ForkedJvm nameNode;
  private ForkedJvm dataNode;

  public HdfsServer(Path stackDataDir, StackPorts ports) {
    this.home = stackDataDir.resolve("hdfs");
    this.logDir = stackDataDir.resolve("logs");
    this.ports = ports;
  }

  @Override
  public ServerKind kind() {
    return ServerKind.HDFS;
  }

  public String uri() {
    return "hdfs://127.0.0.1:" + ports.namenodeRpc();
  }

  @Override
  public void start() throws IOException, InterruptedException {
    if (isRunning()) {
      return;
    }
    Ports.requireFree("hdfs", ports.of(kind()));
    Path conf = writeConfig();
    Path lib = ServerHome.libDir("hadoop");
    if (!Files.exists(home.resolve("name").resolve("current").resolve("VERSION"))) {
      ForkedJvm format = jvm("hdfs-format", conf, lib, "namenode")
          .mainClass("org.apache.hadoop.hdfs.server.namenode.NameNode", "-format", "-nonInteractive", "-force")
          .build();
      int exit = format.runToCompletion(Duration.ofMinutes(2));
      if (exit != 0) {
        throw new ServerStartException("formatting the HDFS NameNode failed (exit " + exit + "):\n" + format.logTail(20));
      }
    }
    nameNode = jvm("namenode", conf, lib, "namenode")
        .mainClass("org.apache.hadoop.hdfs.server.namenode.NameNode").build();
    dataNode = jvm("datanode", conf, lib, "datanode")
        .mainClass("org.apache.hadoop.hdfs.server.datanode.DataNode").build();
    nameNode.start();
    dataNode.start();
    Readiness.await("hdfs namenode", nameNode, Duration.ofSeconds(120), () -> {
      if (!dataNode.isAlive()) {
        throw new ServerStartException("the DataNode exited (code " + dataNode.exitCode() + "):\n"
            + dataNode.logTail(30));
      }
      return isServing();
    });
    LOG.info("event=ready server=hdfs uri={} namenode_pid={} datanode_pid={}", uri(), nameNode.pid(), dataNode.pid());
  }

  /** One live DataNode and out of safe mode: writes will succeed. */
  private boolean isServing() throws IOException, InterruptedException {
    JsonNode state = jmx("Hadoop:service=NameNode,name=FSNamesystemState");
    JsonNode info = jmx("Hadoop:service=NameNode,name=NameNodeInfo");
    return state != null && info != null && state.path("NumLiveDataNodes").asInt() >= 1
        && info.path("Safemode").asText("x").isEmpty();
  }

  private JsonNode jmx(String query) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.namenodeHttp()
        + "/jmx?qry=" + query.replace(" ", "%20"))).timeout(Duration.ofSeconds(3)).build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      return null;
    }
    JsonNode beans = Json.mapper().readTree(response.body()).path("beans");
    return beans.isArray() && !beans.isEmpty() ? beans.get(0) : null;
  }

  private ForkedJvm.Builder jvm(String name, Path conf, Path lib, String logName) {
    return ForkedJvm.builder(name).classpath(conf, lib).jvmOptions(JVM_OPTIONS).workDir(home)
        .logFile(logDir.resolve("hdfs-" + logName + ".log"))
        .env("HADOOP_CONF_DIR", conf.toString());
  }

  private Path writeConfig() throws IOException {
    Path conf = home.resolve("conf");
    Map<String, String> core = new LinkedHashMap<>();
    core.put("fs.defaultFS", uri());
    core.put("hadoop.tmp.dir", home.resolve("tmp").toString());
    HadoopXml.write(conf.resolve("core-site.xml"), core);
    Map<String, String> hdfs = new LinkedHashMap<>();
    hdfs.put("dfs.replication", "1");
    hdfs.put("dfs.namenode.name.dir", home.resolve("name").toUri().toString());
    hdfs.put("dfs.datanode.data.dir", home.resolve("data").toUri().toString());
    hdfs.put("dfs.namenode.rpc-address", "127.0.0.1:" + ports.namenodeRpc());
    hdfs.put("dfs.namenode.http-address", "127.0.0.1:" + ports.namenodeHttp());
    hdfs.put("dfs.namenode.secondary.http-address", "127.0.0.1:0");
    hdfs.put("dfs.datanode.address", "127.0.0.1:" + ports.datanodeData());
    hdfs.put("dfs.datanode.http.address", "127.0.0.1:" + ports.datanodeHttp());
    hdfs.put("dfs.datanode.ipc.address", "127.0.0.1:" + ports.datanodeIpc());
    hdfs.put("dfs.datanode.hostname", "127.0.0.1");
    hdfs.put("dfs.namenode.datanode.registration.ip-hostname-check", "false");
    // Local stack: no Kerberos users, every client may write anywhere.
    hdfs.put("dfs.permissions.enabled", "false");
    // A restarted NameNode otherwise stays in safe mode 30 s after its one DataNode reported.
    hdfs.put("dfs.namenode.safemode.extension", "0");
    hdfs.put("dfs.heartbeat.interval", "1");
    hdfs.put("dfs.namenode.heartbeat.recheck-interval", "10000");
    // One DataNode: a pipeline must not try to replace it on failure (there is none to add).
    hdfs.put("dfs.client.block.write.replace-datanode-on-failure.enable", "false");
    HadoopXml.write(conf.resolve("hdfs-site.xml"), hdfs);
    Files.writeString(conf.resolve("log4j.properties"), """
        log4j.rootLogger=INFO,console
        log4j.appender.console=org.apache.log4j.ConsoleAppender
        log4j.appender.console.layout=org.apache.log4j.PatternLayout
        log4j.appender.console.layout.ConversionPattern=%d{ISO8601} %-5p [%t] %c{1} - %m%n
        log4j.logger.org.apache.hadoop.hdfs.StateChange=WARN
        log4j.logger.org.apache.hadoop.hdfs.server.namenode.FSNamesystem.audit=WARN
        log4j.logger.org.apache.hadoop.hdfs.server.datanode.DataNode.clienttrace=WARN
        log4j.logger.BlockStateChange=WARN
        """);
    return conf;
  }

  /** SIGTERM to the DataNode, then the NameNode (which saves nothing on stop: its edit log is durable). */
  @Override
  public void stop() {
    if (dataNode != null) {
      dataNode.stop(Duration.ofSeconds(30));
    }
    if (nameNode != null) {
      nameNode.stop(Duration.ofSeconds(30));
    }
  }

  @Override
  public void kill() {
    if (dataNode != null) {
      dataNode.kill();
    }
    if (nameNode != null) {
      nameNode.kill();
    }
  }

  @Override
  public boolean isRunning() {
    return nameNode != null && nameNode.isAlive();
  }

  @Override
  public long pid() {
    return nameNode == null ? -1 : nameNode.pid();
  }

  /** NameNode and DataNode. */
  @Override
  public List<Long> pids() {
    return List.of(pid(), dataNode == null ? -1 : dataNode.pid());
  }

  @Override
  public Map<String, String> connectionProperties() {
    return Map.of("hdfs.uri", uri());
  }
}
