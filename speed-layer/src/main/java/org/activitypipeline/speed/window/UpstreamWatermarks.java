package org.activitypipeline.speed.window;

import java.util.HashMap;
import java.util.Map;

/**
 * The watermark of one window task: the minimum over all enrich tasks of the last marker each sent
 * (DESIGN §5a). Until a marker of every enrich task has arrived it is {@link Long#MIN_VALUE}: one
 * fast partition alone never closes a window, so replaying a backlog finds only truly late events.
 */
final class UpstreamWatermarks {
  private final Map<Integer, Long> byTask = new HashMap<>();
  private int expected;

  /** @return true if the marker moved this task's watermark (markers never go back) */
  boolean update(WatermarkMarker m) {
    expected = Math.max(expected, m.of());
    Long before = byTask.get(m.task());
    if (before != null && before >= m.watermark()) {
      return false;
    }
    byTask.put(m.task(), m.watermark());
    return true;
  }

  long current() {
    if (expected == 0 || byTask.size() < expected) {
      return Long.MIN_VALUE;
    }
    long min = Long.MAX_VALUE;
    for (long w : byTask.values()) {
      min = Math.min(min, w);
    }
    return min;
  }

  WatermarkMarker marker(int task) {
    Long w = byTask.get(task);
    return w == null ? null : new WatermarkMarker(task, expected, w);
  }

  int size() {
    return byTask.size();
  }
}
