package org.activitypipeline.speed.cdc;

import java.util.HashMap;
import java.util.Map;

/**
 * The source offset stored for an acknowledged record: Debezium's own, changed so that a restart
 * resumes from the last fully processed commit instead of searching the WAL for the last event.
 *
 * <h2>Why</h2>
 * Debezium 3.6.1's PostgreSQL connector restarts from an offset with {@code lsn_proc} by replaying
 * the WAL and skipping everything up to the stored event's LSN ({@code WalPositionLocator}). That
 * search identifies events by LSN alone and loses data in two known cases, both fixed only in
 * 3.7.0 (whose embedded engine is not published):
 * <ul>
 *   <li>several events sharing one LSN (COPY, multi-row inserts): the rest of the group is skipped
 *       (debezium/dbz#1554);
 *   <li>a stored COMMIT position (a heartbeat or transaction END record) whose LSN equals a change
 *       of another transaction still open at that moment: that transaction's earlier changes are
 *       skipped (debezium/dbz#76, PostgreSQL 17).
 * </ul>
 *
 * <h2>What</h2>
 * Without {@code lsn_proc}, Debezium does not search: it starts streaming at {@code lsn} and passes
 * every message. We set {@code lsn} to {@code lsn_commit}, the end of the last transaction whose
 * commit Debezium has processed, and which the slot is confirmed to anyway. PostgreSQL then sends
 * every transaction committed after it, each in full: nothing is skipped; events of the transaction
 * that was in flight are sent again (with their original LSNs, so downstream drops them). When no
 * commit was seen yet, {@code lsn} stays the event's own LSN, which also re-sends its whole
 * transaction. Snapshot offsets are left alone (their keys drive snapshot resumption).
 *
 * <p>Pure; unit-tested.
 */
final class ResumeOffsets {
  static final String LSN = "lsn";
  static final String LSN_PROC = "lsn_proc";
  static final String LSN_COMMIT = "lsn_commit";
  static final String SNAPSHOT = "snapshot";

  private ResumeOffsets() {
  }

  /** The offset to store instead of {@code original}, or {@code null} to store {@code original} unchanged. */
  static Map<String, Object> forRestart(Map<String, ?> original) {
    if (original == null || !original.containsKey(LSN) || isSnapshot(original.get(SNAPSHOT))) {
      return null;
    }
    Map<String, Object> out = new HashMap<>(original);
    out.remove(LSN_PROC);
    Object commit = original.get(LSN_COMMIT);
    if (commit instanceof Number) {
      out.put(LSN, ((Number) commit).longValue());
    }
    return out;
  }

  private static boolean isSnapshot(Object value) {
    return value != null && !"false".equalsIgnoreCase(value.toString());
  }
}
