package org.activitypipeline.generators.employees;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Career ladders per department: an individual-contributor ladder and a management ladder, each a
 * list of job titles from junior to senior, with a salary band per rung. A promotion is one rung up.
 * Titles not on any ladder (written by someone else) are simply not promotable.
 */
final class JobLadders {
  /** Where a title sits: its ladder, its level (0 = most junior) and the salary band of that level. */
  record Rung(List<String> ladder, int level, boolean managerial) {
    String title() {
      return ladder.get(level);
    }

    boolean top() {
      return level == ladder.size() - 1;
    }

    Rung next() {
      if (top()) {
        throw new IllegalStateException("'" + title() + "' is the top of its ladder");
      }
      return new Rung(ladder, level + 1, managerial);
    }

    BigDecimal bandMin() {
      return JobLadders.bandMin(managerial, level);
    }

    BigDecimal bandMax() {
      return bandMin().multiply(managerial ? new BigDecimal("1.40") : new BigDecimal("1.35"))
          .setScale(2, RoundingMode.HALF_UP);
    }
  }

  /**
   * Most of a track's (individual or management) non-terminated people a level may hold: an org
   * chart is a pyramid. Without this, years of promotions would leave everyone at the top.
   */
  private static final double[] INDIVIDUAL_CEILINGS = {1.0, 0.32, 0.24, 0.14, 0.07};
  private static final double[] MANAGEMENT_CEILINGS = {1.0, 0.40, 0.15};

  private final Map<String, Rung> byTitle = new HashMap<>();

  JobLadders(Collection<Department> departments) {
    for (Department d : departments) {
      index(individualLadder(d.name()), false);
      index(managementLadder(d.name()), true);
    }
  }

  Optional<Rung> rungOf(String title) {
    return Optional.ofNullable(byTitle.get(title));
  }

  /** Whether {@code title} manages people (for choosing managers of hires and movers). */
  static boolean isManagerial(String title) {
    return title.contains("Manager") || title.startsWith("Director");
  }

  static List<String> individualLadder(String department) {
    if (department.startsWith("Engineering")) {
      return List.of("Software Engineer I", "Software Engineer II", "Senior Software Engineer",
          "Staff Software Engineer", "Principal Software Engineer");
    }
    if (department.startsWith("Sales")) {
      return List.of("Sales Development Representative", "Account Executive", "Senior Account Executive",
          "Enterprise Account Executive", "Principal Account Executive");
    }
    if (department.startsWith("Data Science")) {
      return List.of("Data Analyst", "Data Scientist", "Senior Data Scientist", "Staff Data Scientist",
          "Principal Data Scientist");
    }
    if (department.startsWith("Security")) {
      return List.of("Security Analyst", "Security Engineer", "Senior Security Engineer", "Staff Security Engineer",
          "Principal Security Engineer");
    }
    return List.of(department + " Associate", department + " Specialist", "Senior " + department + " Specialist",
        "Lead " + department + " Specialist", "Principal " + department + " Specialist");
  }

  static List<String> managementLadder(String department) {
    return List.of(department + " Manager", "Senior " + department + " Manager", "Director of " + department);
  }

  /** Levels of a track: 5 individual, 3 management. */
  static int levels(boolean managerial) {
    return managerial ? MANAGEMENT_CEILINGS.length : INDIVIDUAL_CEILINGS.length;
  }

  /** The largest share of its track's people {@code level} may hold. */
  static double ceiling(boolean managerial, int level) {
    return managerial ? MANAGEMENT_CEILINGS[level] : INDIVIDUAL_CEILINGS[level];
  }

  /** Lower bound of a level's salary band; bands grow by 25% (individual) or 30% (management) a level. */
  static BigDecimal bandMin(boolean managerial, int level) {
    double base = managerial ? 95_000 * Math.pow(1.30, level) : 42_000 * Math.pow(1.25, level);
    return BigDecimal.valueOf(base).setScale(2, RoundingMode.HALF_UP);
  }

  private void index(List<String> ladder, boolean managerial) {
    for (int level = 0; level < ladder.size(); level++) {
      byTitle.putIfAbsent(ladder.get(level), new Rung(ladder, level, managerial));
    }
  }
}
