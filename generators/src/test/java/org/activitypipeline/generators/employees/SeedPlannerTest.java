package org.activitypipeline.generators.employees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SeedPlannerTest {
  @Test
  void departmentsHaveUniqueStableNames() {
    List<Department> departments = SeedPlanner.departments(40);
    Set<String> names = new HashSet<>();
    departments.forEach(d -> assertTrue(names.add(d.name()), "duplicate " + d.name()));
    assertEquals("Engineering", departments.get(0).name());
    assertEquals("CC-1000", departments.get(0).costCenter());
    assertEquals(SeedPlanner.departments(12), SeedPlanner.departments(40).subList(0, 12), "a prefix of a larger seed");
  }

  @Test
  void sizesAddUpAndEveryDepartmentGetsADirector() {
    SeedPlanner plan = new SeedPlanner(new SplittableRandom(1), TestCompany.TODAY);
    int[] sizes = plan.sizes(12, 1000);
    assertEquals(1000, Arrays.stream(sizes).sum());
    assertTrue(Arrays.stream(sizes).allMatch(s -> s >= 1));
    int[] few = plan.sizes(12, 5);
    assertEquals(5, Arrays.stream(few).sum());
    assertEquals(List.of(1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0), Arrays.stream(few).boxed().toList());
  }

  @Test
  void aManagerForAboutEveryNinePeople() {
    assertEquals(0, SeedPlanner.managersFor(2));
    assertEquals(1, SeedPlanner.managersFor(3));
    assertEquals(1, SeedPlanner.managersFor(9));
    assertEquals(2, SeedPlanner.managersFor(10));
  }

  @Test
  void aSeededCompanyIsConsistent() {
    Workforce w = TestCompany.seeded(7, 12, 1000);
    assertEquals(1000, w.size());
    Set<String> emails = new HashSet<>();
    for (long id = 1; id <= 1000; id++) {
      Employee e = w.get(id).orElseThrow();
      assertTrue(emails.add(e.email()), "unique email " + e.email());
      assertTrue(e.salary().signum() > 0);
      assertEquals(2, e.salary().scale());
      assertTrue(!e.hireDate().isAfter(TestCompany.TODAY));
      if (e.jobTitle().startsWith("Director of")) {
        assertNull(e.managerId());
      } else {
        Employee manager = w.get(e.managerId()).orElseThrow();
        assertEquals(e.departmentId(), manager.departmentId(), "reports to someone in the same department");
      }
    }
    assertTrue(w.managersOf(1).size() >= 2, "a director and managers in Engineering");
  }
}
