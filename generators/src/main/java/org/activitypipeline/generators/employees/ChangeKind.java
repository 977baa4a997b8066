package org.activitypipeline.generators.employees;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.activitypipeline.common.event.ChangeOp;

/**
 * The kinds of change the generator makes, with their share of the mix (weights sum to 100). The
 * hire weight applies while the company is below its target headcount; at or above it there are no
 * hires, so the headcount hovers around the target (see {@link ChangePlanner}).
 *
 * <p>Public so that callers can restrict the mix ({@code EmployeeGenerator.connect(..., kinds)},
 * {@code employees --kinds}); the weights stay internal.
 */
public enum ChangeKind {
  RAISE("raise", ChangeOp.UPDATE, 40),
  PROMOTION("promotion", ChangeOp.UPDATE, 14),
  DEPARTMENT_MOVE("department_move", ChangeOp.UPDATE, 12),
  STATUS_CHANGE("status_change", ChangeOp.UPDATE, 22),
  HIRE("hire", ChangeOp.CREATE, 11),
  DELETE("delete", ChangeOp.DELETE, 1);

  private final String label;
  private final ChangeOp op;
  private final int weight;

  ChangeKind(String label, ChangeOp op, int weight) {
    this.label = label;
    this.op = op;
    this.weight = weight;
  }

  /** The name used in journals, summaries and {@code --kinds}, e.g. {@code department_move}. */
  public String label() {
    return label;
  }

  ChangeOp op() {
    return op;
  }

  int weight() {
    return weight;
  }

  /** Every label, in declaration order, joined with ", " (for messages and help). */
  public static String labels() {
    return String.join(", ", Arrays.stream(values()).map(ChangeKind::label).toList());
  }

  /**
   * Parses kind labels (case-insensitive; blanks around them and empty entries are ignored, duplicates allowed).
   *
   * @throws IllegalArgumentException naming the unknown labels and listing the valid ones, or when no
   *     kind is given at all (a generator allowed no change could never make one)
   */
  public static Set<ChangeKind> parse(Collection<String> names) {
    List<String> unknown = new ArrayList<>();
    Set<ChangeKind> kinds = EnumSet.noneOf(ChangeKind.class);
    for (String name : names) {
      String label = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
      if (!label.isEmpty()) {
        Arrays.stream(values()).filter(k -> k.label.equals(label)).findFirst()
            .ifPresentOrElse(kinds::add, () -> unknown.add(name.trim()));
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown change kind '" + String.join("', '", unknown) + "' (valid kinds: "
          + labels() + ")");
    }
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("at least one change kind is needed (valid kinds: " + labels() + ")");
    }
    return kinds;
  }
}
