package org.activitypipeline.generators.employees;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Shapes the initial company: departments, then per department a director, a manager for about
 * every nine people, and individual contributors reporting to those managers. Pure; the caller
 * inserts in that order so each row's manager already has an id.
 */
final class SeedPlanner {
  /** Below {@link JobLadders} ceilings, so there is room for promotions from the start. */
  private static final int[] INDIVIDUAL_LEVEL_WEIGHTS = {36, 30, 20, 10, 4};

  private final RandomGenerator random;
  private final LocalDate today;
  private final Set<String> emails = new HashSet<>();

  SeedPlanner(RandomGenerator random, LocalDate today) {
    this.random = random;
    this.today = today;
  }

  static List<Department> departments(int count) {
    List<Department> departments = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      departments.add(People.department(i));
    }
    return departments;
  }

  /**
   * How many of {@code employees} work in each of {@code departments} (director included): the
   * first departments get a director each, the rest is spread by random department weights.
   */
  int[] sizes(int departments, int employees) {
    int[] sizes = new int[departments];
    double[] weights = new double[departments];
    double total = 0;
    for (int i = 0; i < departments; i++) {
      weights[i] = 0.5 + 1.5 * random.nextDouble();
      total += weights[i];
    }
    int heads = Math.min(departments, employees);
    for (int i = 0; i < heads; i++) {
      sizes[i] = 1;
    }
    for (int n = heads; n < employees; n++) {
      double draw = random.nextDouble() * total;
      int i = 0;
      while (i < departments - 1 && (draw -= weights[i]) >= 0) {
        i++;
      }
      sizes[i]++;
    }
    return sizes;
  }

  /** Managers among the {@code staff} people below a department's director. */
  static int managersFor(int staff) {
    return staff < 3 ? 0 : (staff + 8) / 9;
  }

  Employee director(Department d) {
    List<String> ladder = JobLadders.managementLadder(d.name());
    return hire(d, new JobLadders.Rung(ladder, ladder.size() - 1, true), null, Status.ACTIVE);
  }

  Employee manager(Department d, long directorId) {
    int level = random.nextInt(100) < 70 ? 0 : 1;
    return hire(d, new JobLadders.Rung(JobLadders.managementLadder(d.name()), level, true), directorId, status());
  }

  Employee individual(Department d, long managerId) {
    int draw = random.nextInt(100);
    int level = 0;
    while ((draw -= INDIVIDUAL_LEVEL_WEIGHTS[level]) >= 0) {
      level++;
    }
    return hire(d, new JobLadders.Rung(JobLadders.individualLadder(d.name()), level, false), managerId, status());
  }

  <T> T pick(List<T> from) {
    return People.pick(random, from);
  }

  private Status status() {
    int draw = random.nextInt(100);
    return draw < 92 ? Status.ACTIVE : draw < 97 ? Status.ON_LEAVE : Status.TERMINATED;
  }

  private Employee hire(Department d, JobLadders.Rung rung, Long managerId, Status status) {
    LocalDate hired = today.minusDays(random.nextInt(12 * 365));
    Employee e = Recruiter.candidate(random, d, rung, managerId, hired, emails::contains).withStatus(status);
    emails.add(e.email());
    return e;
  }
}
