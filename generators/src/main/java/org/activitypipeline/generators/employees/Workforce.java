package org.activitypipeline.generators.employees;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * The generator's in-memory copy of the {@code employees} table, so every planned change is valid
 * (no update of a deleted row, no duplicate email, no delete of someone who still has reports).
 *
 * <p>Kept in a list with an id index so a uniformly random employee is O(1) and removal is a swap
 * with the last element. The order depends only on the load order (by id) and the changes applied,
 * so the same seed on the same database picks the same employees. Not thread-safe.
 */
final class Workforce {
  private final List<Department> departments;
  private final JobLadders ladders;
  private final List<Employee> employees = new ArrayList<>();
  private final Map<Long, Integer> indexById = new HashMap<>();
  private final Set<String> emails = new HashSet<>();
  private final Map<Long, Integer> reportCounts = new HashMap<>();
  private final Map<Status, Integer> statusCounts = new EnumMap<>(Status.class);
  /** Non-terminated people per level of the known ladders: [0] individual, [1] management. */
  private final int[][] levelCounts = {new int[JobLadders.levels(false)], new int[JobLadders.levels(true)]};
  /** Non-terminated employees with a managerial title, per department, in the order they became one. */
  private final Map<Long, List<Long>> managersByDepartment = new HashMap<>();

  /** @param employees in a stable order (by id when loaded from the database) */
  Workforce(List<Department> departments, List<Employee> employees) {
    this.departments = List.copyOf(departments);
    this.ladders = new JobLadders(departments);
    employees.forEach(this::put);
  }

  List<Department> departments() {
    return departments;
  }

  JobLadders ladders() {
    return ladders;
  }

  int size() {
    return employees.size();
  }

  Optional<Employee> get(long id) {
    Integer i = indexById.get(id);
    return i == null ? Optional.empty() : Optional.of(employees.get(i));
  }

  /** Employees with {@code status}. */
  int count(Status status) {
    return statusCounts.getOrDefault(status, 0);
  }

  /** Whether one more person fits at {@code rung}'s level without breaking the pyramid. */
  boolean hasRoomAt(JobLadders.Rung rung) {
    int[] counts = levelCounts[rung.managerial() ? 1 : 0];
    int total = 0;
    for (int c : counts) {
      total += c;
    }
    return counts[rung.level()] < JobLadders.ceiling(rung.managerial(), rung.level()) * total + 1;
  }

  boolean emailTaken(String email) {
    return emails.contains(email);
  }

  /** How many employees name {@code id} as their manager. */
  int reportCount(long id) {
    return reportCounts.getOrDefault(id, 0);
  }

  /** Ids of the non-terminated managers of a department (read-only view). */
  List<Long> managersOf(long departmentId) {
    return Collections.unmodifiableList(managersByDepartment.getOrDefault(departmentId, List.of()));
  }

  /**
   * A uniformly random employee matching {@code wanted}, by rejection sampling: at most
   * {@code attempts} draws, so a rare condition costs bounded time and yields empty instead.
   */
  Optional<Employee> pick(RandomGenerator random, Predicate<Employee> wanted, int attempts) {
    if (employees.isEmpty()) {
      return Optional.empty();
    }
    for (int i = 0; i < attempts; i++) {
      Employee e = employees.get(random.nextInt(employees.size()));
      if (wanted.test(e)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /** Adds {@code e}, or replaces the employee with its id. */
  void put(Employee e) {
    if (e.id() <= 0) {
      throw new IllegalArgumentException("employee without id: " + e);
    }
    Integer i = indexById.get(e.id());
    if (i == null) {
      indexById.put(e.id(), employees.size());
      employees.add(e);
    } else {
      unindex(employees.get(i));
      employees.set(i, e);
    }
    index(e);
  }

  /** Removes the employee; like the schema's ON DELETE SET NULL, their reports lose their manager. */
  void remove(long id) {
    Integer i = indexById.remove(id);
    if (i == null) {
      return;
    }
    Employee removed = employees.get(i);
    Employee last = employees.remove(employees.size() - 1);
    if (last.id() != id) {
      employees.set(i, last);
      indexById.put(last.id(), i);
    }
    unindex(removed);
    if (reportCount(id) > 0) {
      for (Employee e : List.copyOf(employees)) {
        if (Long.valueOf(id).equals(e.managerId())) {
          put(e.withDepartment(e.departmentId(), null));
        }
      }
    }
  }

  /** Applies a committed change; {@code newId} is the database id of a hire (ignored otherwise). */
  void apply(PlannedChange change, long newId) {
    // (no pattern-matching switch on Java 17)
    if (change instanceof PlannedChange.Raise r) {
      put(existing(r.employeeId()).withSalary(r.salary()));
    } else if (change instanceof PlannedChange.Promotion p) {
      put(existing(p.employeeId()).withTitleAndSalary(p.jobTitle(), p.salary()));
    } else if (change instanceof PlannedChange.DepartmentMove m) {
      put(existing(m.employeeId()).withDepartment(m.departmentId(), m.managerId()));
    } else if (change instanceof PlannedChange.StatusChange s) {
      put(existing(s.employeeId()).withStatus(s.status()));
    } else if (change instanceof PlannedChange.Hire h) {
      put(h.employee().withId(newId));
    } else if (change instanceof PlannedChange.Delete d) {
      remove(d.employeeId());
    } else {
      throw new IllegalArgumentException("unknown change " + change);
    }
  }

  private Employee existing(long id) {
    return get(id).orElseThrow(() -> new IllegalStateException("employee " + id + " is not in the model"));
  }

  private void index(Employee e) {
    emails.add(e.email());
    statusCounts.merge(e.status(), 1, Integer::sum);
    countLevel(e, 1);
    if (e.managerId() != null) {
      reportCounts.merge(e.managerId(), 1, Integer::sum);
    }
    if (isManager(e)) {
      managersByDepartment.computeIfAbsent(e.departmentId(), k -> new ArrayList<>()).add(e.id());
    }
  }

  private void unindex(Employee e) {
    emails.remove(e.email());
    statusCounts.merge(e.status(), -1, Integer::sum);
    countLevel(e, -1);
    if (e.managerId() != null) {
      reportCounts.computeIfPresent(e.managerId(), (k, n) -> n == 1 ? null : n - 1);
    }
    if (isManager(e)) {
      List<Long> managers = managersByDepartment.get(e.departmentId());
      managers.remove(Long.valueOf(e.id()));
      if (managers.isEmpty()) {
        managersByDepartment.remove(e.departmentId());
      }
    }
  }

  private void countLevel(Employee e, int delta) {
    if (!e.terminated()) {
      ladders.rungOf(e.jobTitle()).ifPresent(r -> levelCounts[r.managerial() ? 1 : 0][r.level()] += delta);
    }
  }

  private static boolean isManager(Employee e) {
    return !e.terminated() && e.departmentId() != null && JobLadders.isManagerial(e.jobTitle());
  }
}
