package org.activitypipeline.generators.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.activitypipeline.generators.run.GeneratorException;
import org.junit.jupiter.api.Test;

class RosterTest {
  private static final Instant T = Instant.parse("2026-11-24T10:00:00Z");
  private static final long SECOND = 1_000_000_000L;

  private final AtomicReference<Set<Long>> active = new AtomicReference<>(Set.of(1L, 2L));
  private final Roster roster = new Roster(() -> {
    Set<Long> s = active.get();
    if (s == null) {
      throw new GeneratorException("PostgreSQL at jdbc:postgresql://x is unreachable");
    }
    return s;
  }, Duration.ofSeconds(10));
  private final SplittableRandom random = new SplittableRandom(1);

  private Set<Long> picksAt(Instant t) {
    Set<Long> picked = new HashSet<>();
    for (int i = 0; i < 2_000; i++) {
      picked.add(roster.pickAt(random, t));
    }
    return picked;
  }

  private Set<Long> picksNow() {
    Set<Long> picked = new HashSet<>();
    for (int i = 0; i < 2_000; i++) {
      picked.add(roster.pickCurrent(random));
    }
    return picked;
  }

  @Test
  void theFirstReadsEmployeesHaveAlwaysBeenThere() {
    assertTrue(roster.refreshIfDue(T, 0));
    assertEquals(Set.of(1L, 2L), picksAt(T.minus(Duration.ofHours(6))));
    assertEquals(Set.of(1L, 2L), picksNow());
    assertEquals(0, roster.joined());
  }

  @Test
  void aHireActsFromTheRefreshThatSawThemNeverBefore() {
    roster.refreshIfDue(T, 0);
    active.set(Set.of(1L, 2L, 3L));
    assertFalse(roster.refreshIfDue(T.plusSeconds(5), 5 * SECOND), "not due yet");
    assertTrue(roster.refreshIfDue(T.plusSeconds(10), 10 * SECOND));
    assertEquals(1, roster.joined());
    assertFalse(roster.presentAt(3, T.plusSeconds(9)));
    assertTrue(roster.presentAt(3, T.plusSeconds(10)));
    assertEquals(Set.of(1L, 2L), picksAt(T.plusSeconds(9)), "no event of the hire before the hire");
    assertEquals(Set.of(1L, 2L, 3L), picksAt(T.plusSeconds(11)));
    assertEquals(Set.of(1L, 2L, 3L), picksNow());
  }

  @Test
  void aLeaverActsNoMoreButTheirPastStillUploads() {
    roster.refreshIfDue(T, 0);
    active.set(Set.of(1L));
    roster.refreshIfDue(T.plusSeconds(10), 10 * SECOND);
    assertEquals(1, roster.left());
    assertEquals(Set.of(1L), picksNow(), "nothing new from someone who left");
    assertEquals(Set.of(1L), picksAt(T.plusSeconds(10)));
    assertEquals(Set.of(1L, 2L), picksAt(T.plusSeconds(9)), "late uploads of before they left still come");

    // Forgotten once even the latest upload could not reach back to when they were there.
    roster.refreshIfDue(T.plusSeconds(10).plus(Roster.LOOKBACK).plusSeconds(1), 20 * SECOND);
    assertFalse(roster.presentAt(2, T.plusSeconds(9)));
  }

  @Test
  void someoneWhoComesBackActsAgainFromThen() {
    roster.refreshIfDue(T, 0);
    active.set(Set.of(1L));
    roster.refreshIfDue(T.plusSeconds(10), 10 * SECOND);
    active.set(Set.of(1L, 2L));
    roster.refreshIfDue(T.plusSeconds(20), 20 * SECOND);
    assertTrue(roster.presentAt(2, T.plusSeconds(20)));
    assertFalse(roster.presentAt(2, T.plusSeconds(15)), "away in between");
  }

  @Test
  void nobodyPresentAtATimeIsMinusOne() {
    active.set(Set.of(1L));
    roster.refreshIfDue(T, 0);
    active.set(Set.of(2L));
    roster.refreshIfDue(T.plusSeconds(10), 10 * SECOND);
    roster.refreshIfDue(T.plusSeconds(10).plus(Roster.LOOKBACK).plusSeconds(1), 20 * SECOND);
    assertEquals(-1, roster.pickAt(random, T.plusSeconds(5)), "1 is forgotten, 2 came later");
  }

  @Test
  void aFailedFirstReadFailsAndALaterOneKeepsTheRoster() {
    active.set(null);
    assertThrows(GeneratorException.class, () -> roster.refreshIfDue(T, 0));
    active.set(Set.of());
    GeneratorException none = assertThrows(GeneratorException.class, () -> roster.refreshIfDue(T, 0));
    assertTrue(none.getMessage().contains("no active employees"), none.getMessage());

    active.set(Set.of(1L, 2L));
    roster.refreshIfDue(T, 0);
    active.set(null);
    assertFalse(roster.refreshIfDue(T.plusSeconds(10), 10 * SECOND));
    assertEquals(1, roster.failedRefreshes());
    assertTrue(roster.lastRefreshError().contains("unreachable"));
    assertEquals(Set.of(1L, 2L), picksNow());

    active.set(Set.of());
    assertTrue(roster.refreshIfDue(T.plusSeconds(30), 30 * SECOND), "everyone left: a later empty read is news");
    assertEquals(0, roster.size());
    assertEquals(-1, roster.pickCurrent(random));
  }

  @Test
  void zeroRefreshReadsOnce() {
    Roster once = new Roster(() -> Set.of(1L), Duration.ZERO);
    assertTrue(once.refreshIfDue(T, 0));
    assertFalse(once.refreshIfDue(T.plusSeconds(3600), 3600 * SECOND));
  }
}
