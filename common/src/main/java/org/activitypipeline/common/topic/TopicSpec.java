package org.activitypipeline.common.topic;

/**
 * A topic the pipeline reads or writes: name, partition count and cleanup policy, as declared in
 * DESIGN §4. The local stack creates these; operators create them the same way in production.
 */
public record TopicSpec(String name, int partitions, CleanupPolicy cleanupPolicy, String description) {
  public TopicSpec {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("topic name must not be blank");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("topic " + name + " needs at least one partition, was " + partitions);
    }
  }
}
