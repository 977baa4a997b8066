package org.activitypipeline.speed.employees;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.activitypipeline.common.event.ChangeOp;
import org.activitypipeline.common.event.DepartmentChange;
import org.activitypipeline.common.json.InvalidRecordException;

/** Debezium change events of {@code public.departments} as {@link DepartmentChange}s. Stateless. */
final class DepartmentChanges {
  static final String TABLE = "departments";

  private DepartmentChanges() {
  }

  /**
   * @return the change, or null for a tombstone (null or empty value)
   * @throws InvalidRecordException when the value is not JSON, not a departments change event, has
   *     an unknown op, lacks the row image of its op, {@code department_id}, the name of a live
   *     department, or {@code source.lsn}
   */
  static DepartmentChange parse(byte[] debeziumValue) {
    DebeziumEnvelope event = DebeziumEnvelope.parse(debeziumValue, TABLE);
    if (event == null) {
      return null;
    }
    ObjectNode row = event.stateRow();
    RowReader r = new RowReader(row, event.stateImage());
    long id = r.requiredLong("department_id");
    String name = r.text("name");
    boolean deleted = event.op() == ChangeOp.DELETE;
    // A delete only needs the id (REPLICA IDENTITY DEFAULT would give just that); a live department
    // without a name would enrich employees with nothing.
    if (name == null && !deleted) {
      throw new InvalidRecordException("missing field '" + event.stateImage() + ".name'");
    }
    return new DepartmentChange(id, name, deleted, event.sourceLsn(), event.sourceTime());
  }
}
