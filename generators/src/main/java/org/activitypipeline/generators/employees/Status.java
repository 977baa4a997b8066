package org.activitypipeline.generators.employees;

/** {@code employees.status}, as constrained by the schema's CHECK. */
enum Status {
  ACTIVE("active"), ON_LEAVE("on_leave"), TERMINATED("terminated");

  private final String sql;

  Status(String sql) {
    this.sql = sql;
  }

  String sql() {
    return sql;
  }

  static Status fromSql(String value) {
    for (Status s : values()) {
      if (s.sql.equals(value)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown employee status '" + value + "'");
  }
}
