package org.activitypipeline.generators.employees;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/** Makes up a plausible new employee for a department and rung. Pure; shared by seeding and hiring. */
final class Recruiter {
  private Recruiter() {
  }

  /** A new active employee (id 0) with a unique email, a salary in the rung's band and a location. */
  static Employee candidate(RandomGenerator random, Department department, JobLadders.Rung rung, Long managerId,
                            LocalDate hireDate, Predicate<String> emailTaken) {
    String first = People.pick(random, People.FIRST_NAMES);
    String last = People.pick(random, People.LAST_NAMES);
    double where = random.nextDouble();
    String location = where < 0.75 && department.location() != null ? department.location()
        : where < 0.90 ? People.pick(random, People.CITIES) : People.REMOTE;
    return new Employee(0, first, last, People.email(first, last, emailTaken), department.id(), rung.title(),
        location, managerId, hireDate, salaryIn(random, rung), Status.ACTIVE);
  }

  /** Uniform in the rung's band, in cents. */
  static BigDecimal salaryIn(RandomGenerator random, JobLadders.Rung rung) {
    BigDecimal span = rung.bandMax().subtract(rung.bandMin());
    return rung.bandMin().add(span.multiply(BigDecimal.valueOf(random.nextDouble())))
        .setScale(2, RoundingMode.HALF_UP);
  }

  /** {@code salary} times {@code factor}, in cents, strictly greater than {@code salary}. */
  static BigDecimal increase(BigDecimal salary, double factor) {
    BigDecimal raised = salary.multiply(BigDecimal.valueOf(factor)).setScale(2, RoundingMode.HALF_UP);
    return raised.compareTo(salary) > 0 ? raised : salary.add(new BigDecimal("0.01")).setScale(2, RoundingMode.HALF_UP);
  }
}
