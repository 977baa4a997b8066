package org.activitypipeline.common.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import org.activitypipeline.common.json.InvalidRecordException;
import org.activitypipeline.common.json.JsonCodec;

/**
 * What the reconciliation found for one ingest hour of the Cassandra activity table, the value of its
 * record in {@code activity-completeness} (keyed by {@link #key}). Every count is of distinct
 * {@code activity_id}s written (by their timeuuid) in {@code [hour, hour + 1h)}.
 *
 * @param hour         the ingest hour
 * @param checkedAt    when this check ran
 * @param sourceRows   rows in Cassandra
 * @param rejected     of those, rows that are no valid activity or too large for Kafka: dead-lettered
 * @param inKafka      of those, rows found as the poller sent them (to raw-activities, or dead-lettered)
 * @param repaired     rows the poller had missed that the reconciliation sent (over all its checks)
 * @param unrepaired   rows still missing from Kafka after this check (more than one check repairs at once)
 * @param inHudi       valid rows found in {@code employee_activity}
 * @param notInSource  rows in raw-activities for this hour that Cassandra no longer has (TTL, deletes)
 * @param repairedIds  the ids of the repaired rows, so that a row is repaired once however often the hour is checked
 */
public record HourCompleteness(Instant hour, Instant checkedAt, long sourceRows, long rejected, long inKafka,
                               long repaired, long unrepaired, long inHudi, long notInSource,
                               List<String> repairedIds) implements Versioned {
  public static final int SCHEMA_VERSION = 1;
  private static final JsonCodec<HourCompleteness> CODEC = JsonCodec.of(HourCompleteness.class, SCHEMA_VERSION);

  public HourCompleteness {
    repairedIds = repairedIds == null ? List.of() : List.copyOf(repairedIds);
  }

  @Override
  @JsonProperty("schema_version")
  public int schemaVersion() {
    return SCHEMA_VERSION;
  }

  /** Valid rows: the activities every layer must count. */
  public long validRows() {
    return sourceRows - rejected;
  }

  /** Valid rows not (yet) in Hudi: in flight through the speed layer and the ingest, or lost after Kafka. */
  public long notInHudi() {
    return validRows() - inHudi;
  }

  /** The record key: the hour, ISO-8601. */
  public static String key(Instant hour) {
    return hour.toString();
  }

  public byte[] toJson() {
    return CODEC.encode(this);
  }

  /** @throws InvalidRecordException when the bytes are not a completeness record */
  public static HourCompleteness fromJson(byte[] json) {
    if (json == null || json.length == 0) {
      throw new InvalidRecordException("empty completeness record");
    }
    return CODEC.decode(json);
  }
}
