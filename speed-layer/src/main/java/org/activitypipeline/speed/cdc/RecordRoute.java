package org.activitypipeline.speed.cdc;

/**
 * What the bridge does with one record Debezium hands over. Every record is acknowledged to
 * Debezium (after the batch's Kafka transaction committed); only change events are sent to Kafka.
 */
enum RecordRoute {
  /** A change event of a captured table: sent to its topic (the record's destination). */
  FORWARD,
  /** A heartbeat: carries only a newer position, so acknowledging it moves the slot while tables are idle. */
  HEARTBEAT,
  /**
   * A change of the heartbeat table: not sent as such; the bridge writes a progress record (its commit
   * time) to every partition of the captured tables' topics instead.
   */
  PROGRESS,
  /** BEGIN/END of a source transaction (transaction metadata): acknowledged, not sent. */
  TRANSACTION_MARKER,
  /** No destination topic: nothing to send. */
  NO_TOPIC;

  static final String HEARTBEAT_TOPIC_PREFIX = "__debezium-heartbeat";

  /**
   * @param transactionTopic where Debezium sends transaction markers ({@code <topic.prefix>.transaction})
   * @param heartbeatTopic   where it sends the heartbeat table's changes
   */
  static RecordRoute of(String destination, String transactionTopic, String heartbeatTopic) {
    if (destination == null || destination.isBlank()) {
      return NO_TOPIC;
    }
    if (destination.startsWith(HEARTBEAT_TOPIC_PREFIX)) {
      return HEARTBEAT;
    }
    if (destination.equals(heartbeatTopic)) {
      return PROGRESS;
    }
    if (destination.equals(transactionTopic)) {
      return TRANSACTION_MARKER;
    }
    return FORWARD;
  }

  String metricTag() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
