package org.activitypipeline.generators.employees;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Chooses the next realistic change to the workforce: mostly raises, then status changes,
 * promotions, department moves and hires, and about 1% deletes (see {@link ChangeKind} weights).
 *
 * <p>Every plan is valid against the {@link Workforce} it was made on: updates target existing,
 * non-terminated employees (a status change may also rehire a terminated one); a promotion moves one
 * rung up a known ladder, if that level is not full (the org chart stays a pyramid, so in the long
 * run promotions follow turnover); a move changes the department; a delete only removes someone without
 * reports (mostly terminated employees), so no delete cascades into hidden manager updates. When a
 * kind has no valid target (everyone at the top) the planner gives a raise instead, and hires when
 * nobody is left to raise.
 *
 * <p><b>Chosen kinds.</b> The planner can be limited to some kinds (a test comparing against
 * PostgreSQL's current state leaves out {@code department_move}, so departments stay put while
 * activities flow). The others get weight 0; the chosen ones keep their relative weights. Fallbacks
 * stay within the chosen kinds: a raise if chosen (and someone can get one), else a hire if chosen,
 * else another chosen kind (drawn by weight). Only when no chosen kind has a valid target at all (say, only
 * {@code promotion} and every ladder level is full, or only {@code department_move} with one
 * department) does the planner make a raise anyway, or a hire if nobody can get a raise, rather than
 * stall: raise is the universal fallback. With only {@code hire}, hiring goes on past the target.
 *
 * <p><b>Steady state.</b> The headcount (employees not terminated) stays near the target: below it,
 * hires have their full weight; at or above it, there are none until terminations and deletes bring
 * it below again (so in the long run hires replace leavers, about 2% of changes). Status changes keep
 * about 5% on leave (people return once more than that are away); 8% of the status changes of
 * active employees are terminations instead of leaves. Rehires (likelier the more former employees
 * there are) and deletes (terminated rows first) drain them, so terminated rows settle at about a
 * tenth of the table instead of piling up.
 *
 * <p>Pure and deterministic: the same random sequence and the same workforce give the same plans.
 */
final class ChangePlanner {
  /** Random draws to find a matching employee; rare targets (on leave, terminated) are ~5%. */
  private static final int ATTEMPTS = 256;
  private static final double ON_LEAVE_SHARE = 0.05;
  private static final double REHIRE_PER_TERMINATED_SHARE = 0.2;

  private final RandomGenerator random;
  private final Clock clock;
  private final int targetHeadcount;
  private final EnumSet<ChangeKind> kinds;

  ChangePlanner(RandomGenerator random, Clock clock, int targetHeadcount) {
    this(random, clock, targetHeadcount, EnumSet.allOf(ChangeKind.class));
  }

  /** @param kinds the kinds to make; not empty */
  ChangePlanner(RandomGenerator random, Clock clock, int targetHeadcount, Set<ChangeKind> kinds) {
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("at least one change kind is needed");
    }
    this.random = random;
    this.clock = clock;
    this.targetHeadcount = Math.max(1, targetHeadcount);
    this.kinds = EnumSet.copyOf(kinds);
  }

  int targetHeadcount() {
    return targetHeadcount;
  }

  PlannedChange next(Workforce w) {
    if (w.departments().isEmpty()) {
      throw new IllegalStateException("no departments: seed the database first");
    }
    int rows = w.size();
    int headcount = rows - w.count(Status.TERMINATED);
    // No valid target for the drawn kind (say, everyone at the top of their ladder): a raise is nearly
    // always possible and, unlike a hire, does not push the headcount past the target. With all kinds
    // chosen this is the whole story, and the random draws are the same as before kinds could be chosen.
    return drawKind(rows, headcount, kinds).flatMap(k -> plan(k, w))
        .or(() -> kinds.contains(ChangeKind.RAISE) ? raise(w) : Optional.empty())
        .or(() -> kinds.contains(ChangeKind.HIRE) ? Optional.of(hire(w)) : Optional.empty())
        .or(() -> anyOtherChosen(rows, headcount, w))
        // nothing chosen is possible now: raise is the universal fallback (see the class comment)
        .or(() -> raise(w))
        .orElseGet(() -> hire(w));
  }

  /**
   * Hire is not chosen, and raise is not chosen or found nobody: the other chosen kinds, drawn by
   * weight, each tried once (the drawn kind that failed too: its targets are random picks).
   */
  private Optional<PlannedChange> anyOtherChosen(int rows, int headcount, Workforce w) {
    EnumSet<ChangeKind> untried = EnumSet.copyOf(kinds);
    untried.removeAll(EnumSet.of(ChangeKind.RAISE, ChangeKind.HIRE));
    for (Optional<ChangeKind> k = drawKind(rows, headcount, untried); k.isPresent();
         k = drawKind(rows, headcount, untried)) {
      untried.remove(k.get());
      Optional<PlannedChange> planned = plan(k.get(), w);
      if (planned.isPresent()) {
        return planned;
      }
    }
    return Optional.empty();
  }

  private Optional<PlannedChange> plan(ChangeKind kind, Workforce w) {
    return switch (kind) {
      case RAISE -> raise(w);
      case PROMOTION -> promotion(w);
      case DEPARTMENT_MOVE -> move(w);
      case STATUS_CHANGE -> statusChange(w);
      case DELETE -> delete(w);
      case HIRE -> Optional.of(hire(w));
    };
  }

  /**
   * Draws one of {@code among} by weight.
   *
   * @param rows employees in the table
   * @param headcount employees not terminated
   * @return empty when none of {@code among} may happen now: the table is empty and hire is not
   *     among them, or hire is the only one and the company is at its target headcount
   */
  Optional<ChangeKind> drawKind(int rows, int headcount, EnumSet<ChangeKind> among) {
    if (rows == 0) {
      return among.contains(ChangeKind.HIRE) ? Optional.of(ChangeKind.HIRE) : Optional.empty();
    }
    boolean overstaffed = headcount >= targetHeadcount;
    int total = 0;
    for (ChangeKind k : among) {
      total += weight(k, overstaffed);
    }
    if (total == 0) {
      return Optional.empty();
    }
    int draw = random.nextInt(total);
    for (ChangeKind k : among) { // in declaration order, as ChangeKind.values(): same draws as before
      draw -= weight(k, overstaffed);
      if (draw < 0) {
        return Optional.of(k);
      }
    }
    throw new AssertionError("weights");
  }

  private static int weight(ChangeKind k, boolean overstaffed) {
    return k == ChangeKind.HIRE && overstaffed ? 0 : k.weight();
  }

  private Optional<PlannedChange> raise(Workforce w) {
    return w.pick(random, e -> !e.terminated(), ATTEMPTS)
        .map(e -> new PlannedChange.Raise(e.id(), Recruiter.increase(e.salary(), 1.02 + 0.06 * random.nextDouble())));
  }

  private Optional<PlannedChange> promotion(Workforce w) {
    return w.pick(random, e -> !e.terminated() && w.ladders().rungOf(e.jobTitle())
        .filter(r -> !r.top() && w.hasRoomAt(r.next())).isPresent(), ATTEMPTS).map(e -> {
          JobLadders.Rung next = w.ladders().rungOf(e.jobTitle()).orElseThrow().next();
          BigDecimal salary = Recruiter.increase(e.salary(), 1.08 + 0.07 * random.nextDouble()).max(next.bandMin());
          return new PlannedChange.Promotion(e.id(), next.title(), salary);
        });
  }

  private Optional<PlannedChange> move(Workforce w) {
    List<Department> departments = w.departments();
    if (departments.size() < 2) {
      return Optional.empty();
    }
    return w.pick(random, e -> !e.terminated(), ATTEMPTS).map(e -> {
      Department to = People.pick(random, departments);
      while (Long.valueOf(to.id()).equals(e.departmentId())) {
        to = People.pick(random, departments);
      }
      List<Long> managers = w.managersOf(to.id()); // e is not among them: they work elsewhere
      Long manager = managers.isEmpty() ? null : People.pick(random, managers);
      return new PlannedChange.DepartmentMove(e.id(), to.id(), manager);
    });
  }

  private Optional<PlannedChange> statusChange(Workforce w) {
    int terminated = w.count(Status.TERMINATED);
    // Rehires grow with the pool of former employees: together with deletes (which go to terminated
    // rows first) this drains terminations, so terminated rows settle at about a tenth of the table.
    if (random.nextDouble() < REHIRE_PER_TERMINATED_SHARE * terminated / w.size()) {
      return w.pick(random, Employee::terminated, ATTEMPTS)
          .map(e -> new PlannedChange.StatusChange(e.id(), Status.ACTIVE));
    }
    boolean tooManyAway = w.count(Status.ON_LEAVE) > ON_LEAVE_SHARE * (w.size() - terminated);
    double u = random.nextDouble();
    if (tooManyAway) {
      return w.pick(random, e -> e.status() == Status.ON_LEAVE, ATTEMPTS)
          .map(e -> new PlannedChange.StatusChange(e.id(), u < 0.95 ? Status.ACTIVE : Status.TERMINATED));
    }
    return w.pick(random, e -> e.status() == Status.ACTIVE, ATTEMPTS)
        .map(e -> new PlannedChange.StatusChange(e.id(), u < 0.92 ? Status.ON_LEAVE : Status.TERMINATED));
  }

  private Optional<PlannedChange> delete(Workforce w) {
    Optional<Employee> victim = w.count(Status.TERMINATED) > 0
        ? w.pick(random, e -> e.terminated() && w.reportCount(e.id()) == 0, ATTEMPTS) : Optional.empty();
    return victim.or(() -> w.pick(random, e -> w.reportCount(e.id()) == 0, ATTEMPTS))
        .map(e -> new PlannedChange.Delete(e.id()));
  }

  private PlannedChange hire(Workforce w) {
    Department department = People.pick(random, w.departments());
    List<Long> managers = w.managersOf(department.id());
    boolean asManager = random.nextDouble() < (managers.isEmpty() ? 0.5 : 0.1);
    List<String> ladder = asManager ? JobLadders.managementLadder(department.name())
        : JobLadders.individualLadder(department.name());
    double u = random.nextDouble();
    int level = asManager ? 0 : u < 0.5 ? 0 : u < 0.85 ? 1 : 2;
    Long manager = managers.isEmpty() ? null : People.pick(random, managers);
    Employee candidate = Recruiter.candidate(random, department, new JobLadders.Rung(ladder, level, asManager),
        manager, LocalDate.now(clock), w::emailTaken);
    return new PlannedChange.Hire(candidate);
  }
}
