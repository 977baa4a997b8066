package org.activitypipeline.generators.activities;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.activitypipeline.generators.run.GeneratorException;

/**
 * Who can act, and when: the employees PostgreSQL lists as active, followed over time, so that the
 * activity looks like the workforce's. An employee who appears (a hire, or back from leave) acts from
 * the refresh that first sees them; one who disappears (deleted, or no longer active) produces no new
 * activity from the refresh that misses them, while late uploads of what they did before still arrive.
 *
 * <p>Presence is kept in event time (the generator's event clock at each refresh): an employee is
 * present at {@code t} when they were first seen at or before {@code t} (employees of the first read
 * have always been there) and not missed at or before {@code t}. Employees who left more than the
 * longest upload lag ago are forgotten, so memory follows the workforce, not its history.
 *
 * <p><b>Threads:</b> one thread at a time (the generator's submitting thread); the counters
 * ({@link #size}, {@link #joined}, {@link #left}, {@link #failedRefreshes}) may be read from any thread.
 */
public final class Roster {
  /** Tries at finding someone present at an event time before giving up on that time. */
  private static final int PICK_TRIES = 64;
  /** How long after leaving an employee may still have late uploads: the longest lag the shaper makes. */
  static final Duration LOOKBACK = ActivityShaper.LATE_MAX_LAG.plusMinutes(1);

  private record Presence(long fromMillis, long untilMillis) {
    boolean at(long t) {
      return fromMillis <= t && t < untilMillis;
    }
  }

  private final Supplier<Set<Long>> source;
  private final long refreshEveryNanos;
  private final Map<Long, Presence> presence = new HashMap<>();
  private volatile List<Long> current = List.of();
  private List<Long> candidates = List.of();
  private long nextRefreshNanos;
  private boolean loaded;
  private volatile int joined;
  private volatile int left;
  private volatile int failedRefreshes;
  private volatile String lastRefreshError;

  /**
   * @param source the ids active now; called on every refresh
   * @param refreshEvery how often to call it again; zero reads it once
   */
  Roster(Supplier<Set<Long>> source, Duration refreshEvery) {
    this.source = source;
    this.refreshEveryNanos = refreshEvery.toNanos();
  }

  /** Active employees in PostgreSQL, read again every {@code refreshEvery} (zero: once). */
  public static Roster fromPostgres(String jdbcUrl, String user, String password, Duration refreshEvery) {
    if (refreshEvery.isNegative()) {
      throw new IllegalArgumentException("refreshEvery must not be negative, was " + refreshEvery);
    }
    return new Roster(() -> Set.copyOf(EmployeeDirectory.readActive(jdbcUrl, user, password)), refreshEvery);
  }

  /**
   * Reads the source again if it is time to (always on the first call).
   *
   * @param eventNow the event clock now: when joiners start and leavers stop
   * @param nanoTime {@link System#nanoTime()} now
   * @return true if it read the source
   * @throws GeneratorException from the first read; a later failed read keeps the roster as it was
   */
  public boolean refreshIfDue(Instant eventNow, long nanoTime) {
    if (loaded && (refreshEveryNanos == 0 || nanoTime - nextRefreshNanos < 0)) {
      return false;
    }
    if (!loaded) {
      refresh(eventNow, nanoTime);
      return true;
    }
    try {
      refresh(eventNow, nanoTime);
      return true;
    } catch (GeneratorException e) {
      // PostgreSQL briefly away: carry on with the workforce as last seen, and try again next time.
      failedRefreshes++;
      lastRefreshError = e.getMessage();
      return false;
    }
  }

  void refresh(Instant eventNow, long nanoTime) {
    nextRefreshNanos = nanoTime + refreshEveryNanos;
    Set<Long> active = source.get();
    if (active.isEmpty() && !loaded) {
      throw new GeneratorException("no active employees: seed them first (generators employees --count 0)");
      // (a later read that finds nobody empties the roster: everyone left)
    }
    long now = eventNow.toEpochMilli();
    for (Long id : active) {
      Presence p = presence.get(id);
      if (p == null || p.untilMillis() != Long.MAX_VALUE) {
        presence.put(id, new Presence(loaded ? now : Long.MIN_VALUE, Long.MAX_VALUE));
        joined += loaded ? 1 : 0;
      }
    }
    List<Long> stillHere = new ArrayList<>(active.size());
    List<Long> recent = new ArrayList<>(active.size());
    Iterator<Map.Entry<Long, Presence>> it = presence.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Long, Presence> e = it.next();
      Presence p = e.getValue();
      if (p.untilMillis() == Long.MAX_VALUE && !active.contains(e.getKey())) {
        p = new Presence(p.fromMillis(), now);
        e.setValue(p);
        left++;
      }
      if (p.untilMillis() == Long.MAX_VALUE) {
        stillHere.add(e.getKey());
        recent.add(e.getKey());
      } else if (p.untilMillis() > now - LOOKBACK.toMillis()) {
        recent.add(e.getKey());
      } else {
        it.remove();
      }
    }
    stillHere.sort(null);
    recent.sort(null);
    current = List.copyOf(stillHere);
    candidates = List.copyOf(recent);
    loaded = true;
  }

  /** Employees present now. */
  public int size() {
    return current.size();
  }

  /** Employees who appeared after the first read, so far. */
  public int joined() {
    return joined;
  }

  /** Employees who disappeared, so far. */
  public int left() {
    return left;
  }

  /** Refreshes that failed (the roster stayed as it was). */
  public int failedRefreshes() {
    return failedRefreshes;
  }

  /** Why the last failed refresh failed, or null. */
  public String lastRefreshError() {
    return lastRefreshError;
  }

  /** Whether {@code employeeId} was present at event time {@code t} (as far as this roster saw). */
  public boolean presentAt(long employeeId, Instant t) {
    Presence p = presence.get(employeeId);
    return p != null && p.at(t.toEpochMilli());
  }

  /** Someone present now, uniformly; -1 when nobody is. */
  long pickCurrent(RandomGenerator random) {
    return current.isEmpty() ? -1 : current.get(random.nextInt(current.size()));
  }

  /** Someone present at {@code t}, uniformly among those who were; -1 if none was found. */
  long pickAt(RandomGenerator random, Instant t) {
    long millis = t.toEpochMilli();
    for (int i = 0; i < PICK_TRIES && !candidates.isEmpty(); i++) {
      long id = candidates.get(random.nextInt(candidates.size()));
      if (presence.get(id).at(millis)) {
        return id;
      }
    }
    return -1;
  }
}
