package org.activitypipeline.localstack;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.activitypipeline.localstack.cassandra.CassandraServer;
import org.activitypipeline.localstack.hdfs.HdfsServer;
import org.activitypipeline.localstack.hive.HiveMetastoreServer;
import org.activitypipeline.localstack.hive.HiveServer2Server;
import org.activitypipeline.localstack.kafka.KafkaServer;
import org.activitypipeline.localstack.postgres.PostgresServer;
import org.activitypipeline.localstack.process.ServerStartException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: real PostgreSQL, Kafka, Cassandra, HDFS, Hive Metastore and HiveServer2
 * on 127.0.0.1, with all data under one folder. This is the one entry point; the command line
 * ({@code local-stack up}) and the JUnit extension both drive it.
 *
 * <pre>{@code
 * try (LocalStack stack = LocalStack.create(Path.of("data"), StackPorts.defaults())) {
 *   stack.start(EnumSet.allOf(ServerKind.class));
 *   stack.server(ServerKind.KAFKA).kill();   // crash one server ...
 *   stack.server(ServerKind.KAFKA).start();  // ... and bring it back
 * }
 * }</pre>
 *
 * <p>Servers start in parallel where they do not depend on each other. A second stack on the same
 * folder is refused (a lock file), since two servers on one data folder corrupt it. Starting again
 * on a folder keeps every server's data. Not thread-safe: one thread drives the lifecycle.
 */
public final class LocalStack implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

  private final Path dataDir;
  private final StackPorts ports;
  private final Map<ServerKind, ManagedServer> servers = new EnumMap<>(ServerKind.class);
  private final Map<ServerKind, Duration> startTimes = Collections.synchronizedMap(new EnumMap<>(ServerKind.class));
  private final FileChannel lockChannel;
  private final FileLock lock;
  private boolean closed;

  private LocalStack(Path dataDir, StackPorts ports, boolean securedCassandra) throws IOException {
    this.dataDir = dataDir.toAbsolutePath().normalize();
    this.ports = ports;
    Files.createDirectories(this.dataDir);
    this.lockChannel = FileChannel.open(this.dataDir.resolve(".local-stack.lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    FileLock acquired;
    try {
      acquired = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      acquired = null;
    }
    if (acquired == null) {
      lockChannel.close();
      throw new ServerStartException("another local stack is running on " + this.dataDir
          + "; stop it first (Ctrl-C in its terminal) or choose another --data-dir");
    }
    this.lock = acquired;
    servers.put(ServerKind.POSTGRES, new PostgresServer(this.dataDir, ports));
    servers.put(ServerKind.KAFKA, new KafkaServer(this.dataDir, ports));
    servers.put(ServerKind.CASSANDRA, new CassandraServer(this.dataDir, ports, securedCassandra));
    servers.put(ServerKind.HDFS, new HdfsServer(this.dataDir, ports));
    servers.put(ServerKind.HIVE_METASTORE, new HiveMetastoreServer(this.dataDir, ports));
    servers.put(ServerKind.HIVESERVER2, new HiveServer2Server(this.dataDir, ports));
  }

  /** A stack on {@code dataDir} (created if missing); nothing starts until {@link #start}. */
  public static LocalStack create(Path dataDir, StackPorts ports) throws IOException {
    return new LocalStack(dataDir, ports, false);
  }

  /**
   * A stack whose Cassandra requires a password and client encryption (see {@link CassandraServer}):
   * for tests of the clients' credentials and TLS. Its connection properties name the superuser and the
   * trust store.
   */
  public static LocalStack createWithSecuredCassandra(Path dataDir, StackPorts ports) throws IOException {
    return new LocalStack(dataDir, ports, true);
  }

  /**
   * Starts {@code kinds} and what they require, skipping servers already running; returns when all
   * are ready. On failure, the servers this call started are stopped again.
   */
  public void start(Set<ServerKind> kinds) {
    if (closed) {
      throw new IllegalStateException("the stack was closed");
    }
    Set<ServerKind> wanted = ServerKind.withRequirements(kinds);
    Map<ServerKind, CompletableFuture<Void>> started = new EnumMap<>(ServerKind.class);
    List<ServerKind> startedNow = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(wanted.size(), r -> {
      Thread t = new Thread(r, "local-stack-start");
      t.setDaemon(true);
      return t;
    });
    try {
      for (ServerKind kind : wanted) { // enum order: requirements come first
        List<CompletableFuture<Void>> before = kind.requires().stream().map(started::get).toList();
        started.put(kind, CompletableFuture.allOf(before.toArray(CompletableFuture[]::new))
            .thenRunAsync(() -> {
              if (!servers.get(kind).isRunning()) {
                startOne(kind);
                startedNow.add(kind);
              }
            }, pool));
      }
      CompletableFuture.allOf(started.values().toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      List<ServerKind> undo = new ArrayList<>(startedNow);
      Collections.reverse(undo);
      undo.forEach(kind -> servers.get(kind).stop());
      Throwable cause = e.getCause() instanceof CompletionException ce ? ce.getCause() : e.getCause();
      throw cause instanceof ServerStartException sse ? sse
          : new ServerStartException("local stack failed to start: " + cause, cause);
    } finally {
      pool.shutdownNow();
    }
  }

  private void startOne(ServerKind kind) {
    long t0 = System.nanoTime();
    LOG.info("event=starting server={}", kind.cliName());
    try {
      servers.get(kind).start();
    } catch (ServerStartException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServerStartException(kind.cliName() + " start was interrupted", e);
    } catch (Exception e) {
      throw new ServerStartException(kind.cliName() + " failed to start: " + e, e);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    startTimes.put(kind, took);
    LOG.info("event=started server={} seconds={}", kind.cliName(), String.format("%.1f", took.toMillis() / 1000.0));
  }

  /** The server of {@code kind}, running or not, for tests that stop, kill or restart it. */
  public ManagedServer server(ServerKind kind) {
    return servers.get(kind);
  }

  public Path dataDir() {
    return dataDir;
  }

  public StackPorts ports() {
    return ports;
  }

  /** How long each server took to become ready at its last start. */
  public Map<ServerKind, Duration> startTimes() {
    synchronized (startTimes) {
      return Map.copyOf(startTimes);
    }
  }

  /** Connection settings of the running servers: the content of {@code stack.properties}. */
  public Map<String, String> connectionProperties() {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("stack.data.dir", dataDir.toString());
    servers.forEach((kind, server) -> {
      if (server.isRunning()) {
        all.putAll(server.connectionProperties());
      }
    });
    return all;
  }

  /** Writes {@link #connectionProperties()} to {@code DIR/stack.properties} and returns the file. */
  public Path writeStackProperties() throws IOException {
    StringBuilder sb = new StringBuilder("# Connection settings of the local stack, written " + Instant.now() + "\n");
    new TreeMap<>(connectionProperties()).forEach((k, v) -> sb.append(k).append('=')
        .append(v.replace("\\", "\\\\")).append('\n'));
    Path file = dataDir.resolve("stack.properties");
    Path tmp = dataDir.resolve("stack.properties.tmp");
    Files.writeString(tmp, sb.toString());
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return file;
  }

  /** Stops every running server gracefully, dependants first. Idempotent. */
  public void stop() {
    List<ServerKind> order = new ArrayList<>(List.of(ServerKind.values()));
    Collections.reverse(order);
    for (ServerKind kind : order) {
      try {
        servers.get(kind).stop();
      } catch (RuntimeException e) {
        LOG.warn("event=stop_failed server={} error={}", kind.cliName(), e.toString());
      }
    }
  }

  /** {@link #stop()} and release the data folder. Safe to call twice, also from a shutdown hook. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stop();
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      LOG.warn("event=unlock_failed error={}", e.toString());
    }
  }
}
