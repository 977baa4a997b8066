package org.activitypipeline.batch.reconcile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.activitypipeline.common.event.HourCompleteness;
import org.activitypipeline.common.source.ActivityRow;

/**
 * What one check of an ingest hour finds and must send: the rows of the hour that neither the poller
 * nor an earlier check sent, oldest first, at most what the hour's record may still list. Pure.
 *
 * @param hour        the ingest hour
 * @param sourceRows  distinct rows in Cassandra
 * @param sentByPoller of those, rows the poller sent (an activity record or a dead letter)
 * @param toRepair    rows to send now
 * @param unrepaired  rows still missing after sending {@code toRepair} (over the limit)
 * @param repairedIds the ids of every row repaired for this hour, earlier checks' and {@code toRepair}'s
 * @param notInSource ids the poller sent for this hour that Cassandra does not have (TTL, deletes)
 */
record HourPlan(Instant hour, long sourceRows, long sentByPoller, List<ActivityRow> toRepair, long unrepaired,
                List<String> repairedIds, long notInSource) {

  /**
   * @param rows        the hour's rows, each id once
   * @param sentSeen    ids of the hour found in raw-activities and the poller's dead letters
   * @param sentAsActivity of those, the ids found in raw-activities
   * @param inHudi      ids of the hour's rows that employee_activity holds
   * @param previous    the hour's last record, or null
   * @param maxRepaired most ids the hour's record may list
   */
  static HourPlan of(Instant hour, Collection<ActivityRow> rows, Set<String> sentSeen, Set<String> sentAsActivity,
                     Set<String> inHudi, HourCompleteness previous, int maxRepaired) {
    Set<String> repaired = new LinkedHashSet<>(previous == null ? List.of() : previous.repairedIds());
    // A row in Hudi went through Kafka: sent by the poller unless an earlier check repaired it. This also
    // keeps a row the Kafka scan did not find (were the poller ever to send out of write-time order) from
    // being sent twice once it is in Hudi.
    Set<String> sent = new java.util.HashSet<>(sentSeen);
    inHudi.stream().filter(id -> !repaired.contains(id)).forEach(sent::add);
    List<ActivityRow> missing = new ArrayList<>();
    Set<String> inSource = new java.util.HashSet<>();
    long sentByPoller = 0;
    for (ActivityRow row : rows) {
      String id = row.activityId().toString();
      inSource.add(id);
      if (sent.contains(id)) {
        sentByPoller++;
      } else if (!repaired.contains(id)) {
        missing.add(row);
      }
    }
    missing.sort(java.util.Comparator.comparingLong(ActivityRow::writeTimeMillis)
        .thenComparing(r -> r.activityId().toString()));
    int room = Math.max(0, maxRepaired - repaired.size());
    List<ActivityRow> toRepair = missing.size() <= room ? missing : List.copyOf(missing.subList(0, room));
    toRepair.forEach(r -> repaired.add(r.activityId().toString()));
    long notInSource = sentAsActivity.stream().filter(id -> !inSource.contains(id)).count();
    return new HourPlan(hour, rows.size(), sentByPoller, List.copyOf(toRepair), missing.size() - toRepair.size(),
        List.copyOf(repaired), notInSource);
  }

  /** The hour's record after this check. */
  HourCompleteness result(Instant checkedAt, long rejected, long inHudi) {
    return new HourCompleteness(hour, checkedAt, sourceRows, rejected, sentByPoller, repairedIds.size(), unrepaired,
        inHudi, notInSource, repairedIds);
  }
}
