package org.activitypipeline.speed.employees;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.activitypipeline.common.event.ChangeOp;
import org.activitypipeline.common.event.Versioned;
import org.activitypipeline.common.json.InvalidRecordException;
import org.activitypipeline.common.json.JsonCodec;

/**
 * The latest state of one department, as far as employee enrichment needs it: its name. Parsed
 * from a Debezium change event of {@code public.departments}, and stored as JSON (snake_case, with
 * {@code schema_version}) on a compacted topic keyed by department id, from which the department
 * names are restored after a restart.
 *
 * @param name       the department name; null only for a delete whose before image lacks it
 * @param deleted    true when the department was deleted (the other fields are its last state)
 * @param sourceLsn  PostgreSQL LSN of the change, for {@link LsnDeduplicator}
 * @param sourceTime PostgreSQL commit time of the change ({@code source.ts_ms}): from then on this is the
 *                   department's state (renames are history); null when absent (states written before
 *                   it was recorded count as valid since ever)
 */
public record DepartmentChange(long departmentId, String name, boolean deleted, long sourceLsn, Instant sourceTime)
    implements Versioned {
  public static final int SCHEMA_VERSION = 1;

  static final String TABLE = "departments";

  private static final JsonCodec<DepartmentChange> CODEC = JsonCodec.of(DepartmentChange.class, SCHEMA_VERSION);

  /** Written as {@code schema_version} like every pipeline value; not a record component. */
  @Override
  @JsonProperty("schema_version")
  public int schemaVersion() {
    return SCHEMA_VERSION;
  }

  /**
   * @return the change, or null for a tombstone (null or empty value)
   * @throws InvalidRecordException when the value is not JSON, not a departments change event, has
   *     an unknown op, lacks the row image of its op, {@code department_id}, the name of a live
   *     department, or {@code source.lsn}
   */
  public static DepartmentChange parse(byte[] debeziumValue) {
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

  /** This state as JSON: {@code schema_version, department_id, name, deleted, source_lsn, source_time}. */
  public byte[] toJson() {
    return CODEC.encode(this);
  }

  /**
   * Reads what {@link #toJson()} wrote.
   *
   * @return null for null or empty bytes (a tombstone on the compacted topic)
   * @throws InvalidRecordException when the bytes are not a department state: not JSON, unknown
   *     {@code schema_version}, or a missing {@code department_id}, {@code deleted} or
   *     {@code source_lsn} (never read as 0 or false)
   */
  public static DepartmentChange fromJson(byte[] json) {
    if (json == null || json.length == 0) {
      return null;
    }
    return CODEC.decode(json);
  }
}
