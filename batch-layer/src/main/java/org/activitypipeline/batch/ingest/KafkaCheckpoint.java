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
