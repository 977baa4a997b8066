package org.activitypipeline.speed.poller;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.activitypipeline.common.time.ActivityBuckets;

/**
 * The ids already emitted whose write time lies inside the late window: what the second look must not
 * emit again. Memory stays bounded by the window (rate x window), pruned by write time.
 *
 * <p>Not thread-safe; owned by the poll loop.
 */
final class RecentIds {
  private record Entry(long writeMs, UUID id) {
  }

  private final Set<UUID> ids = new HashSet<>();
  // Roughly ordered by write time (a second look can add older ids): pruning scans from the head and
  // stops at the first young entry, and older stragglers behind it go at a later prune.
  private final Deque<Entry> byAge = new ArrayDeque<>();

  boolean contains(UUID id) {
    return ids.contains(id);
  }

  /** @return false when {@code id} was already there */
  boolean add(UUID id) {
    if (!ids.add(id)) {
      return false;
    }
    byAge.addLast(new Entry(ActivityBuckets.writeTimeMillis(id), id));
    return true;
  }

  /** Forgets ids written before {@code oldestMs}: no poll reads that far back again. */
  void pruneOlderThan(long oldestMs) {
    while (!byAge.isEmpty() && byAge.peekFirst().writeMs() < oldestMs) {
      ids.remove(byAge.pollFirst().id());
    }
  }

  int size() {
    return ids.size();
  }
}
