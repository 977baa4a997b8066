package org.activitypipeline.common.time;

import java.util.function.IntToLongFunction;

/**
 * The contract's rule for "the version as of an event time", over versions sorted by the time they
 * became valid (their commit time): the newest one valid at or before the event time; before the
 * first version, the first. The speed layer's employee directory and the batch views' point-in-time
 * join both pick versions with it.
 */
public final class AsOf {
  private AsOf() {
  }

  /**
   * @param size how many versions there are (at least one)
   * @param validFrom the time version {@code i} became valid; ascending in {@code i}
   * @return the index of the version as of {@code time}
   */
  public static int index(int size, IntToLongFunction validFrom, long time) {
    int lo = 0;
    int hi = size - 1;
    int found = 0; // before the first version: the first
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (validFrom.applyAsLong(mid) <= time) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }
}
