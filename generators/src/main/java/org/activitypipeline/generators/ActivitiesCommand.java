package org.activitypipeline.generators;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.activitypipeline.common.time.ActivityBuckets;
import org.activitypipeline.generators.activities.ActivityGenerator;
import org.activitypipeline.generators.activities.Roster;
import org.activitypipeline.generators.run.GeneratorException;
import org.activitypipeline.generators.run.RatePacer;
import org.activitypipeline.generators.run.Ticker;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import org.activitypipeline.common.source.CassandraSecurity;
import picocli.CommandLine.Option;

/** {@code generators activities ...}: a steady stream of activity rows into Cassandra. */
@Command(name = "activities", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Writes employee activity rows (login, logout, email, meeting, file_access, vpn_connect, code_commit, "
            + "chat_message, print_job on laptops, desktops, phones and tablets) into Cassandra's "
            + "KEYSPACE.employee_activity, for the employees PostgreSQL lists as active, read again every "
            + "--roster-refresh: new hires start acting, employees deleted (or no longer active) stop, while late "
            + "uploads of what they did before still arrive.",
        "Each row's activity_id is a new time-based UUID; its write time picks the (ingest_hour, shard) partition. "
            + "event_time is earlier than the write time (with --time-scale: than the scaled event clock): by "
            + "milliseconds to 30 s, out of order by up to 3 min, or late by 5 min to 6 h.",
        "Writes are asynchronous with a bounded number in flight. Progress goes to stderr every second; "
            + "Ctrl-C / SIGTERM stops, waits for the writes in flight and prints a summary."})
final class ActivitiesCommand implements Callable<Integer> {
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(20);

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--contact-point", defaultValue = "127.0.0.1:19042", paramLabel = "HOST:PORT",
      description = "A Cassandra node. Default: ${DEFAULT-VALUE}.")
  String contactPoint;

  @Option(names = "--local-dc", defaultValue = "datacenter1", paramLabel = "DC",
      description = "The driver's local datacenter. Default: ${DEFAULT-VALUE}.")
  String localDc;

  @Option(names = "--cassandra-user", paramLabel = "USER",
      description = "User of Cassandra's PasswordAuthenticator (its password from CASSANDRA_PASSWORD). Default: none.")
  String cassandraUser;

  @Option(names = "--cassandra-truststore", paramLabel = "FILE", description = "PKCS12 trust store for Cassandra's"
      + " client encryption (its password from CASSANDRA_TRUSTSTORE_PASSWORD). Default: plaintext.")
  java.nio.file.Path cassandraTrustStore;

  @Option(names = "--keyspace", defaultValue = "activity", description = "Default: ${DEFAULT-VALUE}.")
  String keyspace;

  @Option(names = "--shards", paramLabel = "N",
      description = "Shards per ingest_hour; must match the poller's. Default: " + ActivityBuckets.DEFAULT_SHARDS + ".")
  int shards = ActivityBuckets.DEFAULT_SHARDS;

  @Option(names = "--rate", defaultValue = "500", paramLabel = "PER_SECOND",
      description = "Rows per second; 0 = as fast as Cassandra accepts them. Default: ${DEFAULT-VALUE}.")
  double rate;

  @Option(names = "--late-fraction", defaultValue = "0.05", paramLabel = "F",
      description = "Share of rows uploaded late (event_time 5 min to 6 h before the write). Default: ${DEFAULT-VALUE}.")
  double lateFraction;

  @Option(names = "--out-of-order-fraction", defaultValue = "0.1", paramLabel = "F",
      description = "Share of rows held back 30 s to 3 min, arriving after newer ones. Default: ${DEFAULT-VALUE}.")
  double outOfOrderFraction;

  @Option(names = "--time-scale", defaultValue = "1", paramLabel = "F",
      description = "Event time runs F times faster than real time (demos and tests: with 60, an hour of event time "
          + "passes every real minute, so hourly windows close and the batch horizon advances within minutes). "
          + "Write times and partitions stay real. The event clock is start + (now - start) * F from the "
          + "generator's start; the lags above are in event time. At most 1000000. Default: ${DEFAULT-VALUE}.")
  double timeScale;

  @Option(names = "--roster-refresh", defaultValue = "10s", paramLabel = "TIME", converter = DurationConverter.class,
      description = "How often to read the active employees from PostgreSQL again; 0 reads them once at start. "
          + "Default: ${DEFAULT-VALUE}.")
  Duration rosterRefresh;

  @Option(names = "--consistency", defaultValue = ActivityGenerator.DEFAULT_CONSISTENCY, paramLabel = "LEVEL",
      description = "Write consistency level, e.g. LOCAL_ONE or LOCAL_QUORUM. Default: ${DEFAULT-VALUE}.")
  String consistency;

  @Option(names = "--max-in-flight", defaultValue = "" + ActivityGenerator.DEFAULT_MAX_IN_FLIGHT, paramLabel = "N",
      description = "Most writes outstanding at once. Default: ${DEFAULT-VALUE}.")
  int maxInFlight;

  @Mixin
  RunOptions run;

  @Mixin
  PostgresOptions postgres;


  @Override
  public Integer call() {
    validate();
    RunLimits limits = run.limits(spec.commandLine());
    long seed = run.seed();
    PrintWriter err = spec.commandLine().getErr();
    try (StopSignal stop = StopSignal.install("activities")) {
      return run(err, stop, limits, seed);
    }
  }

  private void validate() {
    String problem = null;
    if (shards < 1) {
      problem = "--shards must be >= 1";
    } else if (!(rate >= 0) || Double.isInfinite(rate)) {
      problem = "--rate must be a number >= 0";
    } else if (!(lateFraction >= 0 && lateFraction <= 1) || !(outOfOrderFraction >= 0 && outOfOrderFraction <= 1)) {
      problem = "--late-fraction and --out-of-order-fraction must be in [0, 1]";
    } else if (rosterRefresh.isNegative()) {
      problem = "--roster-refresh must not be negative";
    } else if (maxInFlight < 1) {
      problem = "--max-in-flight must be >= 1";
    } else if (!validTimeScale()) {
      problem = "--time-scale must be a number > 0 and at most 1000000, was " + timeScale;
    } else {
      try {
        ActivityGenerator.consistencyLevel(consistency);
      } catch (IllegalArgumentException e) {
        problem = "--consistency: " + e.getMessage();
      }
    }
    if (problem != null) {
      throw new CommandLine.ParameterException(spec.commandLine(), problem);
    }
  }

  private boolean validTimeScale() {
    try {
      ActivityGenerator.checkTimeScale(timeScale);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Passwords come from the environment, never the command line (which any user of the host can list). */
  private CassandraSecurity cassandraSecurity() {
    String password = System.getenv("CASSANDRA_PASSWORD");
    if (cassandraUser != null && (password == null || password.isEmpty())) {
      throw new GeneratorException("--cassandra-user needs its password in CASSANDRA_PASSWORD", null);
    }
    String trustPassword = System.getenv("CASSANDRA_TRUSTSTORE_PASSWORD");
    if (cassandraTrustStore != null && (trustPassword == null || trustPassword.isEmpty())) {
      throw new GeneratorException("--cassandra-truststore needs its password in CASSANDRA_TRUSTSTORE_PASSWORD", null);
    }
    return new CassandraSecurity(cassandraUser, cassandraUser == null ? null : password, cassandraTrustStore,
        cassandraTrustStore == null ? null : trustPassword);
  }

  private int run(PrintWriter err, StopSignal stop, RunLimits limits, long seed) {
    try {
      Roster roster = Roster.fromPostgres(postgres.jdbcUrl, postgres.user, postgres.password, rosterRefresh);
      roster.refreshIfDue(Instant.now(), System.nanoTime());
      err.println("activities: " + roster.size() + " active employees in " + postgres.jdbcUrl
          + (rosterRefresh.isZero() ? "" : ", read again every " + rosterRefresh.toSeconds() + " s"));
      CassandraSecurity security = cassandraSecurity();
      try (ActivityGenerator gen = QuietDriverStartup.run(() -> ActivityGenerator.connect(contactPoint, localDc,
          security, keyspace, shards, seed, consistency, maxInFlight, timeScale))) {
        err.println("activities: writing to " + keyspace + ".employee_activity at " + contactPoint + " (shards="
            + shards + ", consistency=" + consistency + ", seed=" + seed
            + (timeScale != 1 ? ", time_scale=" + timeScale : "") + "), "
            + (rate > 0 ? rate + " rows/s" : "as fast as possible") + " " + limits.describe("rows"));
        err.flush();
        long start = System.nanoTime();
        int exit;
        try (ProgressReporter progress = new ProgressReporter("activities", err, gen::written, gen::failed,
            () -> "in_flight=" + gen.inFlight() + " employees=" + roster.size() + " joined=" + roster.joined()
                + " left=" + roster.left() + (roster.failedRefreshes() == 0 ? ""
                : " failed_refreshes=" + roster.failedRefreshes() + " (" + roster.lastRefreshError() + ")"))) {
          exit = loop(stop, limits, gen, roster, start);
          if (!gen.awaitInFlight(DRAIN_TIMEOUT)) {
            err.println("activities: error: " + gen.inFlight() + " writes still in flight after " + DRAIN_TIMEOUT);
            exit = 1;
          }
        }
        err.println(ProgressLine.summary("activities", gen.written(), gen.failed(), System.nanoTime() - start,
            "late=" + gen.lateWritten()));
        if (gen.failed() > 0) {
          err.println("error: " + gen.failed() + " writes failed, the last with: " + gen.lastError());
          exit = 1;
        }
        err.flush();
        return exit;
      }
    } catch (GeneratorException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("error: interrupted");
      return 1;
    }
  }

  private int loop(StopSignal stop, RunLimits limits, ActivityGenerator gen, Roster roster, long start)
      throws InterruptedException {
    RatePacer pacer = new RatePacer(rate, Ticker.SYSTEM);
    long sent = 0;
    while (!limits.countReached(sent)
        && pacer.acquire(() -> stop.requested() || limits.timeUp(System.nanoTime() - start))) {
      gen.submit(roster, lateFraction, outOfOrderFraction);
      sent++;
    }
    return 0;
  }
}
