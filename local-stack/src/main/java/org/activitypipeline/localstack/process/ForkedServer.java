package org.activitypipeline.localstack.process;

import java.io.IOException;
import java.time.Duration;
import org.activitypipeline.localstack.ManagedServer;

/**
 * A server that is one forked JVM: the lifecycle half of {@link ManagedServer} (stop, kill, state,
 * pid) done once; subclasses write their configuration, {@link #launch} the JVM and wait for it.
 */
public abstract class ForkedServer implements ManagedServer {
  private final Duration stopTimeout;
  private ForkedJvm jvm;

  /** @param stopTimeout how long SIGTERM may take before SIGKILL (a graceful flush takes seconds) */
  protected ForkedServer(Duration stopTimeout) {
    this.stopTimeout = stopTimeout;
  }

  /** Starts {@code server}; from now on stop, kill and the state refer to it. */
  protected final ForkedJvm launch(ForkedJvm server) throws IOException {
    this.jvm = server;
    server.start();
    return server;
  }

  @Override
  public final void stop() {
    if (jvm != null) {
      jvm.stop(stopTimeout);
    }
  }

  @Override
  public final void kill() {
    if (jvm != null) {
      jvm.kill();
    }
  }

  @Override
  public final boolean isRunning() {
    return jvm != null && jvm.isAlive();
  }

  @Override
  public final long pid() {
    return jvm == null ? -1 : jvm.pid();
  }
}
