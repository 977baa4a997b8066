package org.activitypipeline.bench.speed;

import java.util.List;

/**
 * One implementation under test, started over one input topic with its own output topics. Its
 * progress is read from outside, from its consumer group's committed offsets.
 */
interface Contender extends AutoCloseable {
  /** The consumer group whose committed offsets show how far it got. */
  String group();

  /** Topics the group reads from outside (committed to their end = all input consumed). */
  List<String> inputs();

  /** Internal topics it must also have committed to their end before its output is complete. */
  List<String> internal();

  /** The error that stopped it, or null while it runs. */
  Throwable failure();

  /** Where it wrote; null for the raw copy. */
  Outputs outputs();

  @Override
  void close();

  /**
   * Output topics of one run.
   *
   * @param late null for the Kafka Streams peer, which drops late records instead
   */
  record Outputs(String processedActivities, String hourly, String daily, String late) {
  }
}
