package org.activitypipeline.generators.employees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChangePlannerTest {
  private static final Clock CLOCK = Clock.fixed(TestCompany.TODAY.atStartOfDay().toInstant(ZoneOffset.UTC),
      ZoneOffset.UTC);

  /** Plans and applies {@code n} changes, checking each against the model before applying it. */
  private static List<PlannedChange> run(Workforce w, ChangePlanner planner, int n) {
    List<PlannedChange> plans = new ArrayList<>();
    long nextId = 1_000_000;
    for (int i = 0; i < n; i++) {
      PlannedChange c = planner.next(w);
      assertValid(w, c);
      w.apply(c, c instanceof PlannedChange.Hire ? nextId++ : 0);
      plans.add(c);
    }
    return plans;
  }

  private static void assertValid(Workforce w, PlannedChange c) {
    if (c instanceof PlannedChange.Hire h) {
      assertFalse(w.emailTaken(h.employee().email()), "unique email");
      assertEquals(Status.ACTIVE, h.employee().status());
      assertEquals(TestCompany.TODAY, h.employee().hireDate());
      return;
    }
    Employee before = w.get(c.employeeId()).orElseThrow(() -> new AssertionError("target exists: " + c));
    if (c instanceof PlannedChange.Raise r) {
      assertFalse(before.terminated());
      assertTrue(r.salary().compareTo(before.salary()) > 0, "a raise raises");
      assertEquals(2, r.salary().scale());
    } else if (c instanceof PlannedChange.Promotion p) {
      assertFalse(before.terminated());
      JobLadders.Rung from = w.ladders().rungOf(before.jobTitle()).orElseThrow();
      assertEquals(from.next().title(), p.jobTitle(), "one rung up");
      assertTrue(p.salary().compareTo(before.salary()) > 0);
    } else if (c instanceof PlannedChange.DepartmentMove m) {
      assertFalse(before.terminated());
      assertNotEquals(before.departmentId(), m.departmentId());
      if (m.managerId() != null) {
        assertEquals(m.departmentId(), w.get(m.managerId()).orElseThrow().departmentId());
      }
    } else if (c instanceof PlannedChange.StatusChange s) {
      assertNotEquals(before.status(), s.status());
    } else if (c instanceof PlannedChange.Delete) {
      assertEquals(0, w.reportCount(before.id()), "deletes never cascade to reports");
    }
  }

  @Test
  void everyPlanIsValidAndAFreshCompanyGetsTheWeightedMix() {
    // a target far above the headcount: hires keep their full weight; a freshly seeded org chart
    // has room for promotions
    Workforce w = TestCompany.seeded(11, 12, 1000);
    List<PlannedChange> plans = run(w, new ChangePlanner(new SplittableRandom(5), CLOCK, 100_000), 1_000);
    Map<ChangeKind, Integer> counts = new EnumMap<>(ChangeKind.class);
    plans.forEach(p -> counts.merge(p.kind(), 1, Integer::sum));
    for (ChangeKind k : ChangeKind.values()) {
      double share = 100.0 * counts.getOrDefault(k, 0) / plans.size();
      assertEquals(k.weight(), share, k == ChangeKind.DELETE ? 1.0 : 3.5, k + " share " + share + "% " + counts);
    }
  }

  @Test
  void aLongRunReachesASteadyState() {
    // 200 changes per employee: at 50 changes/s on 1000 employees, more than a day
    Workforce w = TestCompany.seeded(12, 12, 500);
    ChangePlanner planner = new ChangePlanner(new SplittableRandom(6), CLOCK, 500);
    for (int round = 0; round < 10; round++) {
      List<PlannedChange> plans = run(w, planner, 10_000);
      int headcount = w.size() - w.count(Status.TERMINATED);
      String state = "round " + round + ": rows=" + w.size() + " active=" + w.count(Status.ACTIVE) + " on_leave="
          + w.count(Status.ON_LEAVE) + " terminated=" + w.count(Status.TERMINATED);
      assertEquals(500, headcount, 25, state);
      assertTrue(w.count(Status.ON_LEAVE) <= 0.07 * headcount, state);
      assertTrue(w.count(Status.TERMINATED) <= 0.2 * w.size(), state);
      for (ChangeKind k : ChangeKind.values()) {
        assertTrue(plans.stream().anyMatch(p -> p.kind() == k), "still some " + k + " in " + state);
      }
    }
    // the org chart is still a pyramid, not everyone at the top after years of promotions
    int[] individual = new int[JobLadders.levels(false)];
    for (long id = 1; id < 2_000_000; id++) {
      w.get(id).filter(e -> !e.terminated()).flatMap(e -> w.ladders().rungOf(e.jobTitle()))
          .filter(r -> !r.managerial()).ifPresent(r -> individual[r.level()]++);
    }
    int total = Arrays.stream(individual).sum();
    String levels = Arrays.toString(individual);
    assertTrue(individual[individual.length - 1] <= 0.1 * total, levels);
    assertTrue(individual[0] >= 0.1 * total, levels);
  }

  @Test
  void aTerminatedEmployeeOnlyChangesByRehireOrDelete() {
    Workforce w = TestCompany.seeded(13, 3, 100);
    ChangePlanner planner = new ChangePlanner(new SplittableRandom(8), CLOCK, 100);
    for (int i = 0; i < 5_000; i++) {
      PlannedChange c = planner.next(w);
      w.get(c.employeeId()).filter(Employee::terminated).ifPresent(e -> assertTrue(
          c instanceof PlannedChange.Delete
              || c instanceof PlannedChange.StatusChange s && s.status() == Status.ACTIVE, c.toString()));
      w.apply(c, 10_000 + i);
    }
  }

  @Test
  void sameSeedAndSameWorkforceGiveTheSamePlans() {
    List<PlannedChange> a = run(TestCompany.seeded(1, 5, 200), new ChangePlanner(new SplittableRandom(9), CLOCK, 200),
        2000);
    List<PlannedChange> b = run(TestCompany.seeded(1, 5, 200), new ChangePlanner(new SplittableRandom(9), CLOCK, 200),
        2000);
    assertEquals(a, b);
    List<PlannedChange> c = run(TestCompany.seeded(1, 5, 200), new ChangePlanner(new SplittableRandom(10), CLOCK, 200),
        2000);
    assertNotEquals(a, c);
  }

  @Test
  void anEmptyCompanyHires() {
    Workforce w = new Workforce(SeedPlanner.departments(1).stream().map(d -> d.withId(1)).toList(), List.of());
    ChangePlanner planner = new ChangePlanner(new SplittableRandom(1), CLOCK, 10);
    assertEquals(ChangeKind.HIRE, planner.next(w).kind());
    run(w, planner, 500); // one department: moves fall back to hires, never to a no-op move
  }
}
