package org.activitypipeline.generators;

import java.io.PrintWriter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Prints {@link ProgressLine#progress} once a second from a daemon thread. The counters it reads
 * must be safe to read from another thread (atomics, volatiles).
 */
final class ProgressReporter implements AutoCloseable {
  private final ScheduledExecutorService timer;
  private final String name;
  private final PrintWriter out;
  private final LongSupplier total;
  private final LongSupplier errors;
  private final Supplier<String> extra;
  private final long startNanos;
  private long lastTotal;
  private long lastNanos;

  ProgressReporter(String name, PrintWriter out, LongSupplier total, LongSupplier errors, Supplier<String> extra) {
    this.name = name;
    this.out = out;
    this.total = total;
    this.errors = errors;
    this.extra = extra;
    this.startNanos = System.nanoTime();
    this.lastNanos = startNanos;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, name + "-progress");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(this::print, 1, 1, TimeUnit.SECONDS);
  }

  long elapsedNanos() {
    return System.nanoTime() - startNanos;
  }

  private void print() {
    long now = System.nanoTime();
    long t = total.getAsLong();
    out.println(ProgressLine.progress(name, t - lastTotal, now - lastNanos, t, errors.getAsLong(), extra.get(),
        now - startNanos));
    out.flush();
    lastTotal = t;
    lastNanos = now;
  }

  /** Stops printing; a line being printed finishes first. */
  @Override
  public void close() {
    timer.shutdown();
    try {
      timer.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
