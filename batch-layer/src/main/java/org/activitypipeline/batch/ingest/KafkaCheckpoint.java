package org.activitypipeline.batch.ingest;

import java.util.Map;
import java.util.TreeMap;

/**
 * The next offset to read of each partition of one topic, stored in the extra metadata of the
 * Hudi commit that wrote the records before it. Encoded like Hudi's own streamer checkpoint:
 * {@code topic,0:120,1:98}.
 */
public record KafkaCheckpoint(String topic, Map<Integer, Long> nextOffsets) {

  /** The commit-metadata key of the checkpoint of {@code topic}. */
  public static String metadataKey(String topic) {
    return "activitypipeline.kafka.checkpoint." + topic;
  }

  public KafkaCheckpoint {
    nextOffsets = Map.copyOf(new TreeMap<>(nextOffsets));
  }

  public static KafkaCheckpoint empty(String topic) {
    return new KafkaCheckpoint(topic, Map.of());
  }

  /**
   * Records after this position: over the partitions of {@code endOffsets}, the end offset less the
   * next offset to read, or less the {@code startOffsets} entry for a partition this position does not
   * have (it is read from its beginning). Approximate under transactions: each commit or abort marker
   * takes an offset, and aborted records count though nobody reads them.
   */
  public long recordsAfter(Map<Integer, Long> endOffsets, Map<Integer, Long> startOffsets) {
    long sum = 0;
    for (Map.Entry<Integer, Long> e : endOffsets.entrySet()) {
      Long next = nextOffsets.getOrDefault(e.getKey(), startOffsets.get(e.getKey()));
      sum += next == null ? 0 : Math.max(0, e.getValue() - next);
    }
    return sum;
  }

  public String encode() {
    StringBuilder sb = new StringBuilder(topic);
    new TreeMap<>(nextOffsets).forEach((p, o) -> sb.append(',').append(p).append(':').append(o));
    return sb.toString();
  }

  /** @throws IllegalArgumentException naming what is wrong, for a value that is not a checkpoint of {@code topic} */
  public static KafkaCheckpoint parse(String topic, String encoded) {
    String[] parts = encoded.split(",");
    if (!parts[0].equals(topic)) {
      throw new IllegalArgumentException("checkpoint '" + encoded + "' is for topic '" + parts[0] + "', not '" + topic + "'");
    }
    Map<Integer, Long> offsets = new TreeMap<>();
    for (int i = 1; i < parts.length; i++) {
      String[] po = parts[i].split(":");
      try {
        if (po.length != 2 || Long.parseLong(po[1]) < 0) {
          throw new NumberFormatException();
        }
        offsets.put(Integer.parseInt(po[0]), Long.parseLong(po[1]));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("checkpoint '" + encoded + "': '" + parts[i] + "' is not partition:offset");
      }
    }
    return new KafkaCheckpoint(topic, offsets);
  }
}
