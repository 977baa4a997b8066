package org.activitypipeline.localstack.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.activitypipeline.common.topic.TopicReadiness;
import org.activitypipeline.common.topic.TopicSpec;
import org.activitypipeline.common.topic.Topics;
import org.activitypipeline.localstack.ServerKind;
import org.activitypipeline.localstack.StackPorts;
import org.activitypipeline.localstack.process.ForkedJvm;
import org.activitypipeline.localstack.process.ForkedServer;
import org.activitypipeline.localstack.process.Log4j2Config;
import org.activitypipeline.localstack.process.Ports;
import org.activitypipeline.localstack.process.Readiness;
import org.activitypipeline.localstack.process.ServerHome;
import org.activitypipeline.localstack.process.ServerStartException;
import org.activitypipeline.localstack.process.TlsStores;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kafka broker in KRaft mode (combined broker and controller) in a forked JVM. Storage is
 * formatted once; every start then creates the missing topics of {@link Topics#ALL}.
 */
public final class KafkaServer extends ForkedServer {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaServer.class);
  private static final List<String> JVM_OPTIONS = List.of("-Xms256m", "-Xmx512m", "-XX:+UseG1GC",
      "-XX:MaxGCPauseMillis=20", "-Djava.awt.headless=true", "-Djava.net.preferIPv4Stack=true");

  private final Path home;
  private final Path logFile;
  private final StackPorts ports;

  public KafkaServer(Path stackDataDir, StackPorts ports) {
    super(Duration.ofSeconds(60)); // a controlled shutdown flushes logs and checkpoints: seconds
    this.home = stackDataDir.resolve("kafka");
    this.logFile = stackDataDir.resolve("logs").resolve("kafka.log");
    this.ports = ports;
  }

  @Override
  public ServerKind kind() {
    return ServerKind.KAFKA;
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + ports.kafka();
  }

  @Override
  public void start() throws IOException, InterruptedException {
    if (isRunning()) {
      return;
    }
    Ports.requireFree("kafka", ports.of(kind()));
    Path config = writeServerProperties();
    String log4j = Log4j2Config.write(home.resolve("log4j2.properties"), Map.of(
        "kafka.log.LogCleaner", "warn", "org.apache.kafka.storage.internals.log", "warn",
        "kafka.server.ReplicaFetcherManager", "warn", "org.apache.kafka.coordinator", "warn",
        "state.change.logger", "warn", "kafka.coordinator", "warn", "org.apache.kafka.raft", "warn"));
    Path libDir = ServerHome.libDir("kafka");
    if (!Files.exists(home.resolve("data").resolve("meta.properties"))) {
      ForkedJvm format = jvm("kafka-format", libDir, log4j)
          .mainClass("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString())
          .build();
      int exit = format.runToCompletion(Duration.ofMinutes(2));
      if (exit != 0) {
        throw new ServerStartException("formatting Kafka storage failed (exit " + exit + "):\n" + format.logTail(20));
      }
    }
    ForkedJvm broker = launch(jvm("kafka", libDir, log4j).mainClass("kafka.Kafka", config.toString()).build());
    try (Admin admin = admin()) {
      Readiness.await("kafka", broker, Duration.ofSeconds(120),
          () -> !admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty());
      createMissingTopics(admin);
    }
    LOG.info("event=ready server=kafka bootstrap={} pid={}", bootstrapServers(), broker.pid());
  }

  private ForkedJvm.Builder jvm(String name, Path libDir, String log4jOption) {
    List<String> options = new ArrayList<>(JVM_OPTIONS);
    options.add(log4jOption);
    return ForkedJvm.builder(name).classpath(null, libDir).jvmOptions(options).workDir(home).logFile(logFile);
  }

  /** Password of the broker's key store and of the trust store clients of the SASL_SSL listener use. */
  static final String STORE_PASSWORD = "local-stack-tls";

  public String secureBootstrapServers() {
    return "127.0.0.1:" + ports.kafkaSecure();
  }

  public Path trustStore() {
    return home.resolve("tls").resolve("truststore.p12").toAbsolutePath();
  }

  /**
   * Two client listeners: PLAINTEXT, the stack's own (set-up, local development; its anonymous
   * principal is a super user), and SECURE, SASL_SSL with SCRAM-SHA-512 over TLS, where every principal
   * gets only what ACLs grant (StandardAuthorizer, nothing allowed without an ACL). Users and ACLs are
   * created through the PLAINTEXT listener ({@code Admin#alterUserScramCredentials}, {@code createAcls}).
   */
  private Path writeServerProperties() throws IOException, InterruptedException {
    Path keyStore = TlsStores.ensure(home.resolve("tls"), STORE_PASSWORD);
    Properties p = new Properties();
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", "1");
    p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + ports.kafkaController());
    p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + ports.kafka() + ",SECURE://127.0.0.1:"
        + ports.kafkaSecure() + ",CONTROLLER://127.0.0.1:" + ports.kafkaController());
    p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + ports.kafka() + ",SECURE://127.0.0.1:"
        + ports.kafkaSecure());
    p.setProperty("controller.listener.names", "CONTROLLER");
    p.setProperty("inter.broker.listener.name", "PLAINTEXT");
    p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SECURE:SASL_SSL,CONTROLLER:PLAINTEXT");
    p.setProperty("sasl.enabled.mechanisms", "SCRAM-SHA-512");
    p.setProperty("listener.name.secure.scram-sha-512.sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    p.setProperty("listener.name.secure.ssl.keystore.type", "PKCS12");
    p.setProperty("listener.name.secure.ssl.keystore.location", keyStore.toString());
    p.setProperty("listener.name.secure.ssl.keystore.password", STORE_PASSWORD);
    p.setProperty("listener.name.secure.ssl.key.password", STORE_PASSWORD);
    p.setProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    p.setProperty("super.users", "User:ANONYMOUS");
    p.setProperty("allow.everyone.if.no.acl.found", "false");
    p.setProperty("log.dirs", home.resolve("data").toAbsolutePath().toString());
    // Topics are created explicitly with their declared partitions and cleanup policy; a typo in
    // a client's topic name must fail, not create a 1-partition topic.
    p.setProperty("auto.create.topics.enable", "false");
    p.setProperty("num.partitions", "1");
    p.setProperty("offsets.topic.replication.factor", "1");
    p.setProperty("offsets.topic.num.partitions", "10");
    p.setProperty("transaction.state.log.replication.factor", "1");
    p.setProperty("transaction.state.log.min.isr", "1");
    p.setProperty("transaction.state.log.num.partitions", "10");
    p.setProperty("share.coordinator.state.topic.replication.factor", "1");
    p.setProperty("share.coordinator.state.topic.min.isr", "1");
    p.setProperty("group.initial.rebalance.delay.ms", "0");
    p.setProperty("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
    p.setProperty("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
    p.setProperty("log.retention.hours", "168");
    Files.createDirectories(home);
    Path file = home.resolve("server.properties");
    try (var out = Files.newBufferedWriter(file)) {
      p.store(out, "written by local-stack on every start");
    }
    return file;
  }

  private Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000));
  }

  private void createMissingTopics(Admin admin) throws InterruptedException {
    Set<String> existing;
    try {
      existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new ServerStartException("cannot list Kafka topics: " + e.getMessage(), e);
    }
    List<NewTopic> missing = new ArrayList<>();
    for (TopicSpec spec : Topics.ALL) {
      if (!existing.contains(spec.name())) {
        Map<String, String> configs = new java.util.HashMap<>();
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, spec.cleanupPolicy().configValue());
        if (spec == Topics.PROCESSED_EMPLOYEES || spec == Topics.PROCESSED_DEPARTMENTS) {
          // As deploy/create-topics.sh: the batch layer and the processor's as-of join
          // (enrich.employee-history) need the versions, so compaction waits a week.
          configs.put(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, String.valueOf(7L * 24 * 3600 * 1000));
        }
        missing.add(new NewTopic(spec.name(), spec.partitions(), (short) 1).configs(configs));
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    try {
      admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new ServerStartException("cannot create Kafka topics: " + e.getCause(), e);
      }
    } catch (java.util.concurrent.TimeoutException e) {
      throw new ServerStartException("creating Kafka topics timed out", e);
    }
    List<String> names = missing.stream().map(NewTopic::name).toList();
    try {
      // Writers start right after the stack: a first write must not race the partition's creation.
      TopicReadiness.await(admin, names, Duration.ofSeconds(60));
    } catch (IllegalStateException e) {
      throw new ServerStartException(e.getMessage(), e);
    }
    LOG.info("event=topics_created server=kafka topics={}", names);
  }

  @Override
  public Map<String, String> connectionProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("kafka.bootstrap.servers", bootstrapServers());
    p.put("kafka.secure.bootstrap.servers", secureBootstrapServers());
    p.put("kafka.secure.truststore", trustStore().toString());
    p.put("kafka.secure.truststore.password", STORE_PASSWORD);
    return p;
  }
}
