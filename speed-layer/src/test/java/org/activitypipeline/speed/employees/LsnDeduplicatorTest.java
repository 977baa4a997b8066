package org.activitypipeline.speed.employees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LsnDeduplicatorTest {

  @Test
  void aReplayAfterACrashIsRejected() {
    LsnDeduplicator dedupe = new LsnDeduplicator();
    assertTrue(dedupe.firstTime(1042, 100));
    assertTrue(dedupe.firstTime(1042, 250));
    // Debezium resumes from an older committed offset and sends both changes again.
    assertFalse(dedupe.firstTime(1042, 100));
    assertFalse(dedupe.firstTime(1042, 250));
    assertTrue(dedupe.firstTime(1042, 300), "the first change after the replay");
    assertEquals(300, dedupe.lastLsn(1042));
  }

  @Test
  void anOlderLsnDoesNotLowerTheMark() {
    LsnDeduplicator dedupe = new LsnDeduplicator();
    assertTrue(dedupe.firstTime(1, 500));
    assertFalse(dedupe.firstTime(1, 400));
    assertEquals(500, dedupe.lastLsn(1));
    assertFalse(dedupe.firstTime(1, 450), "still below the mark");
  }

  @Test
  void keysAreIndependent() {
    LsnDeduplicator dedupe = new LsnDeduplicator();
    assertTrue(dedupe.firstTime(1, 500));
    assertTrue(dedupe.firstTime(2, 100), "a lower LSN is new for another key");
    assertEquals(2, dedupe.size());
    assertEquals(-1, dedupe.lastLsn(3));
  }

  @Test
  void snapshotRowsShareOneLsnButPassOncePerKey() {
    LsnDeduplicator dedupe = new LsnDeduplicator();
    for (long id = 1; id <= 5; id++) {
      assertTrue(dedupe.firstTime(id, 9000), "snapshot row " + id);
    }
    for (long id = 1; id <= 5; id++) {
      assertFalse(dedupe.firstTime(id, 9000), "replayed snapshot row " + id);
    }
    assertEquals(5, dedupe.size());
  }

  @Test
  void observedLsnsCountAsSeen() {
    LsnDeduplicator dedupe = new LsnDeduplicator();
    dedupe.observe(7, 800);
    dedupe.observe(7, 600); // restored out of order: the higher LSN stays
    assertEquals(800, dedupe.lastLsn(7));
    assertFalse(dedupe.firstTime(7, 800));
    assertFalse(dedupe.firstTime(7, 700));
    assertTrue(dedupe.firstTime(7, 801));
    assertEquals(1, dedupe.size());
  }

  @Test
  void startsEmpty() {
    assertEquals(0, new LsnDeduplicator().size());
  }
}
