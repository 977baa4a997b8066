package org.activitypipeline.speed.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ResumeOffsetsTest {

  @Test
  void streamingOffsetResumesFromTheLastCommitWithoutWalSearch() {
    // An event of a COPY batch: several events share lsn 500; Debezium 3.6.1 would skip the rest of
    // the group after a restart from here (dbz#1554).
    Map<String, Object> original = Map.of("lsn", 500L, "lsn_proc", 500L, "lsn_commit", 400L, "txId", 9L,
        "ts_usec", 1L, "messageType", "INSERT", "transaction_id", "9:500");
    Map<String, Object> stored = ResumeOffsets.forRestart(original);
    assertEquals(400L, stored.get("lsn"), "restart at the end of the last fully processed transaction");
    assertFalse(stored.containsKey("lsn_proc"), "no lsn_proc: Debezium streams from lsn without skipping");
    assertEquals(400L, stored.get("lsn_commit"), "the slot is still confirmed up to the last commit");
    assertEquals("9:500", stored.get("transaction_id"), "other keys kept");
  }

  @Test
  void storedCommitPositionDoesNotTriggerTheSearchEither() {
    // A heartbeat or transaction END right after a commit (dbz#76 lost events of interleaved transactions).
    Map<String, Object> stored = ResumeOffsets.forRestart(
        Map.of("lsn", 800L, "lsn_proc", 800L, "lsn_commit", 800L, "messageType", "COMMIT"));
    assertEquals(800L, stored.get("lsn"));
    assertFalse(stored.containsKey("lsn_proc"));
  }

  @Test
  void beforeAnyCommitTheEventsOwnLsnIsKept() {
    Map<String, Object> stored = ResumeOffsets.forRestart(Map.of("lsn", 77L, "lsn_proc", 77L));
    assertEquals(77L, stored.get("lsn"));
    assertFalse(stored.containsKey("lsn_proc"));
  }

  @Test
  void snapshotAndForeignOffsetsAreLeftAlone() {
    assertNull(ResumeOffsets.forRestart(Map.of("lsn", 5L, "snapshot", "INITIAL", "last_snapshot_record", false)));
    assertNull(ResumeOffsets.forRestart(Map.of("file", "x", "pos", 4L)));
    assertNull(ResumeOffsets.forRestart(null));
  }
}
