package org.activitypipeline.batch.ingest;

import java.time.ZoneOffset;
import org.activitypipeline.common.event.Activity;
import org.activitypipeline.common.event.EnrichedActivity;
import org.activitypipeline.common.json.InvalidRecordException;
import org.activitypipeline.common.json.Json;
import org.activitypipeline.common.json.JsonCodec;
import org.activitypipeline.lakehouse.Tables;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A {@code processed-activities} record as an {@code employee_activity} row (partition: the UTC date of the event). */
public final class ActivityRows {

  public static final Schema SCHEMA = Tables.employeeActivity();

  private final JsonCodec<EnrichedActivity> codec = JsonCodec.of(EnrichedActivity.class, EnrichedActivity.SCHEMA_VERSION);

  /** @throws InvalidRecordException naming the problem, for a record that cannot be stored */
  public GenericRecord toRow(ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null) {
      throw new InvalidRecordException("null value (processed-activities has no tombstones)");
    }
    EnrichedActivity e = codec.decode(record.value());
    Activity a = e.activity();
    if (a == null || a.activityId() == null || a.eventTime() == null || a.activityType() == null) {
      throw new InvalidRecordException("activity, activity_id, activity_type and event_time are required");
    }
    GenericRecord r = new GenericData.Record(SCHEMA);
    r.put("activity_id", a.activityId());
    r.put("employee_id", a.employeeId());
    r.put("activity_type", a.activityType());
    r.put("device_type", a.deviceType());
    r.put("os", a.os());
    r.put("ip", a.ip());
    r.put("location", a.location());
    r.put("duration_seconds", a.durationSeconds());
    r.put("event_time_ms", a.eventTime().toEpochMilli());
    r.put("ingest_time_ms", a.ingestTime() == null ? null : a.ingestTime().toEpochMilli());
    r.put("metadata_json", a.metadata().isEmpty() ? null : new String(Json.write(a.metadata()),
        java.nio.charset.StandardCharsets.UTF_8));
    r.put("employee_known", e.employeeKnown());
    r.put("department_id", e.departmentId());
    r.put("department_name", e.departmentName());
    r.put("job_title", e.jobTitle());
    r.put("employee_location", e.employeeLocation());
    r.put("employee_status", e.employeeStatus());
    r.put("processed_at_ms", e.processedAt() == null ? record.timestamp() : e.processedAt().toEpochMilli());
    r.put("kafka_partition", record.partition());
    r.put("kafka_offset", record.offset());
    r.put("event_date", a.eventTime().atOffset(ZoneOffset.UTC).toLocalDate().toString());
    return r;
  }
}
