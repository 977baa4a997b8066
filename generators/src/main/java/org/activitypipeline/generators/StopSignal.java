package org.activitypipeline.generators;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns SIGTERM / Ctrl-C into a stop request for a run loop, and makes the JVM wait for the loop to
 * finish its in-flight work and print its summary: the shutdown hook sets the flag, then waits (at
 * most {@link #GRACE_SECONDS} s) until the run {@link #close() closes} this signal.
 */
final class StopSignal implements AutoCloseable {
  static final int GRACE_SECONDS = 30;

  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread hook;
  private volatile boolean requested;

  private StopSignal(String name) {
    hook = new Thread(() -> {
      requested = true;
      try {
        finished.await(GRACE_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, name + "-shutdown");
  }

  static StopSignal install(String name) {
    StopSignal signal = new StopSignal(name);
    Runtime.getRuntime().addShutdownHook(signal.hook);
    return signal;
  }

  boolean requested() {
    return requested;
  }

  /** The run is over: lets a waiting shutdown proceed and unregisters the hook (unless shutting down). */
  @Override
  public void close() {
    finished.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to; it returns now that finished is counted down
    }
  }
}
