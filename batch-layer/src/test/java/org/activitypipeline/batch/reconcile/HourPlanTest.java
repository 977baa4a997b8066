package org.activitypipeline.batch.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.datastax.oss.driver.api.core.uuid.Uuids;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.activitypipeline.common.event.HourCompleteness;
import org.activitypipeline.common.source.ActivityRow;
import org.junit.jupiter.api.Test;

class HourPlanTest {
  static final Instant HOUR = Instant.parse("2026-12-07T08:00:00Z");

  static ActivityRow row(long offsetMs) {
    UUID id = Uuids.startOf(HOUR.toEpochMilli() + offsetMs);
    return ActivityRow.of(id, 1L, "login", "laptop", "linux", "10.0.0.1", "Berlin", 5,
        HOUR.plusMillis(offsetMs), Map.of());
  }

  static List<String> ids(List<ActivityRow> rows) {
    return rows.stream().map(r -> r.activityId().toString()).toList();
  }

  @Test
  void repairsWhatNeitherThePollerNorAnEarlierCheckSentOldestFirst() {
    ActivityRow a = row(3_000);
    ActivityRow b = row(1_000);
    ActivityRow c = row(2_000);
    ActivityRow d = row(4_000);
    HourCompleteness earlier = new HourCompleteness(HOUR, HOUR, 3, 0, 1, 1, 0, 0, 0,
        List.of(d.activityId().toString()));
    HourPlan plan = HourPlan.of(HOUR, List.of(a, b, c, d), Set.of(b.activityId().toString()),
        Set.of(b.activityId().toString(), "gone"), Set.of(), earlier, 100);
    assertEquals(ids(List.of(c, a)), ids(plan.toRepair()), "c and a, in write-time order; d was repaired before");
    assertEquals(List.of(d.activityId().toString(), c.activityId().toString(), a.activityId().toString()),
        plan.repairedIds());
    assertEquals(1, plan.sentByPoller());
    assertEquals(1, plan.notInSource(), "'gone' was sent but Cassandra has no such row");
    HourCompleteness result = plan.result(HOUR.plusSeconds(4_000), 0, 2);
    assertEquals(4, result.sourceRows());
    assertEquals(3, result.repaired());
    assertEquals(0, result.unrepaired());
    assertEquals(2, result.notInHudi());
  }

  @Test
  void anHourRepairsAtMostItsLimitAndReportsTheRest() {
    List<ActivityRow> rows = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      rows.add(row(i * 10L));
    }
    HourCompleteness earlier = new HourCompleteness(HOUR, HOUR, 5, 0, 0, 1, 4, 0, 0,
        List.of(rows.get(0).activityId().toString()));
    HourPlan plan = HourPlan.of(HOUR, rows, Set.of(), Set.of(), Set.of(), earlier, 3);
    assertEquals(ids(rows.subList(1, 3)), ids(plan.toRepair()), "room for two more, the oldest");
    assertEquals(2, plan.unrepaired());
    assertEquals(3, plan.repairedIds().size());
    HourPlan full = HourPlan.of(HOUR, rows, Set.of(), Set.of(), Set.of(), plan.result(HOUR, 0, 0), 3);
    assertEquals(List.of(), full.toRepair());
    assertEquals(2, full.unrepaired(), "still reported on the next check");
  }

  @Test
  void nothingMissingNothingRepaired() {
    ActivityRow a = row(1);
    HourPlan plan = HourPlan.of(HOUR, List.of(a), Set.of(a.activityId().toString()), Set.of(a.activityId().toString()),
        Set.of(), null, 10);
    assertEquals(List.of(), plan.toRepair());
    assertEquals(List.of(), plan.repairedIds());
    assertEquals(0, plan.notInSource());
  }

  @Test
  void aRowInHudiWasSentEvenWhenTheKafkaScanMissedItButARepairedOneStaysRepaired() {
    ActivityRow a = row(1_000);
    ActivityRow b = row(2_000);
    ActivityRow c = row(3_000);
    HourCompleteness earlier = new HourCompleteness(HOUR, HOUR, 3, 0, 0, 1, 0, 0, 0,
        List.of(c.activityId().toString()));
    HourPlan plan = HourPlan.of(HOUR, List.of(a, b, c), Set.of(), Set.of(),
        Set.of(a.activityId().toString(), c.activityId().toString()), earlier, 10);
    assertEquals(ids(List.of(b)), ids(plan.toRepair()), "a is in Hudi, so it went through Kafka; c was repaired");
    assertEquals(1, plan.sentByPoller(), "a: in Hudi and never repaired");
    assertEquals(2, plan.repairedIds().size());
  }
}
