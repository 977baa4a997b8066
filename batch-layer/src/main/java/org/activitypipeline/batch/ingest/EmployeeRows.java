package org.activitypipeline.batch.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.activitypipeline.common.event.ChangeOp;
import org.activitypipeline.common.event.EmployeeChange;
import org.activitypipeline.common.json.InvalidRecordException;
import org.activitypipeline.common.json.Json;
import org.activitypipeline.common.json.JsonCodec;
import org.activitypipeline.lakehouse.Tables;
import org.activitypipeline.lakehouse.hudi.HudiTableSpec;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A {@code processed-employees} record as rows of {@code employee_changes} (every change) and
 * {@code employees} (current state). Columns added in PostgreSQL arrive in {@code extra_columns}
 * and become columns of both tables (nullable strings), so they reach Hive without a code change.
 */
public final class EmployeeRows {

  /** The tables' schemas without extra columns: what the code knows. */
  public static final Schema BASE_CHANGES = Tables.employeeChanges(List.of());
  public static final Schema BASE_STATE = Tables.employees(List.of());

  private final JsonCodec<EmployeeChange> codec = JsonCodec.of(EmployeeChange.class, EmployeeChange.SCHEMA_VERSION);

  /**
   * @return the change, or null for a tombstone (compaction marker after a delete event, which
   *     itself carried the delete)
   * @throws InvalidRecordException naming the problem
   */
  public EmployeeChange decode(ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null) {
      return null;
    }
    EmployeeChange c = codec.decode(record.value());
    if (c.op() == null) {
      throw new InvalidRecordException("op is required");
    }
    return c;
  }

  /** Extra columns of {@code c} under their Hive-safe names, values as text (JSON for non-strings). */
  public static Map<String, String> extraValues(EmployeeChange c) {
    Map<String, String> out = new LinkedHashMap<>();
    c.extraColumns().forEach((k, v) -> out.put(Tables.extraColumnName(k, BASE_CHANGES), text(v)));
    return out;
  }

  private static String text(Object v) {
    if (v == null || v instanceof String) {
      return (String) v;
    }
    return new String(Json.write(v), StandardCharsets.UTF_8);
  }

  public static String changeId(EmployeeChange c) {
    return c.employeeId() + ":" + c.sourceLsn();
  }

  public GenericRecord changeRow(Schema schema, ConsumerRecord<byte[], byte[]> record, EmployeeChange c) {
    GenericRecord r = new GenericData.Record(schema);
    r.put("change_id", changeId(c));
    fill(r, record, c);
    return r;
  }

  public GenericRecord stateRow(Schema schema, ConsumerRecord<byte[], byte[]> record, EmployeeChange c) {
    GenericRecord r = new GenericData.Record(schema);
    fill(r, record, c);
    r.put(HudiTableSpec.DELETED_FIELD, c.op() == ChangeOp.DELETE);
    return r;
  }

  /**
   * The current-state row that deletes the employee a tombstone is keyed by. Its ordering value is the
   * largest there is, so the delete wins over any version already stored (an employee id is never reused).
   *
   * @throws InvalidRecordException when the key is not an employee id
   */
  public GenericRecord tombstoneRow(Schema schema, ConsumerRecord<byte[], byte[]> record) {
    long employeeId;
    try {
      employeeId = Long.parseLong(new String(record.key() == null ? new byte[0] : record.key(), StandardCharsets.UTF_8));
    } catch (NumberFormatException e) {
      throw new InvalidRecordException("a tombstone whose key is not an employee id");
    }
    GenericRecord r = new GenericData.Record(schema);
    r.put("employee_id", employeeId);
    r.put("op", ChangeOp.DELETE.debeziumCode());
    r.put("source_lsn", Long.MAX_VALUE);
    r.put("source_time_ms", record.timestamp());
    r.put("kafka_partition", record.partition());
    r.put("kafka_offset", record.offset());
    r.put(HudiTableSpec.DELETED_FIELD, true);
    return r;
  }

  private static void fill(GenericRecord r, ConsumerRecord<byte[], byte[]> record, EmployeeChange c) {
    r.put("employee_id", c.employeeId());
    r.put("op", c.op().debeziumCode());
    r.put("first_name", c.firstName());
    r.put("last_name", c.lastName());
    r.put("email", c.email());
    r.put("department_id", c.departmentId());
    r.put("department_name", c.departmentName());
    r.put("job_title", c.jobTitle());
    r.put("location", c.location());
    r.put("manager_id", c.managerId());
    r.put("hire_date", c.hireDate() == null ? null : c.hireDate().toString());
    r.put("salary_band", c.salaryBand());
    r.put("status", c.status());
    r.put("created_at_ms", millis(c.createdAt()));
    r.put("updated_at_ms", millis(c.updatedAt()));
    r.put("changed_fields", c.changedFields().isEmpty() ? null : String.join(",", c.changedFields()));
    r.put("source_lsn", c.sourceLsn());
    r.put("source_time_ms", c.sourceTime() == null ? record.timestamp() : c.sourceTime().toEpochMilli());
    r.put("kafka_partition", record.partition());
    r.put("kafka_offset", record.offset());
    extraValues(c).forEach((column, value) -> {
      if (r.getSchema().getField(column) != null) {
        r.put(column, value);
      }
    });
  }

  private static Long millis(Instant i) {
    return i == null ? null : i.toEpochMilli();
  }
}
