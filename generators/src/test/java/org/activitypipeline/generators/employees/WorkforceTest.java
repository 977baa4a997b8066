package org.activitypipeline.generators.employees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WorkforceTest {
  private static final Department ENG = new Department(1, "Engineering", "CC-1", "Berlin");
  private static final Department SALES = new Department(2, "Sales", "CC-2", "London");

  private static Employee employee(long id, long department, String title, Long manager) {
    return new Employee(id, "A", "B", "a.b" + id + "@x", department, title, "Berlin", manager, TestCompany.TODAY,
        new BigDecimal("50000.00"), Status.ACTIVE);
  }

  @Test
  void tracksManagersReportsAndEmails() {
    Workforce w = new Workforce(List.of(ENG, SALES), List.of(
        employee(1, 1, "Director of Engineering", null),
        employee(2, 1, "Software Engineer I", 1L),
        employee(3, 1, "Software Engineer II", 1L)));
    assertEquals(List.of(1L), w.managersOf(1));
    assertEquals(2, w.reportCount(1));
    assertTrue(w.emailTaken("a.b2@x"));

    w.apply(new PlannedChange.DepartmentMove(1, 2, null), 0);
    assertEquals(List.of(), w.managersOf(1));
    assertEquals(List.of(1L), w.managersOf(2));
    w.apply(new PlannedChange.StatusChange(1, Status.TERMINATED), 0);
    assertEquals(List.of(), w.managersOf(2), "terminated people manage no one new");
    assertEquals(2, w.reportCount(1));
  }

  @Test
  void removingAManagerClearsTheirReportsLikeOnDeleteSetNull() {
    Workforce w = new Workforce(List.of(ENG), List.of(
        employee(1, 1, "Director of Engineering", null),
        employee(2, 1, "Software Engineer I", 1L)));
    w.apply(new PlannedChange.Delete(1), 0);
    assertEquals(1, w.size());
    assertNull(w.get(2).orElseThrow().managerId());
    assertEquals(0, w.reportCount(1));
    assertFalse(w.emailTaken("a.b1@x"));
  }

  @Test
  void removalKeepsTheIndexConsistent() {
    Workforce w = TestCompany.seeded(3, 4, 50);
    for (long id = 50; id >= 1; id -= 3) {
      w.remove(id);
    }
    assertEquals(50 - 17, w.size());
    for (long id = 1; id <= 50; id++) {
      assertEquals((50 - id) % 3 != 0, w.get(id).isPresent(), "employee " + id);
    }
    // every employee stays reachable by a random pick
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 1000; i++) {
      long id = w.pick(random, e -> true, 1).orElseThrow().id();
      assertTrue(w.get(id).isPresent());
    }
  }

  @Test
  void hiresGetTheDatabaseId() {
    Workforce w = new Workforce(List.of(ENG), List.of());
    w.apply(new PlannedChange.Hire(employee(0, 1, "Software Engineer I", null)), 42);
    assertEquals("Software Engineer I", w.get(42).orElseThrow().jobTitle());
  }
}
