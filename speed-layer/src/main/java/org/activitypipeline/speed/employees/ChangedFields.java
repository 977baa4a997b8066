package org.activitypipeline.speed.employees;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.activitypipeline.common.event.ChangeOp;

/**
 * The {@code changed_fields} of an employee change: known columns in table order, then extra
 * columns by name. Salary is reported as {@code salary_band}, and only when the band changes, so
 * the field list does not reveal a raise within a band either. A column the {@link ColumnPolicy}
 * drops is never reported: that it changed is information too.
 */
final class ChangedFields {
  private static final ObjectNode NO_ROW = JsonNodeFactory.instance.objectNode();

  private ChangedFields() {
  }

  static List<String> of(ChangeOp op, ObjectNode before, ObjectNode after, SalaryBands bands, ColumnPolicy policy) {
    return switch (op) {
      case CREATE, SNAPSHOT -> allKnown(after, policy);
      case UPDATE -> diff(before == null ? NO_ROW : before, after, bands, policy);
      case DELETE -> List.of();
    };
  }

  /** Every known column present in the row: on create and snapshot there is no previous state. */
  private static List<String> allKnown(ObjectNode row, ColumnPolicy policy) {
    List<String> fields = new ArrayList<>();
    for (String column : EmployeeColumns.KNOWN) {
      if (row.has(column) && policy.publishes(column)) {
        fields.add(EmployeeColumns.outputName(column));
      }
    }
    return fields;
  }

  /**
   * The columns whose value differs. Without a before image, diffing against an empty row makes
   * every column present in {@code after} count as changed.
   */
  private static List<String> diff(ObjectNode before, ObjectNode after, SalaryBands bands, ColumnPolicy policy) {
    List<String> fields = new ArrayList<>();
    for (String column : EmployeeColumns.KNOWN) {
      if (EmployeeColumns.UPDATED_AT.equals(column) || !policy.publishes(column)) {
        continue; // updated_at is set by a trigger on every update: never a change of its own
      }
      boolean changed = EmployeeColumns.SALARY.equals(column)
          ? !Objects.equals(band(before, "before", bands), band(after, "after", bands))
          : !sameValue(before.get(column), after.get(column));
      if (changed) {
        fields.add(EmployeeColumns.outputName(column));
      }
    }
    for (String column : EmployeeColumns.extraColumns(before, after)) {
      if (policy.publishes(column) && !sameValue(before.get(column), after.get(column))) {
        fields.add(column);
      }
    }
    return fields;
  }

  private static String band(ObjectNode row, String image, SalaryBands bands) {
    return bands.bandOf(new RowReader(row, image).decimal(EmployeeColumns.SALARY));
  }

  /** JSON equality, except that numbers compare by value (1 equals 1.0, an int node a long node). */
  private static boolean sameValue(JsonNode a, JsonNode b) {
    if (a == null || b == null) {
      return a == b; // a column absent from one image only (added or dropped) changed
    }
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return a.equals(b);
  }
}
