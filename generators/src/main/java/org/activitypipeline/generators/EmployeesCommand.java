package org.activitypipeline.generators;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.activitypipeline.generators.employees.AppliedChange;
import org.activitypipeline.generators.employees.ChangeKind;
import org.activitypipeline.generators.employees.EmployeeGenerator;
import org.activitypipeline.generators.run.GeneratorException;
import org.activitypipeline.generators.run.RatePacer;
import org.activitypipeline.generators.run.Ticker;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code generators employees ...}: seed, then a steady stream of changes. */
@Command(name = "employees", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Seeds departments and employees into PostgreSQL (only when the employees table is empty, so a re-run "
            + "resumes), then commits a steady stream of changes: raises, promotions, department moves, status "
            + "changes, new hires and about 1%% deletes (or only the --kinds chosen). Each change is one row in its "
            + "own transaction.",
        "Progress goes to stderr every second; Ctrl-C / SIGTERM stops after the current change and prints a summary."})
final class EmployeesCommand implements Callable<Integer> {
  private static final int MAX_PRINTED_ERRORS = 10;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  PostgresOptions postgres;

  @Option(names = "--departments", defaultValue = "12", paramLabel = "N",
      description = "Departments to seed. Default: ${DEFAULT-VALUE}.")
  int departments;

  @Option(names = "--employees", defaultValue = "1000", paramLabel = "N",
      description = "Employees to seed; hires and deletes keep the headcount near it. Default: ${DEFAULT-VALUE}.")
  int employees;

  @Option(names = "--rate", defaultValue = "50", paramLabel = "PER_SECOND",
      description = "Changes per second; 0 = as fast as PostgreSQL commits. Default: ${DEFAULT-VALUE}.")
  double rate;

  @Option(names = "--kinds", split = ",", paramLabel = "KIND",
      description = "Only these change kinds, comma-separated: raise, promotion, department_move, status_change, hire, "
          + "delete. Default: all of them. The others get weight 0; the chosen keep their relative weights. Why: a "
          + "test that compares against PostgreSQL's current state needs departments that do not change while "
          + "activities flow (e.g. --kinds raise,promotion,status_change,hire), because the batch layer joins each "
          + "activity to the department as of its event time and the speed layer to the department at processing "
          + "time. When a drawn kind has no valid target, the fallback is a raise, then a hire, then another kind, "
          + "only among the chosen; only when no chosen kind is possible at all (e.g. just promotion with every "
          + "ladder level full, or just department_move with one department) is a raise made anyway: raise is the "
          + "universal fallback.")
  List<String> kinds;

  @Mixin
  RunOptions run;

  @Option(names = "--journal", paramLabel = "FILE",
      description = "Append one line per committed change to FILE: employee_id,op,kind (op: c, u or d; kind: raise, "
          + "promotion, department_move, status_change, hire or delete).")
  Path journal;

  private final AtomicLong done = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicInteger headcount = new AtomicInteger();
  private final Map<String, Long> byKind = new TreeMap<>();

  @Override
  public Integer call() {
    if (departments < 1 || employees < 0 || !(rate >= 0) || Double.isInfinite(rate)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--departments must be >= 1, --employees >= 0 and --rate a number >= 0");
    }
    Set<ChangeKind> chosen = chosenKinds();
    RunLimits limits = run.limits(spec.commandLine());
    long seed = run.seed();
    PrintWriter err = spec.commandLine().getErr();
    try (StopSignal stop = StopSignal.install("employees")) {
      return run(err, stop, limits, seed, chosen);
    }
  }

  private Set<ChangeKind> chosenKinds() {
    if (kinds == null) {
      return EnumSet.allOf(ChangeKind.class);
    }
    try {
      return ChangeKind.parse(kinds);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--kinds: " + e.getMessage());
    }
  }

  private int run(PrintWriter err, StopSignal stop, RunLimits limits, long seed, Set<ChangeKind> chosen) {
    try (EmployeeGenerator gen = EmployeeGenerator.connect(postgres.jdbcUrl, postgres.user, postgres.password, seed,
        chosen);
         ChangeJournal changes = journal == null ? null : ChangeJournal.open(journal)) {
      err.println("employees: connected to " + postgres.jdbcUrl + ", seed=" + seed);
      int seeded = gen.seed(departments, employees);
      err.println(seeded > 0 ? "employees: seeded " + seeded + " employees in " + departments + " departments"
          : "employees: " + gen.headcount() + " employees exist, not seeding");
      headcount.set(gen.headcount());
      err.println("employees: changing " + (rate > 0 ? rate + " rows/s" : "as fast as possible") + " "
          + limits.describe("changes") + (chosen.size() < ChangeKind.values().length
          ? ", kinds: " + String.join(",", chosen.stream().map(ChangeKind::label).toList()) : ""));
      err.flush();
      long start = System.nanoTime();
      int exit;
      try (ProgressReporter progress = new ProgressReporter("employees", err, done::get, errors::get,
          () -> "employees=" + headcount.get())) {
        exit = loop(err, stop, limits, gen, changes, start);
      }
      err.println(ProgressLine.summary("employees", done.get(), errors.get(), System.nanoTime() - start,
          "conflicts=" + gen.conflicts() + ", employees=" + gen.headcount() + ", by_kind=" + byKind));
      err.flush();
      return exit;
    } catch (GeneratorException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return 1;
    }
  }

  private int loop(PrintWriter err, StopSignal stop, RunLimits limits, EmployeeGenerator gen, ChangeJournal changes,
                   long start) {
    RatePacer pacer = new RatePacer(rate, Ticker.SYSTEM);
    long attempts = 0;
    try {
      while (!limits.countReached(attempts)
          && pacer.acquire(() -> stop.requested() || limits.timeUp(System.nanoTime() - start))) {
        attempts++;
        AppliedChange change;
        try {
          change = gen.applyNext();
        } catch (GeneratorException e) {
          if (errors.incrementAndGet() <= MAX_PRINTED_ERRORS) {
            err.println("employees: error: " + e.getMessage());
          }
          if (!gen.connectionAlive()) {
            err.println("error: lost the connection to PostgreSQL at " + postgres.jdbcUrl + ": " + e.getMessage());
            return 1;
          }
          continue;
        }
        if (changes != null) {
          changes.append(change); // a failed journal write ends the run: the journal must match the database
        }
        done.incrementAndGet();
        byKind.merge(change.kind(), 1L, Long::sum);
        headcount.set(gen.headcount());
      }
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }
}
