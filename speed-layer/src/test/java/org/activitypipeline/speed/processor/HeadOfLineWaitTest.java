package org.activitypipeline.speed.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HeadOfLineWaitTest {
  @Test
  void theClockRunsAcrossRetriesOfOneRecordAndStartsOverForAnother() {
    HeadOfLineWait wait = new HeadOfLineWait(1_000);
    assertTrue(wait.mayHold(7, 10_000));
    assertTrue(wait.mayHold(7, 10_999));
    assertEquals(999, wait.heldMillis(10_999));
    assertFalse(wait.mayHold(7, 11_000), "held for the limit");
    assertTrue(wait.mayHold(8, 11_000), "the next record has its own limit");
    assertFalse(wait.mayHold(8, 12_000));
    wait.release();
    assertEquals(0, wait.heldMillis(12_000));
    assertTrue(wait.mayHold(8, 12_000), "released: the same offset again (a rewind) starts over");
  }

  @Test
  void aZeroLimitNeverHolds() {
    assertFalse(new HeadOfLineWait(0).mayHold(1, 5));
  }
}
