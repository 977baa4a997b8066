package org.activitypipeline.common.time;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The versions of one row (an employee, a department), each valid from its PostgreSQL commit time, as
 * an immutable sorted list: the speed layer's directory swaps in a new one per change (readers on other
 * threads see either), the batch views build one per row from its history table. {@link #at} picks the
 * version as of a time by the contract's rule ({@link AsOf}).
 *
 * @param <T> the row's state
 */
public final class VersionHistory<T> {
  /** One version, valid from {@code sinceMillis} (its commit time); {@code lsn} orders ties and dedupes. */
  public record Version<T>(long sinceMillis, long lsn, T state) {
  }

  private static final Comparator<Version<?>> ORDER =
      Comparator.<Version<?>>comparingLong(Version::sinceMillis).thenComparingLong(Version::lsn);

  private final List<Version<T>> versions;

  private VersionHistory(List<Version<T>> versions) {
    this.versions = versions;
  }

  public static <T> VersionHistory<T> of(Version<T> first) {
    return new VersionHistory<>(List.of(first));
  }

  /** All of {@code versions} at once (at least one), sorted once; a repeated LSN is kept once. */
  public static <T> VersionHistory<T> of(Collection<Version<T>> versions) {
    List<Version<T>> list = new ArrayList<>(versions);
    list.sort(ORDER);
    List<Version<T>> distinct = new ArrayList<>(list.size());
    for (Version<T> v : list) {
      if (distinct.isEmpty() || distinct.get(distinct.size() - 1).lsn() != v.lsn()) {
        distinct.add(v);
      }
    }
    return new VersionHistory<>(List.copyOf(distinct));
  }

  /**
   * This history with {@code v} added (unchanged when a version with its LSN is already here: a
   * replay), without the versions superseded at or before {@code cutoffMillis} (the newest of those
   * stays: it is still the state as of any time after the cutoff until the next version).
   */
  public VersionHistory<T> with(Version<T> v, long cutoffMillis) {
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
  public T at(long millis) {
    return versions.get(AsOf.index(versions.size(), i -> versions.get(i).sinceMillis(), millis)).state();
  }

  /** The newest version's state. */
  public T latest() {
    return versions.get(versions.size() - 1).state();
  }

  public int size() {
    return versions.size();
  }
}
