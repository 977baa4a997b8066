package org.activitypipeline.generators.employees;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** An in-memory company seeded like {@code EmployeeGenerator.seed}, with ids from a counter. */
final class TestCompany {
  static final LocalDate TODAY = LocalDate.of(2025, 6, 2);

  private TestCompany() {
  }

  static Workforce seeded(long seed, int departmentCount, int employeeCount) {
    List<Department> departments = new ArrayList<>();
    List<Department> planned = SeedPlanner.departments(departmentCount);
    for (int i = 0; i < planned.size(); i++) {
      departments.add(planned.get(i).withId(i + 1));
    }
    SeedPlanner plan = new SeedPlanner(new SplittableRandom(seed), TODAY);
    int[] sizes = plan.sizes(departmentCount, employeeCount);
    List<Employee> employees = new ArrayList<>();
    long[] nextId = {1};
    for (int d = 0; d < departments.size(); d++) {
      if (sizes[d] == 0) {
        continue;
      }
      Department dept = departments.get(d);
      Employee director = plan.director(dept).withId(nextId[0]++);
      employees.add(director);
      int staff = sizes[d] - 1;
      List<Long> managers = new ArrayList<>();
      for (int m = SeedPlanner.managersFor(staff); m > 0; m--) {
        Employee manager = plan.manager(dept, director.id()).withId(nextId[0]++);
        employees.add(manager);
        managers.add(manager.id());
      }
      for (int n = managers.size(); n < staff; n++) {
        employees.add(plan.individual(dept, managers.isEmpty() ? director.id() : plan.pick(managers))
            .withId(nextId[0]++));
      }
    }
    return new Workforce(departments, employees);
  }
}
