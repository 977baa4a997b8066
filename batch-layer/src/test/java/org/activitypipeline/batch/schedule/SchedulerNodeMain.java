package org.activitypipeline.batch.schedule;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A scheduler node in its own JVM, for the failover test to {@code kill -9}. Runs the jobs
 * {@code tick} (every second) and {@code long} (triggered once at start, runs for ten minutes),
 * both recorded in the {@link RunTable}, with a one-second cluster check-in.
 *
 * <p>Arguments: JDBC URL, user, password, scheduler name, instance id.
 */
public final class SchedulerNodeMain {
  static final String TICK = "tick";
  static final String LONG = "long";
  static final Duration CHECKIN = Duration.ofSeconds(1);

  private SchedulerNodeMain() {}

  public static void main(String[] args) throws Exception {
    RunTable table = new RunTable(args[0], args[1], args[2]);
    String scheduler = args[3];
    String instance = args[4];
    JobScheduler node = new JobScheduler(settings(table, scheduler, instance), List.of(
        new RecordingJob(TICK, table, scheduler, instance, Duration.ZERO, false),
        new RecordingJob(LONG, table, scheduler, instance, Duration.ofMinutes(10), false)));
    node.start();
    node.triggerNow(LONG);
    new CountDownLatch(1).await();
  }

  /** The same configuration on both nodes, as in production. */
  static SchedulerSettings settings(RunTable table, String scheduler, String instance) {
    return new SchedulerSettings(table.url(), table.user(), table.password(), scheduler, instance, 2, CHECKIN,
        Duration.ofSeconds(5), Map.of(TICK, "* * * * * ?"));
  }
}
