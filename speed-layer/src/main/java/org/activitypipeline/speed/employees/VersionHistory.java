package org.activitypipeline.speed.employees;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.activitypipeline.common.time.AsOf;

/**
 * The versions of one row (an employee, a department), each valid from its PostgreSQL commit time, as
 * an immutable sorted array: the directory swaps in a new one per change, readers on other threads
 * see either. {@link #at} picks the version as of a time by the contract's rule ({@link AsOf}).
 *
 * @param <T> the row's state
 */
final class VersionHistory<T> {
  /** One version, valid from {@code sinceMillis} (its commit time); {@code lsn} orders ties and dedupes. */
  record Version<T>(long sinceMillis, long lsn, T state) {
  }

  private static final Comparator<Version<?>> ORDER =
      Comparator.<Version<?>>comparingLong(Version::sinceMillis).thenComparingLong(Version::lsn);

  private final List<Version<T>> versions;

  private VersionHistory(List<Version<T>> versions) {
    this.versions = versions;
  }

  static <T> VersionHistory<T> of(Version<T> first) {
    return new VersionHistory<>(List.of(first));
  }

  /**
   * This history with {@code v} added (unchanged when a version with its LSN is already here: a
   * replay), without the versions superseded at or before {@code cutoffMillis} (the newest of those
   * stays: it is still the state as of any time after the cutoff until the next version).
   */
  VersionHistory<T> with(Version<T> v, long cutoffMillis) {
    List<Version<T>> list = new ArrayList<>(versions.size() + 1);
    for (Version<T> o : versions) {
      if (o.lsn() == v.lsn()) {
        return this;
      }
      list.add(o);
    }
    list.add(v);
    list.sort(ORDER);
    int drop = 0;
    while (drop + 1 < list.size() && list.get(drop + 1).sinceMillis() <= cutoffMillis) {
      drop++;
    }
    return new VersionHistory<>(List.copyOf(list.subList(drop, list.size())));
  }

  /** The state as of {@code millis}: the newest version valid at or before it, else the first. */
  T at(long millis) {
    return versions.get(AsOf.index(versions.size(), i -> versions.get(i).sinceMillis(), millis)).state();
  }

  /** The newest version's state. */
  T latest() {
    return versions.get(versions.size() - 1).state();
  }

  int size() {
    return versions.size();
  }
}
