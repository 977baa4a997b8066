package org.activitypipeline.common.time;

import com.carrotsearch.hppc.LongHashSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The values of one window, as the window contract defines them: event count, exact unique employees,
 * total (and so average) duration, first and last event time and, for daily windows, the count per
 * activity type. Events are {@link #add added} one at a time or whole accumulators {@link #merge
 * merged}; both orders give the same values (merge is associative and commutative), which is what lets
 * the speed layer pre-aggregate per transaction and the batch layer aggregate per date.
 *
 * <p>Mutable and not thread-safe.
 */
public final class WindowAccumulator {
  private final boolean countsByType;
  private long count;
  private long totalDurationSeconds;
  private long firstEventMillis = Long.MAX_VALUE;
  private long lastEventMillis = Long.MIN_VALUE;
  private final LongHashSet employees = new LongHashSet();
  private final Map<String, Long> countsByActivityType;

  /** @param countsByType keep a count per activity type (daily windows) */
  public WindowAccumulator(boolean countsByType) {
    this.countsByType = countsByType;
    this.countsByActivityType = countsByType ? new HashMap<>() : Map.of();
  }

  /** Counts one event. */
  public void add(long employeeId, String activityType, long durationSeconds, long eventMillis) {
    count++;
    totalDurationSeconds += durationSeconds;
    firstEventMillis = Math.min(firstEventMillis, eventMillis);
    lastEventMillis = Math.max(lastEventMillis, eventMillis);
    employees.add(employeeId);
    if (countsByType) {
      countsByActivityType.merge(activityType, 1L, Long::sum);
    }
  }

  /** Adds everything {@code other} counted. */
  public void merge(WindowAccumulator other) {
    if (other.countsByType != countsByType) {
      throw new IllegalArgumentException("cannot merge a window with counts per type and one without");
    }
    count += other.count;
    totalDurationSeconds += other.totalDurationSeconds;
    firstEventMillis = Math.min(firstEventMillis, other.firstEventMillis);
    lastEventMillis = Math.max(lastEventMillis, other.lastEventMillis);
    employees.addAll(other.employees);
    if (countsByType) {
      other.countsByActivityType.forEach((t, n) -> countsByActivityType.merge(t, n, Long::sum));
    }
  }

  /**
   * An accumulator holding stored values (a changelog entry, a partial): the inverse of the getters.
   */
  public static WindowAccumulator of(boolean countsByType, long count, long totalDurationSeconds,
                                     long firstEventMillis, long lastEventMillis, long[] employeeIds,
                                     Map<String, Long> countsByActivityType) {
    WindowAccumulator a = new WindowAccumulator(countsByType);
    a.count = count;
    a.totalDurationSeconds = totalDurationSeconds;
    a.firstEventMillis = firstEventMillis;
    a.lastEventMillis = lastEventMillis;
    if (employeeIds != null) {
      for (long id : employeeIds) {
        a.employees.add(id);
      }
    }
    if (countsByType && countsByActivityType != null) {
      a.countsByActivityType.putAll(countsByActivityType);
    }
    return a;
  }

  public long count() {
    return count;
  }

  public long uniqueEmployees() {
    return employees.size();
  }

  public long totalDurationSeconds() {
    return totalDurationSeconds;
  }

  /** Total duration over count; 0 for an empty window. */
  public double avgDurationSeconds() {
    return count == 0 ? 0 : (double) totalDurationSeconds / count;
  }

  /** Earliest event time, {@link Long#MAX_VALUE} while empty. */
  public long firstEventMillis() {
    return firstEventMillis;
  }

  /** Latest event time, {@link Long#MIN_VALUE} while empty. */
  public long lastEventMillis() {
    return lastEventMillis;
  }

  /** The distinct employee ids, in no particular order. */
  public long[] employeeIds() {
    return employees.toArray();
  }

  public boolean countsByType() {
    return countsByType;
  }

  /** Count per activity type (empty unless {@link #countsByType()}); a read-only view. */
  public Map<String, Long> countsByActivityType() {
    return Collections.unmodifiableMap(countsByActivityType);
  }
}
