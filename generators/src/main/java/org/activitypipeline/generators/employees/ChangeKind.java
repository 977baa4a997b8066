package org.activitypipeline.generators.employees;

import org.activitypipeline.common.event.ChangeOp;

/**
 * The kinds of change the generator makes, with their share of the mix (weights sum to 100). The
 * hire weight applies while the company is below its target headcount; at or above it there are no
 * hires, so the headcount hovers around the target (see {@link ChangePlanner}).
 */
enum ChangeKind {
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

  String label() {
    return label;
  }

  ChangeOp op() {
    return op;
  }

  int weight() {
    return weight;
  }
}
