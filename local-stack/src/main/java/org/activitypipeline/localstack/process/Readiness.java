package org.activitypipeline.localstack.process;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits until a server answers a real request. Fails fast, with the tail of the server's log, when
 * the process dies while we wait, instead of sitting out the whole timeout.
 */
public final class Readiness {
  private static final Logger LOG = LoggerFactory.getLogger(Readiness.class);

  private Readiness() {
  }

  /**
   * @param check returns true once ready; exceptions count as "not yet"
   * @throws ServerStartException when {@code jvm} exits or {@code timeout} passes
   */
  public static void await(String what, ForkedJvm jvm, Duration timeout, Callable<Boolean> check)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      if (jvm != null && !jvm.isAlive()) {
        throw new ServerStartException(what + " exited with code " + jvm.exitCode() + " while starting; log "
            + jvm.logFile() + " ends with:\n" + jvm.logTail(40));
      }
      try {
        if (Boolean.TRUE.equals(check.call())) {
          return;
        }
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        last = e;
      }
      Thread.sleep(250);
    }
    LOG.warn("event=not_ready server={} last_error={}", what, last == null ? "-" : last.toString());
    throw new ServerStartException(what + " was not ready within " + timeout
        + (last == null ? "" : " (last check failed: " + last + ")")
        + (jvm == null ? "" : "; log " + jvm.logFile() + " ends with:\n" + jvm.logTail(40)));
  }
}
