package org.activitypipeline.speed.processor;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Consumer lag per input topic over all of the processor's threads: records not consumed yet (summed)
 * and how long the topic has been behind (the largest over its partitions). Each thread replaces its
 * report after each commit; the scrape reads. A topic no current report names reads 0: its partitions
 * moved to another process, whose own gauges now show their lag. Thread-safe.
 */
final class ConsumerLagTable {

  /**
   * One assigned partition as its thread sees it: {@code records} behind the end, behind since
   * {@code sinceMillis} (the Kafka timestamp of the last record the thread processed from it, or the
   * assignment time before the first).
   */
  record PartitionLag(String topic, long records, long sinceMillis) {}

  private record TopicLag(long records, long millis) {
    TopicLag plus(TopicLag o) {
      return new TopicLag(records + o.records, Math.max(millis, o.millis));
    }
  }

  /** By thread, each report an immutable map by topic: a scrape never sees a report half-built. */
  private final ConcurrentHashMap<Integer, Map<String, TopicLag>> byThread = new ConcurrentHashMap<>();

  /** {@code thread}'s partitions now (all of them: a topic left out reads 0 for this thread). */
  void report(int thread, Collection<PartitionLag> partitions, long nowMillis) {
    Map<String, TopicLag> topics = new HashMap<>();
    for (PartitionLag p : partitions) {
      // Caught up means not behind at all, however old the last record; a clock step back is not negative lag.
      long millis = p.records() > 0 ? Math.max(0, nowMillis - p.sinceMillis()) : 0;
      topics.merge(p.topic(), new TopicLag(Math.max(0, p.records()), millis), TopicLag::plus);
    }
    byThread.put(thread, Map.copyOf(topics));
  }

  /** {@code thread} holds no partitions any more (it stopped). */
  void forget(int thread) {
    byThread.remove(thread);
  }

  long records(String topic) {
    long sum = 0;
    for (Map<String, TopicLag> topics : byThread.values()) {
      TopicLag l = topics.get(topic);
      sum += l == null ? 0 : l.records();
    }
    return sum;
  }

  double seconds(String topic) {
    long max = 0;
    for (Map<String, TopicLag> topics : byThread.values()) {
      TopicLag l = topics.get(topic);
      max = Math.max(max, l == null ? 0 : l.millis());
    }
    return max / 1000.0;
  }
}
