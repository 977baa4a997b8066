package org.activitypipeline.bench.processor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a consumer group has committed on some topics, against their end offsets, read with the
 * admin client (so it measures the component from outside, as an operator's lag monitor would).
 */
public final class OffsetProgress {
  private final Admin admin;

  public OffsetProgress(Admin admin) {
    this.admin = admin;
  }

  /** Sum of the group's committed offsets on {@code topics}. */
  public long committed(String group, List<String> topics) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> c = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
        .get(30, TimeUnit.SECONDS);
    return c.entrySet().stream().filter(e -> topics.contains(e.getKey().topic()) && e.getValue() != null)
        .mapToLong(e -> e.getValue().offset()).sum();
  }

  /**
   * True when the group committed every partition of {@code topics} up to its end; {@code slack}
   * allows for a trailing transaction marker (a transactional topic's end is one past its last record).
   */
  public boolean caughtUp(String group, List<String> topics, int slack) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> c = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
        .get(30, TimeUnit.SECONDS);
    Map<TopicPartition, OffsetSpec> req = new HashMap<>();
    for (String t : topics) {
      admin.describeTopics(List.of(t)).allTopicNames().get(30, TimeUnit.SECONDS).get(t).partitions()
          .forEach(p -> req.put(new TopicPartition(t, p.partition()), OffsetSpec.latest()));
    }
    var ends = admin.listOffsets(req).all().get(30, TimeUnit.SECONDS);
    for (var e : ends.entrySet()) {
      long end = e.getValue().offset();
      OffsetAndMetadata o = c.get(e.getKey());
      long at = o == null ? 0 : o.offset();
      if (end > 0 && at < end - slack) {
        return false;
      }
    }
    return true;
  }
}
