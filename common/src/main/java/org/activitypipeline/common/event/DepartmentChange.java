package org.activitypipeline.common.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import org.activitypipeline.common.json.InvalidRecordException;
import org.activitypipeline.common.json.JsonCodec;

/**
 * One committed state of a department ({@code processed-departments}, compacted, keyed by department
 * id): the processor's directory and the batch layer's {@code department_changes} table name a
 * department as of an event time from these.
 *
 * @param name       the department name; null only for a delete whose before image lacks it
 * @param deleted    true when the department was deleted (the other fields are its last state)
 * @param sourceLsn  PostgreSQL LSN of the change (dedupe and order)
 * @param sourceTime PostgreSQL commit time of the change ({@code source.ts_ms}): from then on this is the
 *                   department's state (renames are history); null when absent (states written before
 *                   it was recorded count as valid since ever)
 */
public record DepartmentChange(long departmentId, String name, boolean deleted, long sourceLsn, Instant sourceTime)
    implements Versioned {
  public static final int SCHEMA_VERSION = 1;

  private static final JsonCodec<DepartmentChange> CODEC = JsonCodec.of(DepartmentChange.class, SCHEMA_VERSION);

  /** Written as {@code schema_version} like every pipeline value; not a record component. */
  @Override
  @JsonProperty("schema_version")
  public int schemaVersion() {
    return SCHEMA_VERSION;
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
