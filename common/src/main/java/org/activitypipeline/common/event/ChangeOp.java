package org.activitypipeline.common.event;

/** The kind of source change, as in Debezium's {@code op} field (c, u, d, r). */
public enum ChangeOp {
  CREATE("c"), UPDATE("u"), DELETE("d"), SNAPSHOT("r");

  private final String debeziumCode;

  ChangeOp(String debeziumCode) {
    this.debeziumCode = debeziumCode;
  }

  public String debeziumCode() {
    return debeziumCode;
  }

  /** @throws IllegalArgumentException for a code Debezium does not use for row changes */
  public static ChangeOp fromDebezium(String code) {
    for (ChangeOp op : values()) {
      if (op.debeziumCode.equals(code)) {
        return op;
      }
    }
    throw new IllegalArgumentException("unknown Debezium op '" + code + "'");
  }
}
