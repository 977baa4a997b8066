package org.activitypipeline.speed.employees;

import java.util.HashMap;
import java.util.Map;

/**
 * Remembers the highest PostgreSQL LSN applied per key, so a change Debezium delivers again is
 * applied once. After a crash Debezium resumes from its last committed offset and re-sends every
 * change after it, some of which were already processed: those carry an LSN at or below the one
 * recorded for their key.
 *
 * <p>Per-key rather than global, because snapshot events ({@code op r}) all share one LSN: each key
 * appears once per snapshot, so they still pass, while a replayed snapshot row does not.
 *
 * <p>Memory is one entry per key ever seen (one per employee or department), never pruned: deleted
 * keys keep their entry so a replayed delete or an older update of them stays rejected.
 *
 * <p>Not thread-safe: owned by the single thread that processes the change stream's partition.
 */
public final class LsnDeduplicator {
  private final Map<Long, Long> lastLsn = new HashMap<>();

  /**
   * Records {@code lsn} for {@code key} when it is newer than any seen for that key.
   *
   * @return true when the change is new and should be applied; false for a replay (LSN already
   *     seen or older), which is not recorded
   */
  public boolean firstTime(long key, long lsn) {
    Long last = lastLsn.get(key);
    if (last != null && lsn <= last) {
      return false;
    }
    lastLsn.put(key, lsn);
    return true;
  }

  /**
   * Records {@code lsn} for {@code key} without asking, e.g. while restoring from the output topic.
   * Keeps the higher of this and any LSN already recorded, so restoring in any order is safe.
   */
  public void observe(long key, long lsn) {
    lastLsn.merge(key, lsn, Math::max);
  }

  /** The highest LSN recorded for {@code key}, or -1 when none. */
  public long lastLsn(long key) {
    return lastLsn.getOrDefault(key, -1L);
  }

  /** The number of keys with a recorded LSN. */
  public int size() {
    return lastLsn.size();
  }
}
