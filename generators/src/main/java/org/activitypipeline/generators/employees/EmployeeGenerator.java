package org.activitypipeline.generators.employees;

import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.activitypipeline.generators.run.GeneratorException;

/**
 * Seeds and then changes the {@code employees} table of PostgreSQL (schema:
 * {@code init-scripts/postgres/01-employees.sql}), the source of the speed layer's CDC.
 *
 * <pre>{@code
 * try (EmployeeGenerator gen = EmployeeGenerator.connect(url, "pipeline", "pipeline", 42)) {
 *   gen.seed(12, 1000);                                  // no-op when employees exist
 *   List<AppliedChange> changes = gen.applyChanges(500);  // in commit order
 * }
 * }</pre>
 *
 * <p>It keeps a model of the current employees, loaded from the database at {@link #connect} and
 * updated after each commit, so every change is valid (see {@code ChangePlanner}). Every change is
 * one statement in its own transaction, so it becomes exactly one CDC event. The mix of changes can be
 * limited to some {@link ChangeKind}s (see {@link #connect(String, String, String, long, Set)}).
 *
 * <p><b>Reproducible:</b> the same seed on the same starting database (rows and id sequences) gives
 * the same sequence of changes, except for {@code hire_date}, which is the current date.
 *
 * <p><b>Other writers:</b> if a change hits a row the model does not know about (someone else deleted
 * it, or took an email), that employee is re-read from the database, the conflict is counted
 * ({@link #conflicts()}) and another change is planned.
 *
 * <p><b>Threads:</b> not thread-safe; one thread drives an instance. All methods block on the
 * database. A {@link GeneratorException} with a one-line message reports an unusable connection.
 */
public final class EmployeeGenerator implements AutoCloseable {
  private static final int MAX_CONFLICTS_PER_CHANGE = 10;

  private final EmployeeStore store;
  private final RandomGenerator random;
  private final Clock clock;
  private final Set<ChangeKind> kinds;
  private Workforce workforce;
  private ChangePlanner planner;
  private long conflicts;
  private boolean closed;

  private EmployeeGenerator(EmployeeStore store, RandomGenerator random, Clock clock, Set<ChangeKind> kinds) {
    this.store = store;
    this.random = random;
    this.clock = clock;
    this.kinds = kinds;
  }

  /**
   * Connects, checks that the schema exists and loads the current departments and employees.
   *
   * @param seed seeds every random choice (see the class comment on reproducibility)
   * @throws GeneratorException when PostgreSQL is unreachable or the tables are missing, with a
   *     one-line message such as {@code cannot connect to PostgreSQL at URL: Connection refused}
   */
  public static EmployeeGenerator connect(String jdbcUrl, String user, String password, long seed) {
    return connect(jdbcUrl, user, password, seed, EnumSet.allOf(ChangeKind.class));
  }

  /**
   * Like {@link #connect(String, String, String, long)}, but makes only changes of the given kinds
   * (the others get weight 0; fallbacks stay within them except in the corner cases described on
   * {@code ChangePlanner}, where raise is the universal fallback). Seeding is not affected.
   *
   * @param kinds not empty; {@link ChangeKind#parse} reads them from labels
   */
  public static EmployeeGenerator connect(String jdbcUrl, String user, String password, long seed,
                                          Set<ChangeKind> kinds) {
    return connect(jdbcUrl, user, password, seed, kinds, Clock.systemUTC());
  }

  static EmployeeGenerator connect(String jdbcUrl, String user, String password, long seed, Set<ChangeKind> kinds,
                                   Clock clock) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("at least one change kind is needed");
    }
    Set<ChangeKind> chosen = EnumSet.copyOf(kinds);
    EmployeeStore store = EmployeeStore.open(jdbcUrl, user, password);
    EmployeeGenerator generator = new EmployeeGenerator(store, new SplittableRandom(seed), clock, chosen);
    try {
      generator.reload(-1);
      return generator;
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /**
   * Seeds {@code departments} departments (those missing by name) and {@code employees} employees,
   * in one transaction, if and only if the {@code employees} table is empty: running it again on a
   * seeded database does nothing, so a restarted generator resumes with the existing rows. Either
   * way the planner afterwards keeps the headcount near {@code employees}.
   *
   * @return the number of employees inserted (0 when the table already had employees)
   */
  public int seed(int departments, int employees) {
    if (departments < 1) {
      throw new IllegalArgumentException("departments must be >= 1, was " + departments);
    }
    if (employees < 0) {
      throw new IllegalArgumentException("employees must be >= 0, was " + employees);
    }
    ensureOpen();
    try {
      store.begin();
      store.lockEmployees();
      if (store.countEmployees() > 0) {
        store.commit();
        reload(employees);
        return 0;
      }
      SeedPlanner plan = new SeedPlanner(random, LocalDate.now(clock));
      List<Department> seeded = store.ensureDepartments(SeedPlanner.departments(departments));
      int[] sizes = plan.sizes(departments, employees);
      for (int i = 0; i < seeded.size(); i++) {
        seedDepartment(plan, seeded.get(i), sizes[i]);
      }
      store.executeBatch();
      store.commit();
    } catch (SQLException e) {
      store.rollbackQuietly();
      throw EmployeeStore.failure(store.jdbcUrl(), e);
    }
    reload(employees);
    return employees;
  }

  private void seedDepartment(SeedPlanner plan, Department d, int size) throws SQLException {
    if (size == 0) {
      return;
    }
    long director = store.insert(plan.director(d));
    int staff = size - 1;
    List<Long> managers = new ArrayList<>();
    for (int m = SeedPlanner.managersFor(staff); m > 0; m--) {
      managers.add(store.insert(plan.manager(d, director)));
    }
    for (int n = managers.size(); n < staff; n++) {
      store.addToBatch(plan.individual(d, managers.isEmpty() ? director : plan.pick(managers)));
    }
  }

  /**
   * Plans and commits one change, blocking until PostgreSQL has committed it.
   *
   * @return the committed change
   * @throws GeneratorException on a database error that is not a conflict with another writer
   * @throws IllegalStateException when there are no departments to hire into (call {@link #seed} first)
   */
  public AppliedChange applyNext() {
    ensureOpen();
    for (int attempt = 0; ; attempt++) {
      PlannedChange change = planner.next(workforce);
      try {
        long id = store.apply(change);
        workforce.apply(change, id);
        return new AppliedChange(id, change.kind().op(), change.kind().label());
      } catch (SQLException e) {
        if (!(e instanceof EmployeeStore.StaleRowException) && !EmployeeStore.isConflict(e)) {
          throw EmployeeStore.failure(store.jdbcUrl(), e);
        }
        conflicts++;
        if (attempt >= MAX_CONFLICTS_PER_CHANGE) {
          throw new GeneratorException("PostgreSQL at " + store.jdbcUrl() + ": " + attempt
              + " conflicting changes in a row (is another writer changing employees?): " + e.getMessage(), e);
        }
        resync(change.employeeId());
      }
    }
  }

  /**
   * Applies {@code count} changes as fast as the database allows (one after the other, each
   * committed before the next) and returns them in commit order.
   */
  public List<AppliedChange> applyChanges(int count) {
    List<AppliedChange> applied = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      applied.add(applyNext());
    }
    return applied;
  }

  /** Employees in the model (rows of {@code employees}, as far as this generator knows). */
  public int headcount() {
    return workforce.size();
  }

  /** Changes that collided with another writer and were replanned. */
  public long conflicts() {
    return conflicts;
  }

  /** Whether the connection still works (checked with a round trip, up to 5 s). */
  public boolean connectionAlive() {
    return !closed && store.isAlive();
  }

  /** Closes the connection. Safe to call twice. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      store.close();
    }
  }

  /** Rebuilds the model from the database; {@code targetHeadcount < 0} keeps the current size as target. */
  private void reload(int targetHeadcount) {
    try {
      List<Employee> employees = store.loadEmployees();
      workforce = new Workforce(store.loadDepartments(), employees);
      planner = new ChangePlanner(random, clock, targetHeadcount < 0 ? employees.size() : targetHeadcount, kinds);
    } catch (SQLException e) {
      throw EmployeeStore.failure(store.jdbcUrl(), e);
    }
  }

  /** After a conflict: the model's row for {@code id} (or, for a hire, the email) is wrong; re-read. */
  private void resync(long id) {
    try {
      if (id == 0) {
        reload(planner.targetHeadcount());
        return;
      }
      Optional<Employee> current = store.load(id);
      if (current.isPresent()) {
        workforce.put(current.get());
      } else {
        workforce.remove(id);
      }
    } catch (SQLException e) {
      throw EmployeeStore.failure(store.jdbcUrl(), e);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("generator is closed");
    }
  }
}
