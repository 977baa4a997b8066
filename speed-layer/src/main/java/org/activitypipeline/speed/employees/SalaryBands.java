package org.activitypipeline.speed.employees;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Coarse salary bands: the only form of salary that leaves the speed layer. Built from ascending
 * upper bounds; each band includes its lower bound, so with bounds {@code 50000,75000} a salary of
 * exactly 50000 is in {@code "50k-75k"}.
 *
 * <p>Labels format a bound in thousands ({@code 50k}) when it is a whole number of thousands and as
 * the plain number otherwise ({@code 62500}), so distinct bounds always get distinct labels.
 *
 * <p>Immutable and thread-safe.
 */
public final class SalaryBands {
  // Before DEFAULT: static fields initialise in order, and building DEFAULT formats its bounds.
  private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

  /** {@code <50k, 50k-75k, 75k-100k, 100k-150k, >=150k}. */
  public static final SalaryBands DEFAULT = parse("50000,75000,100000,150000");

  private final List<BigDecimal> upperBounds;
  // labels.get(i) is the band below upperBounds.get(i); the last label is the open-ended top band.
  private final List<String> labels;

  private SalaryBands(List<BigDecimal> upperBounds) {
    this.upperBounds = List.copyOf(upperBounds);
    List<String> l = new ArrayList<>(upperBounds.size() + 1);
    l.add("<" + format(upperBounds.get(0)));
    for (int i = 1; i < upperBounds.size(); i++) {
      l.add(format(upperBounds.get(i - 1)) + "-" + format(upperBounds.get(i)));
    }
    l.add(">=" + format(upperBounds.get(upperBounds.size() - 1)));
    this.labels = List.copyOf(l);
  }

  /**
   * Bands from a comma-separated list of upper bounds, e.g. {@code "50000,75000,100000,150000"}
   * (blanks around numbers are ignored).
   *
   * @throws IllegalArgumentException naming the offending value when the list is empty, a value is
   *     not a number or not positive, or the values are not strictly ascending
   */
  public static SalaryBands parse(String upperBounds) {
    if (upperBounds == null || upperBounds.isBlank()) {
      throw new IllegalArgumentException("salary bands are empty: expected ascending upper bounds like 50000,75000,100000");
    }
    List<BigDecimal> bounds = new ArrayList<>();
    // limit -1 keeps trailing empty tokens, so "50000," is reported instead of silently accepted.
    for (String token : upperBounds.split(",", -1)) {
      String t = token.trim();
      try {
        bounds.add(new BigDecimal(t));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("salary band bound '" + t + "' is not a number (in '" + upperBounds + "')", e);
      }
    }
    return of(bounds);
  }

  /**
   * Bands from ascending upper bounds.
   *
   * @throws IllegalArgumentException naming the offending value when the list is empty, a value is
   *     null or not positive, or the values are not strictly ascending
   */
  public static SalaryBands of(List<BigDecimal> upperBounds) {
    if (upperBounds == null || upperBounds.isEmpty()) {
      throw new IllegalArgumentException("salary bands are empty: expected ascending upper bounds like 50000,75000,100000");
    }
    BigDecimal previous = null;
    for (BigDecimal b : upperBounds) {
      if (b == null) {
        throw new IllegalArgumentException("salary band bound is null in " + upperBounds);
      }
      if (b.signum() <= 0) {
        throw new IllegalArgumentException("salary band bound '" + b.toPlainString() + "' is not positive");
      }
      if (previous != null && b.compareTo(previous) <= 0) {
        throw new IllegalArgumentException("salary band bound '" + b.toPlainString()
            + "' is not above the previous bound '" + previous.toPlainString() + "': bounds must be strictly ascending");
      }
      previous = b;
    }
    return new SalaryBands(upperBounds);
  }

  /** The band label of {@code salary}, or null when the salary is null (unknown). */
  public String bandOf(BigDecimal salary) {
    if (salary == null) {
      return null;
    }
    // A handful of bounds: a linear scan beats a binary search in clarity and costs nothing.
    for (int i = 0; i < upperBounds.size(); i++) {
      if (salary.compareTo(upperBounds.get(i)) < 0) {
        return labels.get(i);
      }
    }
    return labels.get(labels.size() - 1);
  }

  /** The upper bounds, ascending, as given. */
  public List<BigDecimal> upperBounds() {
    return upperBounds;
  }

  /** Every band label, lowest band first (one more than there are bounds). */
  public List<String> labels() {
    return labels;
  }

  private static String format(BigDecimal bound) {
    BigDecimal[] quotientAndRemainder = bound.divideAndRemainder(THOUSAND);
    if (quotientAndRemainder[1].signum() == 0) {
      return quotientAndRemainder[0].stripTrailingZeros().toPlainString() + "k";
    }
    return bound.stripTrailingZeros().toPlainString();
  }

  // Labels identify the bounds numerically (50000 and 50000.00 give the same labels), so they make a
  // scale-insensitive equality.
  @Override
  public boolean equals(Object o) {
    return o instanceof SalaryBands other && labels.equals(other.labels);
  }

  @Override
  public int hashCode() {
    return labels.hashCode();
  }

  @Override
  public String toString() {
    return "SalaryBands" + labels;
  }
}
