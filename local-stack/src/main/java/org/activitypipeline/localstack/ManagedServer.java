package org.activitypipeline.localstack;

import java.util.Map;

/**
 * One real server of the local stack. {@link #start()} blocks until the server answers a real
 * request (not just an open port). Tests use {@link #kill()} and {@link #start()} to simulate a
 * crash and recovery of this one server while the others keep running.
 *
 * <p>Not thread-safe: one thread (the stack, or a test) drives the lifecycle.
 */
public interface ManagedServer extends AutoCloseable {
  ServerKind kind();

  /** Starts the server (initialising its data on first start) and waits until it is ready. */
  void start() throws Exception;

  /** Graceful stop (SIGTERM or the server's own shutdown); waits for the process to exit. Idempotent. */
  void stop();

  /** {@code kill -9} of the server's process(es): no shutdown hook, no flush. Idempotent. */
  void kill();

  boolean isRunning();

  /** OS process id of the (main) server process, or -1 when not running. */
  long pid();

  /** Every OS process of this server (HDFS has two), for resource reports. */
  default java.util.List<Long> pids() {
    return java.util.List.of(pid());
  }

  /** Connection settings for {@code stack.properties}, e.g. {@code kafka.bootstrap.servers}. */
  Map<String, String> connectionProperties();

  @Override
  default void close() {
    stop();
  }
}
