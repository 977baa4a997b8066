package org.activitypipeline.batch.ingest;

import java.util.Map;

/**
 * How long until Kafka may remove the oldest record of a topic the ingest has not read yet: by
 * retention ({@code retention.ms}, delete policy) or by compaction ({@code min.compaction.lag.ms},
 * compact policy; only history is lost then, the latest value per key stays). The batch layer may be
 * down for at most that long without losing input. Pure; time passed in.
 *
 * @param topic          the topic
 * @param unreadAgeMillis age of the oldest unread record (0 when everything is read)
 * @param limitMillis    how old a record may get before Kafka may remove it; negative when never
 * @param limitKey       the topic setting that sets the limit
 */
record RetentionHeadroom(String topic, long unreadAgeMillis, long limitMillis, String limitKey) {
  /** Below this share of the limit left, the ingest warns. */
  static final double LOW_SHARE = 0.25;

  /**
   * @param config            the topic's configuration ({@code cleanup.policy}, {@code retention.ms},
   *                          {@code min.compaction.lag.ms}; broker defaults included)
   * @param oldestUnreadMillis timestamp of the oldest record not read yet, or null when none is unread
   */
  static RetentionHeadroom of(String topic, Map<String, String> config, Long oldestUnreadMillis, long nowMillis) {
    long age = oldestUnreadMillis == null ? 0 : Math.max(0, nowMillis - oldestUnreadMillis);
    String policy = config.getOrDefault("cleanup.policy", "delete");
    long limit = -1;
    String key = "retention.ms";
    if (policy.contains("delete")) {
      limit = parse(config.get("retention.ms"));
    }
    if (policy.contains("compact")) {
      long lag = parse(config.get("min.compaction.lag.ms"));
      if (limit < 0 || (lag >= 0 && lag < limit)) {
        limit = lag;
        key = "min.compaction.lag.ms";
      }
    }
    return new RetentionHeadroom(topic, age, limit, key);
  }

  private static long parse(String value) {
    try {
      return value == null ? -1 : Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Time left before the oldest unread record may be removed; {@link Long#MAX_VALUE} when never. */
  long headroomMillis() {
    return limitMillis < 0 ? Long.MAX_VALUE : limitMillis - unreadAgeMillis;
  }

  /** Less than a quarter of the limit left (or a compacted topic without a compaction lag and unread records). */
  boolean low() {
    return limitMillis >= 0 && headroomMillis() < limitMillis * LOW_SHARE
        || limitMillis == 0 && unreadAgeMillis > 0;
  }
}
