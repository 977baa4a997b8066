package org.activitypipeline.generators.employees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  private static Map<ChangeKind, Integer> countKinds(List<PlannedChange> plans) {
    Map<ChangeKind, Integer> counts = new EnumMap<>(ChangeKind.class);
    plans.forEach(p -> counts.merge(p.kind(), 1, Integer::sum));
    return counts;
  }

  @Test
  void allKindsChosenExplicitlyIsTheDefault() {
    List<PlannedChange> byDefault = run(TestCompany.seeded(2, 6, 300),
        new ChangePlanner(new SplittableRandom(11), CLOCK, 300), 5_000);
    List<PlannedChange> allChosen = run(TestCompany.seeded(2, 6, 300),
        new ChangePlanner(new SplittableRandom(11), CLOCK, 300, EnumSet.allOf(ChangeKind.class)), 5_000);
    assertEquals(byDefault, allChosen);
  }

  @Test
  void withoutDepartmentMovesAndDeletesNoneEverHappen() {
    // the end-to-end test's mix: departments stay put while activities flow
    Set<ChangeKind> chosen = EnumSet.of(ChangeKind.RAISE, ChangeKind.PROMOTION, ChangeKind.STATUS_CHANGE,
        ChangeKind.HIRE);
    Workforce w = TestCompany.seeded(14, 12, 1000);
    List<PlannedChange> plans = run(w, new ChangePlanner(new SplittableRandom(12), CLOCK, 1000, chosen), 10_000);
    Map<ChangeKind, Integer> counts = countKinds(plans);
    assertEquals(chosen, counts.keySet(), "only and all of the chosen kinds: " + counts);
    // nobody's department changed: every employee of the seed is still (or was, until deleted) where they were
    Workforce seed = TestCompany.seeded(14, 12, 1000);
    for (long id = 1; id <= 1000; id++) {
      long employee = id;
      seed.get(id).ifPresent(before -> w.get(employee).ifPresent(
          after -> assertEquals(before.departmentId(), after.departmentId(), "department of " + employee)));
    }
  }

  @Test
  void excludedKindsNeverAppearEvenAsFallbacks() {
    // neither raise nor hire chosen: the usual fallbacks are excluded, so other chosen kinds stand in;
    // promotions run out of room in a long run and must not turn into raises
    Set<ChangeKind> chosen = EnumSet.of(ChangeKind.PROMOTION, ChangeKind.DEPARTMENT_MOVE, ChangeKind.STATUS_CHANGE,
        ChangeKind.DELETE);
    Workforce w = TestCompany.seeded(15, 12, 1000);
    Map<ChangeKind, Integer> counts = countKinds(
        run(w, new ChangePlanner(new SplittableRandom(13), CLOCK, 1000, chosen), 10_000));
    assertEquals(chosen, counts.keySet(), "only and all of the chosen kinds: " + counts);
    // promotions (28% of the chosen weight) mostly found no room, so the fallback really was exercised
    assertTrue(counts.get(ChangeKind.PROMOTION) < 1_000, "promotions replaced by other chosen kinds: " + counts);

    for (ChangeKind only : ChangeKind.values()) {
      if (only == ChangeKind.DELETE) {
        continue; // deletes alone empty the company, after which the universal fallback hires (see below)
      }
      Workforce company = TestCompany.seeded(16, 4, 200);
      Map<ChangeKind, Integer> onlyCounts = countKinds(
          run(company, new ChangePlanner(new SplittableRandom(14), CLOCK, 200, EnumSet.of(only)), 2_000));
      if (only == ChangeKind.PROMOTION) {
        // the documented exception: once every ladder level is full no promotion is possible, and
        // raise is the universal fallback
        assertEquals(Set.of(ChangeKind.PROMOTION, ChangeKind.RAISE), onlyCounts.keySet(), only + ": " + onlyCounts);
      } else {
        assertEquals(Set.of(only), onlyCounts.keySet(), only + ": " + onlyCounts);
      }
    }
  }

  @Test
  void chosenKindsKeepTheirRelativeWeights() {
    Set<ChangeKind> chosen = EnumSet.of(ChangeKind.RAISE, ChangeKind.PROMOTION, ChangeKind.STATUS_CHANGE,
        ChangeKind.HIRE);
    int totalWeight = chosen.stream().mapToInt(ChangeKind::weight).sum();
    Workforce w = TestCompany.seeded(11, 12, 1000);
    List<PlannedChange> plans = run(w, new ChangePlanner(new SplittableRandom(5), CLOCK, 100_000, chosen), 1_000);
    Map<ChangeKind, Integer> counts = countKinds(plans);
    for (ChangeKind k : chosen) {
      double share = 100.0 * counts.getOrDefault(k, 0) / plans.size();
      assertEquals(100.0 * k.weight() / totalWeight, share, 4.0, k + " share " + share + "% " + counts);
    }
  }

  @Test
  void whenNoChosenKindIsPossibleRaiseIsTheUniversalFallback() {
    // one department: a move is never possible
    Workforce w = TestCompany.seeded(17, 1, 50);
    List<PlannedChange> plans = run(w,
        new ChangePlanner(new SplittableRandom(15), CLOCK, 50, EnumSet.of(ChangeKind.DEPARTMENT_MOVE)), 100);
    assertEquals(Set.of(ChangeKind.RAISE), countKinds(plans).keySet());
    // an empty company without hires chosen: nobody to raise either, so a hire
    Workforce empty = new Workforce(SeedPlanner.departments(1).stream().map(d -> d.withId(1)).toList(), List.of());
    assertEquals(ChangeKind.HIRE,
        new ChangePlanner(new SplittableRandom(16), CLOCK, 10, EnumSet.of(ChangeKind.DELETE)).next(empty).kind());
  }

  @Test
  void onlyHiresGoOnPastTheTarget() {
    // at the target hires have no weight, but hire is the chosen kind's own fallback: no excluded raise
    Workforce w = TestCompany.seeded(18, 3, 100);
    List<PlannedChange> plans = run(w,
        new ChangePlanner(new SplittableRandom(17), CLOCK, 100, EnumSet.of(ChangeKind.HIRE)), 200);
    assertEquals(Set.of(ChangeKind.HIRE), countKinds(plans).keySet());
    assertEquals(300, w.size());
  }

  @Test
  void noKindsIsRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> new ChangePlanner(new SplittableRandom(1), CLOCK, 10, EnumSet.noneOf(ChangeKind.class)));
  }
}
