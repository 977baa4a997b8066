package org.activitypipeline.localstack.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.activitypipeline.localstack.InitScripts;
import org.activitypipeline.localstack.ServerKind;
import org.activitypipeline.localstack.StackPorts;
import org.activitypipeline.localstack.process.ForkedJvm;
import org.activitypipeline.localstack.process.ForkedServer;
import org.activitypipeline.localstack.process.Ports;
import org.activitypipeline.localstack.process.Readiness;
import org.activitypipeline.localstack.process.ServerHome;
import org.activitypipeline.localstack.process.TlsStores;
import org.activitypipeline.common.source.CassandraSecurity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single Cassandra 5.0 node in a forked JVM (its netty, guava and logback clash with ours, so
 * {@code cassandra-all} never touches an application classpath). Ready means a real CQL query
 * answered; then {@code init-scripts/cassandra/*.cql} is applied (idempotent, every start).
 */
public final class CassandraServer extends ForkedServer {
  public static final String LOCAL_DATACENTER = "datacenter1";
  private static final Logger LOG = LoggerFactory.getLogger(CassandraServer.class);

  /** From Cassandra's own conf/jvm17-server.options; without them: "unable to access required classes". */
  private static final List<String> JDK17_ACCESS = List.of(
      "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
      "--add-exports=java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
      "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
      "--add-exports=java.rmi/sun.rmi.server=ALL-UNNAMED",
      "--add-exports=java.sql/java.sql=ALL-UNNAMED",
      "--add-exports=java.base/java.lang.ref=ALL-UNNAMED",
      "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
      "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
      "--add-exports=jdk.attach/sun.tools.attach=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.module=ALL-UNNAMED",
      "--add-opens=java.base/jdk.internal.loader=ALL-UNNAMED",
      "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens=java.base/jdk.internal.reflect=ALL-UNNAMED",
      "--add-opens=java.base/jdk.internal.math=ALL-UNNAMED",
      "--add-opens=java.base/jdk.internal.module=ALL-UNNAMED",
      "--add-opens=java.base/jdk.internal.util.jar=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED",
      "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED");

  /** The superuser PasswordAuthenticator creates on a new cluster, and the trust store's password. */
  static final String SUPERUSER = "cassandra";
  static final String STORE_PASSWORD = "local-stack-tls";

  private final Path home;
  private final Path logFile;
  private final StackPorts ports;
  private final boolean secured;

  public CassandraServer(Path stackDataDir, StackPorts ports) {
    this(stackDataDir, ports, false);
  }

  /**
   * @param secured PasswordAuthenticator with CassandraAuthorizer (superuser cassandra/cassandra, roles
   *     and grants made with CQL) and required client encryption with a self-signed certificate for
   *     127.0.0.1 ({@code cassandra/tls/truststore.p12}): a cluster as production runs it, for tests of
   *     the clients' credentials and TLS
   */
  public CassandraServer(Path stackDataDir, StackPorts ports, boolean secured) {
    super(Duration.ofSeconds(60)); // SIGTERM: the shutdown hook drains and flushes memtables (~6 s)
    this.home = stackDataDir.resolve("cassandra");
    this.logFile = stackDataDir.resolve("logs").resolve("cassandra.log");
    this.ports = ports;
    this.secured = secured;
  }

  /** What the stack's own session (readiness, schema) and a test's superuser session connect with. */
  public CassandraSecurity superuser() {
    return secured ? new CassandraSecurity(SUPERUSER, SUPERUSER, TlsStores.trustStore(home.resolve("tls")),
        STORE_PASSWORD) : CassandraSecurity.NONE;
  }

  @Override
  public ServerKind kind() {
    return ServerKind.CASSANDRA;
  }

  @Override
  public void start() throws IOException, InterruptedException {
    if (isRunning()) {
      return;
    }
    Ports.requireFree("cassandra", ports.of(kind()));
    Files.createDirectories(home);
    Path keyStore = secured ? TlsStores.ensure(home.resolve("tls"), STORE_PASSWORD) : null;
    Path yaml = writeYaml(keyStore);
    Path logback = writeLogback();
    List<String> options = new ArrayList<>(List.of("-Xms512m", "-Xmx512m", "-Xss256k", "-XX:+UseG1GC",
        "-XX:MaxDirectMemorySize=256m", "-Djava.net.preferIPv4Stack=true", "-Djdk.attach.allowAttachSelf=true",
        "-Dio.netty.tryReflectionSetAccessible=true",
        "-Dcassandra.config=" + yaml.toUri(),
        "-Dcassandra.storagedir=" + home,
        "-Dcassandra.logdir=" + home.resolve("logs"),
        "-Dcassandra.triggers_dir=" + home.resolve("triggers"),
        "-Dcassandra.jmx.local.port=" + ports.cassandraJmx(),
        "-Dcassandra-foreground=yes",
        // A fresh single node otherwise sleeps ~30 s waiting for a ring that will never grow.
        "-Dcassandra.ring_delay_ms=1000",
        "-Dcassandra.skip_wait_for_gossip_to_settle=0",
        // With PasswordAuthenticator: the default superuser at once, not after 10 s.
        "-Dcassandra.superuser_setup_delay_ms=0",
        "-Dlogback.configurationFile=" + logback));
    options.addAll(JDK17_ACCESS);
    Files.createDirectories(home.resolve("triggers"));
    ForkedJvm node = launch(ForkedJvm.builder("cassandra").classpath(null, ServerHome.libDir("cassandra"))
        .jvmOptions(options).mainClass("org.apache.cassandra.service.CassandraDaemon").workDir(home)
        .logFile(logFile).build());
    Readiness.await("cassandra", node, Duration.ofSeconds(180), () -> {
      if (!Ports.accepting(ports.cassandraNative())) {
        return false;
      }
      try (CqlSession session = session()) {
        return session.execute("SELECT release_version FROM system.local").one() != null;
      } catch (com.datastax.oss.driver.api.core.AllNodesFailedException notYet) {
        return false; // e.g. the superuser not created yet
      }
    });
    applySchema();
    LOG.info("event=ready server=cassandra contact_point=127.0.0.1:{} pid={}", ports.cassandraNative(), node.pid());
  }

  private void applySchema() {
    try (CqlSession session = session()) {
      for (InitScripts.Script script : InitScripts.load("cassandra", ".cql")) {
        for (String statement : InitScripts.cqlStatements(script.text())) {
          session.execute(statement);
        }
        LOG.info("event=init_script_applied server=cassandra script={}", script.name());
      }
    }
  }

  private CqlSession session() {
    return superuser().applyTo(CqlSession.builder()
        .addContactPoint(new InetSocketAddress("127.0.0.1", ports.cassandraNative()))
        .withLocalDatacenter(LOCAL_DATACENTER)
        .withConfigLoader(DriverConfigLoader.programmaticBuilder()
            .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
            .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
            .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofSeconds(30))
            .build()))
        .build();
  }

  private String securityYaml(Path keyStore) {
    if (!secured) {
      return "";
    }
    return """
        authenticator: PasswordAuthenticator
        authorizer: CassandraAuthorizer
        role_manager: CassandraRoleManager
        client_encryption_options:
          enabled: true
          optional: false
          keystore: %s
          keystore_password: %s
          store_type: PKCS12
        """.formatted(keyStore, STORE_PASSWORD);
  }

  private Path writeYaml(Path keyStore) throws IOException {
    String yaml = """
        # written by local-stack on every start
        cluster_name: local-stack
        num_tokens: 16
        allocate_tokens_for_local_replication_factor: 1
        partitioner: org.apache.cassandra.dht.Murmur3Partitioner
        endpoint_snitch: SimpleSnitch
        # group commit: a write is acknowledged only after its commit log segment is fsynced, so a
        # kill -9 loses nothing acknowledged (periodic mode loses up to the period on one node).
        commitlog_sync: group
        commitlog_sync_group_window: 10ms
        seed_provider:
          - class_name: org.apache.cassandra.locator.SimpleSeedProvider
            parameters:
              # without a port: a seed with a port broke gossip when storage_port was changed
              - seeds: "127.0.0.1"
        listen_address: 127.0.0.1
        rpc_address: 127.0.0.1
        storage_port: %d
        native_transport_port: %d
        start_native_transport: true
        data_file_directories:
          - %s
        commitlog_directory: %s
        saved_caches_directory: %s
        hints_directory: %s
        cdc_raw_directory: %s
        memtable_heap_space: 64MiB
        memtable_offheap_space: 64MiB
        key_cache_size: 8MiB
        concurrent_compactors: 1
        concurrent_reads: 8
        concurrent_writes: 16
        auto_snapshot: false
        snapshot_on_duplicate_row_detection: false
        """.formatted(ports.cassandraStorage(), ports.cassandraNative(), home.resolve("data"),
        home.resolve("commitlog"), home.resolve("saved_caches"), home.resolve("hints"), home.resolve("cdc_raw"))
        + securityYaml(keyStore);
    Path file = home.resolve("cassandra.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private Path writeLogback() throws IOException {
    Path file = home.resolve("logback.xml");
    Files.writeString(file, """
        <configuration>
          <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
            <encoder><pattern>%d{ISO8601,UTC}Z %-5level [%thread] %logger{20} - %msg%n</pattern></encoder>
          </appender>
          <logger name="org.apache.cassandra.db.compaction" level="WARN"/>
          <root level="INFO"><appender-ref ref="out"/></root>
        </configuration>
        """);
    return file;
  }

  @Override
  public Map<String, String> connectionProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("cassandra.contact.points", "127.0.0.1:" + ports.cassandraNative());
    p.put("cassandra.local.datacenter", LOCAL_DATACENTER);
    if (secured) {
      p.put("cassandra.superuser", SUPERUSER);
      p.put("cassandra.superuser.password", SUPERUSER);
      p.put("cassandra.truststore", superuser().trustStore().toString());
      p.put("cassandra.truststore.password", STORE_PASSWORD);
    }
    p.put("cassandra.keyspace", "activity");
    return p;
  }
}
