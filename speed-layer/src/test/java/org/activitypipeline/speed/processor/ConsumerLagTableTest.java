package org.activitypipeline.speed.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.activitypipeline.speed.processor.ConsumerLagTable.PartitionLag;
import org.junit.jupiter.api.Test;

class ConsumerLagTableTest {
  private static final long NOW = 1_000_000;

  @Test
  void recordsAreSummedAndSecondsAreTheLargestOverPartitionsAndThreads() {
    ConsumerLagTable table = new ConsumerLagTable();
    table.report(0, List.of(new PartitionLag("raw", 10, NOW - 2_000), new PartitionLag("raw", 5, NOW - 7_500),
        new PartitionLag("cdc", 1, NOW - 1_000)), NOW);
    table.report(1, List.of(new PartitionLag("raw", 100, NOW - 3_000)), NOW);
    assertEquals(115, table.records("raw"));
    assertEquals(7.5, table.seconds("raw"));
    assertEquals(1, table.records("cdc"));
    assertEquals(1.0, table.seconds("cdc"));
  }

  @Test
  void aCaughtUpPartitionIsNotBehindHoweverOldItsLastRecord() {
    ConsumerLagTable table = new ConsumerLagTable();
    table.report(0, List.of(new PartitionLag("raw", 0, NOW - 3_600_000), new PartitionLag("raw", 0, NOW)), NOW);
    assertEquals(0, table.records("raw"));
    assertEquals(0.0, table.seconds("raw"));
  }

  @Test
  void aTopicWhosePartitionsMovedAwayReadsZero() {
    ConsumerLagTable table = new ConsumerLagTable();
    table.report(0, List.of(new PartitionLag("raw", 10, NOW - 2_000), new PartitionLag("cdc", 3, NOW - 1_000)), NOW);
    table.report(1, List.of(new PartitionLag("raw", 4, NOW - 5_000)), NOW);
    table.report(0, List.of(new PartitionLag("raw", 2, NOW + 1_000 - 1_500)), NOW + 1_000);
    assertEquals(0, table.records("cdc"), "thread 0's new report replaced its old one");
    assertEquals(0.0, table.seconds("cdc"));
    assertEquals(6, table.records("raw"));
    assertEquals(5.0, table.seconds("raw"), "thread 1's report stands until it reports again");
    table.forget(1);
    assertEquals(2, table.records("raw"));
    assertEquals(1.5, table.seconds("raw"));
    assertEquals(0, table.records("never-reported"));
  }

  @Test
  void aLastRecordDatedAheadOfTheClockIsNotNegativeLag() {
    ConsumerLagTable table = new ConsumerLagTable();
    table.report(0, List.of(new PartitionLag("raw", 3, NOW + 60_000)), NOW);
    assertEquals(0.0, table.seconds("raw"));
    assertEquals(3, table.records("raw"));
  }
}
