package org.activitypipeline.batch.ingest;

import org.activitypipeline.common.event.DepartmentChange;
import org.activitypipeline.common.json.InvalidRecordException;
import org.activitypipeline.lakehouse.Tables;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A {@code processed-departments} record as a row of {@code department_changes} (every state of a department). */
public final class DepartmentRows {
  public static final Schema SCHEMA = Tables.departmentChanges();

  /**
   * @return the row, or null for a tombstone (a compaction marker; the states before it stay history)
   * @throws InvalidRecordException naming the problem
   */
  public GenericRecord toRow(ConsumerRecord<byte[], byte[]> record) {
    DepartmentChange d = DepartmentChange.fromJson(record.value());
    if (d == null) {
      return null;
    }
    GenericRecord r = new GenericData.Record(SCHEMA);
    r.put("change_id", d.departmentId() + ":" + d.sourceLsn());
    r.put("department_id", d.departmentId());
    r.put("name", d.name());
    r.put("deleted", d.deleted());
    r.put("source_lsn", d.sourceLsn());
    r.put("source_time_ms", d.sourceTime() == null ? null : d.sourceTime().toEpochMilli());
    r.put("kafka_partition", record.partition());
    r.put("kafka_offset", record.offset());
    return r;
  }
}
