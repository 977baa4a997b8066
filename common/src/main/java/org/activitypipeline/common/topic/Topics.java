package org.activitypipeline.common.topic;

import java.util.List;

/**
 * The topic contract of DESIGN §4: default names, partition counts and cleanup policies. Names are
 * configurable per process, but the four processed topics keep exactly these names.
 *
 * <p>Partition counts: activity topics carry the volume and are spread over 6 partitions (the unit
 * of parallelism of the processor); employee and aggregate topics are small.
 */
public final class Topics {
  public static final TopicSpec CDC_EMPLOYEES = new TopicSpec("cdc.public.employees", 3, CleanupPolicy.DELETE,
      "Debezium change events of public.employees, keyed by employee_id");
  public static final TopicSpec CDC_DEPARTMENTS = new TopicSpec("cdc.public.departments", 1, CleanupPolicy.DELETE,
      "Debezium change events of public.departments, keyed by department_id");
  public static final TopicSpec RAW_ACTIVITIES = new TopicSpec("raw-activities", 6, CleanupPolicy.DELETE,
      "Activity rows polled from Cassandra, keyed by employee_id");
  public static final TopicSpec PROCESSED_EMPLOYEES = new TopicSpec("processed-employees", 3, CleanupPolicy.COMPACT,
      "Current employee state with op, changed fields, department name and salary band");
  public static final TopicSpec PROCESSED_DEPARTMENTS = new TopicSpec("processed-departments", 1,
      CleanupPolicy.COMPACT, "Department states (name, deleted) with their commit time: the names' history");
  public static final TopicSpec PROCESSED_ACTIVITIES = new TopicSpec("processed-activities", 6, CleanupPolicy.DELETE,
      "Activities enriched with the employee's attributes");
  public static final TopicSpec HOURLY_ACTIVITY_AGGREGATIONS = new TopicSpec("hourly-activity-aggregations", 6,
      CleanupPolicy.COMPACT, "Hourly activity per department and activity type");
  public static final TopicSpec DAILY_DEVICE_AGGREGATIONS = new TopicSpec("daily-device-aggregations", 3,
      CleanupPolicy.COMPACT, "Daily usage per device type");
  public static final TopicSpec LATE_ACTIVITIES = new TopicSpec("late-activities", 3, CleanupPolicy.DELETE,
      "Activities that arrived after their window's allowed lateness");
  public static final TopicSpec PIPELINE_DLQ = new TopicSpec("pipeline-dlq", 3, CleanupPolicy.DELETE,
      "Records no stage could process, with error headers");

  /**
   * The Cassandra poller's watermark, written in the same Kafka transaction as the rows it emitted
   * (one record per poller instance, keyed by its transactional id).
   */
  public static final TopicSpec POLLER_STATE = new TopicSpec("poller-state", 1, CleanupPolicy.COMPACT,
      "Internal: the Cassandra poller's committed watermark");

  /**
   * No records: one partition per Cassandra shard ({@code poll.shards}, 8 by default), which the poller
   * instances' consumer group splits between them (scale-out and fail-over).
   */
  public static final TopicSpec POLLER_SHARDS = new TopicSpec("poller-shards", 8, CleanupPolicy.DELETE,
      "Internal: one partition per Cassandra shard, assigned to poller instances by their consumer group");

  /**
   * Per ingest hour, what the batch layer's reconciliation found: activity rows in Cassandra, in Kafka
   * and in Hudi, and the rows it repaired (sent in the same Kafka transaction). Keyed by the hour.
   */
  public static final TopicSpec ACTIVITY_COMPLETENESS = new TopicSpec("activity-completeness", 1, CleanupPolicy.COMPACT,
      "Per ingest hour: activity rows in Cassandra, Kafka and Hudi, and the rows the reconciliation repaired");

  /** Every topic of the contract, in pipeline order, then internal state topics. */
  public static final List<TopicSpec> ALL = List.of(CDC_EMPLOYEES, CDC_DEPARTMENTS, RAW_ACTIVITIES,
      PROCESSED_EMPLOYEES, PROCESSED_DEPARTMENTS, PROCESSED_ACTIVITIES, HOURLY_ACTIVITY_AGGREGATIONS, DAILY_DEVICE_AGGREGATIONS,
      LATE_ACTIVITIES, PIPELINE_DLQ, POLLER_STATE, POLLER_SHARDS, ACTIVITY_COMPLETENESS);

  /** Header names on {@code pipeline-dlq} records. */
  public static final class DlqHeaders {
    public static final String STAGE = "dlq.stage";
    public static final String REASON = "dlq.reason";
    public static final String SOURCE_TOPIC = "dlq.source.topic";
    public static final String SOURCE_PARTITION = "dlq.source.partition";
    public static final String SOURCE_OFFSET = "dlq.source.offset";
    /** Present when the record's value was left out (it is this many bytes, too large to copy). */
    public static final String VALUE_OMITTED_BYTES = "dlq.value.omitted.bytes";
    /**
     * Present when parts of the value were removed because they may not leave the speed layer (the
     * employee column policy): what was removed, e.g. {@code before.salary,after.salary}.
     */
    public static final String VALUE_REDACTED = "dlq.value.redacted";

    private DlqHeaders() {
    }
  }

  private Topics() {
  }
}
