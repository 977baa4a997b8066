package org.activitypipeline.e2e;

import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.activitypipeline.common.time.ActivityBuckets;
import org.activitypipeline.generators.activities.ActivityGenerator;

/**
 * The activity generator (the same code as {@code generators activities}) writing into Cassandra
 * from a thread of the test, at a steady rate, with event times from the test's clock, until
 * stopped. 5 % of the rows are uploaded late and 10 % out of order, as the command's defaults.
 */
final class ActivityFeed implements AutoCloseable {
  private final ActivityGenerator generator;
  private final List<Long> employeeIds;
  private final double perSecond;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Throwable failure;

  private ActivityFeed(ActivityGenerator generator, List<Long> employeeIds, double perSecond) {
    this.generator = generator;
    this.employeeIds = List.copyOf(employeeIds);
    this.perSecond = perSecond;
    this.thread = new Thread(this::run, "activity-feed");
  }

  static ActivityFeed start(String cassandra, List<Long> employeeIds, UnaryOperator<Instant> eventClock,
                            double perSecond, long seed) {
    ActivityGenerator gen = ActivityGenerator.connect(cassandra, "datacenter1", "activity",
        ActivityBuckets.DEFAULT_SHARDS, seed, ActivityGenerator.DEFAULT_CONSISTENCY,
        ActivityGenerator.DEFAULT_MAX_IN_FLIGHT, eventClock);
    ActivityFeed feed = new ActivityFeed(gen, employeeIds, perSecond);
    feed.thread.start();
    return feed;
  }

  private void run() {
    try {
      while (running) {
        generator.write(Math.max(1, Math.round(perSecond)), employeeIds, 0.05, 0.1, perSecond); // ~1 s a call
      }
    } catch (Throwable e) {
      failure = e;
    }
  }

  /** Rows Cassandra acknowledged so far; throws if the feed failed. */
  long written() {
    if (failure != null) {
      throw new AssertionError("the activity feed failed", failure);
    }
    return generator.written();
  }

  boolean isRunning() {
    return running && thread.isAlive() && failure == null;
  }

  /** Stops after the current second's rows, waits for every write and returns how many were written. */
  long stop() throws InterruptedException {
    running = false;
    thread.join(60_000);
    if (thread.isAlive()) {
      throw new AssertionError("the activity feed did not stop");
    }
    long n = written();
    if (generator.failed() > 0) {
      throw new AssertionError(generator.failed() + " activity writes failed, the last with " + generator.lastError());
    }
    return n;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(60_000);
    generator.close();
  }
}
