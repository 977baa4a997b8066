package org.activitypipeline.speed.window;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The watermark of one window task: the minimum over the enrich tasks of the last marker each sent
 * (DESIGN §5a), leaving out tasks whose last marker said idle. Until a marker of every enrich task has
 * arrived it is {@link Long#MIN_VALUE}: one fast partition alone never closes a window, so replaying a
 * backlog finds only truly late events.
 *
 * <p>Never goes back: a task that turns active again behind the others does not reopen closed windows
 * (its partials for them are counted as arriving after the close); while every task is idle the
 * watermark stays where it was, because idleness alone is no evidence of progress. The value is kept
 * in the window changelog ({@link #restoreCurrent}) so that a restore cannot move it back either.
 */
final class UpstreamWatermarks {
  private final Map<Integer, Long> byTask = new HashMap<>();
  private final Set<Integer> idle = new HashSet<>();
  private int expected;
  private long current = Long.MIN_VALUE;

  /** @return true if the marker changed what is known of its task (its watermark or its idleness) */
  boolean update(WatermarkMarker m) {
    expected = Math.max(expected, m.of());
    Long before = byTask.get(m.task());
    boolean moved = before == null || before < m.watermark();
    if (moved) {
      byTask.put(m.task(), m.watermark());
    }
    boolean idleChanged = m.idle() ? idle.add(m.task()) : idle.remove(m.task());
    if (!moved && !idleChanged) {
      return false;
    }
    recompute();
    return true;
  }

  private void recompute() {
    if (expected == 0 || byTask.size() < expected) {
      return;
    }
    long min = Long.MAX_VALUE;
    for (Map.Entry<Integer, Long> e : byTask.entrySet()) {
      if (!idle.contains(e.getKey())) {
        min = Math.min(min, e.getValue());
      }
    }
    if (min != Long.MAX_VALUE && min > current) {
      current = min;
    }
  }

  /** Restores the value this watermark had reached (from the changelog). */
  void restoreCurrent(long value) {
    current = Math.max(current, value);
  }

  long current() {
    return current;
  }

  WatermarkMarker marker(int task) {
    Long w = byTask.get(task);
    return w == null ? null : new WatermarkMarker(task, expected, w, idle.contains(task));
  }

  int size() {
    return byTask.size();
  }
}
