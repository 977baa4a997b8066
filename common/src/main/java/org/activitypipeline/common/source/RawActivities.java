package org.activitypipeline.common.source;

import java.nio.charset.StandardCharsets;
import org.activitypipeline.common.event.Activity;
import org.activitypipeline.common.json.JsonCodec;
import org.activitypipeline.common.topic.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The records a Cassandra activity row becomes, whoever sends it (the poller, or the batch layer's
 * reconciliation repairing a row the poller missed): the same key, timestamp and headers, so every
 * consumer sees one kind of record. Thread-safe.
 */
public final class RawActivities {
  /** Header with the row's timeuuid, on {@code raw-activities} records and on rows' dead letters. */
  public static final String ACTIVITY_ID_HEADER = "activity_id";
  /** Header naming who sent a repaired row ({@code reconcile}); absent on the poller's records. */
  public static final String REPAIRED_BY_HEADER = "repaired_by";
  /** {@code dlq.stage} of a row's dead letter. */
  public static final String STAGE = "poller";

  private final JsonCodec<Activity> codec = JsonCodec.of(Activity.class, Activity.SCHEMA_VERSION);
  private final String topic;
  private final String deadLetterTopic;
  private final String source;

  /**
   * @param topic           the raw activities topic
   * @param deadLetterTopic the dead-letter topic
   * @param source          {@code keyspace.table} of the rows, named in dead letters
   */
  public RawActivities(String topic, String deadLetterTopic, String source) {
    this.topic = topic;
    this.deadLetterTopic = deadLetterTopic;
    this.source = source;
  }

  /**
   * A valid activity as a record: keyed by employee (one employee's activities stay in order), stamped
   * with the row's write time, its id in a header.
   */
  public ProducerRecord<byte[], byte[]> record(Activity a) {
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, a.ingestTime().toEpochMilli(),
        Long.toString(a.employeeId()).getBytes(StandardCharsets.UTF_8), codec.encode(a));
    record.headers().add(ACTIVITY_ID_HEADER, a.activityId().getBytes(StandardCharsets.UTF_8));
    return record;
  }

  /**
   * A dead letter for a refused row: its columns (metadata bounded) with the reason, stamped with the
   * row's write time and its id like an activity record, so whoever looks for the rows of a write-time
   * interval finds it among them.
   */
  public ProducerRecord<byte[], byte[]> deadLetter(ActivityRow row) {
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(deadLetterTopic, null, row.writeTimeMillis(),
        row.activityId().toString().getBytes(StandardCharsets.UTF_8), row.deadLetterValue());
    record.headers().add(Topics.DlqHeaders.STAGE, STAGE.getBytes(StandardCharsets.UTF_8));
    record.headers().add(Topics.DlqHeaders.REASON, row.invalidReason().getBytes(StandardCharsets.UTF_8));
    record.headers().add(Topics.DlqHeaders.SOURCE_TOPIC, ("cassandra:" + source).getBytes(StandardCharsets.UTF_8));
    record.headers().add(ACTIVITY_ID_HEADER, row.activityId().toString().getBytes(StandardCharsets.UTF_8));
    return record;
  }

  /**
   * The row as the record to send: the activity, or, for an invalid row or one whose value exceeds
   * {@code maxValueBytes} (Kafka would refuse it and fail every retry of the transaction), its dead letter.
   *
   * @return the record and the row as sent (rejected with the reason when it became a dead letter)
   */
  public Outgoing outgoing(ActivityRow row, int maxValueBytes) {
    if (row.isValid()) {
      ProducerRecord<byte[], byte[]> record = record(row.activity());
      if (record.value().length <= maxValueBytes) {
        return new Outgoing(row, record);
      }
      row = row.rejected("the activity is " + record.value().length + " bytes as JSON, more than the "
          + maxValueBytes + " bytes a record may have (kafka.producer.max.request.size)");
    }
    return new Outgoing(row, deadLetter(row));
  }

  /** A row and the record it becomes; {@code row.isValid()} is false when the record is its dead letter. */
  public record Outgoing(ActivityRow row, ProducerRecord<byte[], byte[]> record) {}

  /** Whether {@code record} of the dead-letter topic is a row's dead letter (stage {@value #STAGE}). */
  public static boolean isRowDeadLetter(org.apache.kafka.common.header.Headers headers) {
    var stage = headers.lastHeader(Topics.DlqHeaders.STAGE);
    return stage != null && STAGE.equals(new String(stage.value(), StandardCharsets.UTF_8));
  }
}
