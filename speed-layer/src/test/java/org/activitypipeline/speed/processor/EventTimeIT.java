package org.activitypipeline.speed.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Future;
import org.activitypipeline.common.event.Activity;
import org.activitypipeline.common.event.EmployeeChange;
import org.activitypipeline.common.event.EnrichedActivity;
import org.activitypipeline.common.event.HourlyActivityAggregate;
import org.activitypipeline.common.json.JsonCodec;
import org.activitypipeline.common.topic.TopicSpec;
import org.activitypipeline.common.topic.Topics;
import org.activitypipeline.localstack.LocalStack;
import org.activitypipeline.localstack.ServerKind;
import org.activitypipeline.localstack.junit.WithLocalStack;
import org.activitypipeline.speed.testing.SpeedLayerProcess;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * Bad clocks and quiet partitions against the real processor and broker: an activity dated a year
 * after its write time is dead-lettered and moves no watermark (an on-time activity of the same
 * partition sent after it is still on time), and a raw-activities partition that never gets input no
 * longer keeps every window open once it is idle for {@code window.idle-timeout}.
 */
@WithLocalStack({ServerKind.KAFKA})
class EventTimeIT {
  private static final Path WORK = Path.of("target", "event-time-it").toAbsolutePath();
  private static final long GRACE_MS = Duration.ofMinutes(10).toMillis();
  private static final long MINUTE = 60_000L;
  private static final long HOUR = 3_600_000L;
  private static final int QUIET_PARTITION = 5;
  private static final JsonCodec<HourlyActivityAggregate> HOURLY = JsonCodec.of(HourlyActivityAggregate.class, 1);
  private static final JsonCodec<EnrichedActivity> ENRICHED = JsonCodec.of(EnrichedActivity.class, 1);
  private static final JsonCodec<Activity> RAW = JsonCodec.of(Activity.class, Activity.SCHEMA_VERSION);

  @Test
  void aFutureDatedActivityIsDeadLetteredAndAQuietPartitionStopsHoldingWindowsOpen(LocalStack stack)
      throws Exception {
    Scenario s = new Scenario(6, GRACE_MS, 60, 0, 1);
    ProcessorTopics t = ProcessorTopics.create(stack.connectionProperties().get("kafka.bootstrap.servers"), "clock");
    t.writeEmployees(s);
    long h0 = Scenario.T0;

    // Hour h0 on every partition but QUIET_PARTITION, which gets nothing at all.
    List<Activity> hourZero = new ArrayList<>();
    List<Activity> later = new ArrayList<>();
    Set<Integer> pushed = new HashSet<>();
    int n = 0;
    for (Scenario.Employee e : s.employees) {
      int partition = (int) (e.id() % s.partitions);
      if (partition == QUIET_PARTITION) {
        continue;
      }
      hourZero.add(activity(++n, e.id(), h0 + 10 * MINUTE + n * 1_000L, 0));
      if (pushed.add(partition)) {
        // Moves its partition's watermark past h0's end plus grace.
        later.add(activity(1_000 + n, e.id(), h0 + 2 * HOUR, 0));
      }
    }
    long employee = s.employees.get(0).id();
    Activity future = activity(9_001, employee, h0 + 365 * 24 * HOUR, -(365 * 24 * HOUR - 20 * MINUTE));
    // Same partition, after the future-dated one: on time unless that one moved the watermark.
    Activity afterFuture = activity(9_002, employee, h0 + 30 * MINUTE, 0);
    hourZero.add(afterFuture);

    try (SpeedLayerProcess p = SpeedLayerProcess.of("processor", WORK, "clock",
        t.processorConfig("a", Map.of("window.idle-timeout", "3s")));
        ProcessorTopics.Reader hourlyReader = t.new Reader(Topics.HOURLY_ACTIVITY_AGGREGATIONS)) {
      p.start();
      t.awaitEmployeesProcessed(s, Duration.ofMinutes(1));
      List<Activity> input = new ArrayList<>(hourZero);
      input.remove(afterFuture);
      input.add(future);
      input.add(afterFuture);
      input.addAll(later);
      send(t, s, input);

      Map<String, Long> expected = new TreeMap<>();
      for (Activity a : hourZero) {
        expected.merge(s.aggregationDepartment(a) + "|login|" + Instant.ofEpochMilli(h0), 1L, Long::sum);
      }
      Map<String, HourlyActivityAggregate> latest = new TreeMap<>();
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (!allFinal(latest, expected.keySet()) && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : hourlyReader.drain()) {
          HourlyActivityAggregate a = HOURLY.decode(r.value());
          latest.put(a.key(), a);
        }
        Thread.sleep(500);
      }
      assertTrue(allFinal(latest, expected.keySet()), "every window of hour " + Instant.ofEpochMilli(h0)
          + " closed although partition " + QUIET_PARTITION + " never had input: " + latest);
      Map<String, Long> counts = new TreeMap<>();
      latest.forEach((k, a) -> {
        if (a.windowStart().toEpochMilli() == h0) {
          counts.put(k, a.eventCount());
        }
      });
      assertEquals(expected, counts, "each window of hour h0 holds exactly its activities, the one sent after the"
          + " future-dated activity included");
      assertTrue(p.logText().contains("event=dead_letter stage=enrich"), "the dead letter is logged");

      List<ConsumerRecord<byte[], byte[]>> dlq = drain(t, Topics.PIPELINE_DLQ);
      assertEquals(1, dlq.size(), "exactly the future-dated activity is dead-lettered: " + dlq);
      assertEquals(future.activityId(), RAW.decode(dlq.get(0).value()).activityId(), "the original bytes");
      String reason = ProcessorTopics.text(dlq.get(0).headers().lastHeader(Topics.DlqHeaders.REASON).value());
      assertTrue(reason.contains("enrich.max-future-skew") && reason.contains(future.eventTime().toString()), reason);
      assertTrue(drain(t, Topics.LATE_ACTIVITIES).isEmpty(), "nothing is late: the future date moved no watermark");
      Set<String> published = new HashSet<>();
      for (ConsumerRecord<byte[], byte[]> r : drain(t, Topics.PROCESSED_ACTIVITIES)) {
        published.add(ENRICHED.decode(r.value()).activity().activityId());
      }
      assertFalse(published.contains(future.activityId()), "the future-dated activity is not published");
      assertEquals(input.size() - 1, published.size(), "every other activity is published once");
      p.stopCleanly();
    }
  }


  /**
   * The employee as of the event time, with real processes: an employee moves at h0+30 min and another
   * is deleted at h0+20 min; activities from before the move uploaded after it count for the old
   * department, the deleted employee's late uploads for their last one (not {@code unknown}); after a
   * kill -9 and restart the versions are rebuilt from processed-employees and a further late upload
   * from before the move still counts for the old department.
   */
  @Test
  void activitiesJoinTheEmployeeAsOfTheirEventTimeAcrossAMoveADeleteAndARestart(LocalStack stack) throws Exception {
    Scenario s = new Scenario(6, GRACE_MS, 60, 0, 2);
    ProcessorTopics t = ProcessorTopics.create(stack.connectionProperties().get("kafka.bootstrap.servers"), "asof");
    t.writeEmployees(s);
    long h0 = Scenario.T0;
    Scenario.Employee mover = s.employees.get(0);
    Scenario.Employee leaver = s.employees.get(1);
    long newDepartment = mover.departmentId() % s.departments.size() + 1;
    String oldName = s.departmentName(mover.departmentId());
    String newName = s.departmentName(newDepartment);
    String leaverName = s.departmentName(leaver.departmentId());
    try (SpeedLayerProcess p = SpeedLayerProcess.of("processor", WORK, "asof", t.processorConfig("a", Map.of()));
        ProcessorTopics.Reader hourlyReader = t.new Reader(Topics.HOURLY_ACTIVITY_AGGREGATIONS)) {
      p.start();
      t.awaitEmployeesProcessed(s, Duration.ofMinutes(1));
      try (KafkaProducer<byte[], byte[]> producer = t.producer()) {
        producer.send(new ProducerRecord<>(t.topic(Topics.CDC_EMPLOYEES), Scenario.employeeKey(mover.id()),
            s.employeeMoved(mover, newDepartment, 50_000, h0 + 30 * MINUTE))).get();
        producer.send(new ProducerRecord<>(t.topic(Topics.CDC_EMPLOYEES), Scenario.employeeKey(leaver.id()),
            s.employeeDeleted(leaver, 50_001, h0 + 20 * MINUTE))).get();
      }
      awaitProcessedEmployees(t, Set.of(50_000L, 50_001L));
      send(t, s, List.of(
          activity(1, mover.id(), h0 + 40 * MINUTE, 0),
          activity(2, mover.id(), h0 + 10 * MINUTE, 50 * MINUTE), // before the move, uploaded after it
          activity(3, leaver.id(), h0 + 15 * MINUTE, 30 * MINUTE), // before the delete, uploaded after it
          activity(4, leaver.id(), h0 + 25 * MINUTE, 20 * MINUTE))); // dated after the delete
      Map<String, Long> expected = new TreeMap<>();
      String hour = "|login|" + Instant.ofEpochMilli(h0);
      expected.merge(newName + hour, 1L, Long::sum);
      expected.merge(oldName + hour, 1L, Long::sum);
      expected.merge(leaverName + hour, 2L, Long::sum);
      Map<String, Long> counts = new TreeMap<>(); // latest count per window, over everything read
      awaitCounts(hourlyReader, counts, expected);
      assertEquals(expected, counts, "moves and deletes do not move earlier activities");

      p.kill();
      p.start();
      send(t, s, List.of(activity(5, mover.id(), h0 + 5 * MINUTE, 60 * MINUTE)));
      expected.merge(oldName + hour, 1L, Long::sum);
      awaitCounts(hourlyReader, counts, expected);
      assertEquals(expected, counts, "after a restart the versions are still there");
      assertFalse(counts.keySet().stream().anyMatch(k -> k.startsWith("unknown|")), "no activity counted as unknown");
      p.stopCleanly();
    }
  }

  /** Reads window values into {@code counts} (latest per window) until they equal {@code expected}, or 2 min. */
  private static void awaitCounts(ProcessorTopics.Reader hourlyReader, Map<String, Long> counts,
                                  Map<String, Long> expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (!counts.equals(expected) && System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : hourlyReader.drain()) {
        HourlyActivityAggregate a = HOURLY.decode(r.value());
        counts.put(a.key(), a.eventCount());
      }
      Thread.sleep(300);
    }
  }

  private static void awaitProcessedEmployees(ProcessorTopics t, Set<Long> lsns) throws InterruptedException {
    JsonCodec<EmployeeChange> codec = JsonCodec.of(EmployeeChange.class, EmployeeChange.SCHEMA_VERSION);
    Set<Long> seen = new HashSet<>();
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    try (ProcessorTopics.Reader r = t.new Reader(Topics.PROCESSED_EMPLOYEES)) {
      while (!seen.containsAll(lsns) && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> rec : r.drain()) {
          if (rec.value() != null) {
            seen.add(codec.decode(rec.value()).sourceLsn());
          }
        }
        Thread.sleep(200);
      }
    }
    assertTrue(seen.containsAll(lsns), "the move and the delete reached processed-employees: " + seen);
  }

  private static boolean allFinal(Map<String, HourlyActivityAggregate> latest, Set<String> keys) {
    for (String k : keys) {
      HourlyActivityAggregate a = latest.get(k);
      if (a == null || !a.isFinal()) {
        return false;
      }
    }
    return true;
  }

  /** An activity written {@code writeOffsetMillis} after its event time (negative: the event is ahead). */
  private static Activity activity(int n, long employee, long eventMillis, long writeOffsetMillis) {
    return new Activity(1, String.format("00000000-0000-1000-8000-%012d", 77_000_000L + n), employee, "login",
        "laptop", "linux", "10.0.0.1", "Berlin", 30, Instant.ofEpochMilli(eventMillis),
        Instant.ofEpochMilli(eventMillis + writeOffsetMillis), Map.of());
  }

  private static void send(ProcessorTopics t, Scenario s, List<Activity> activities) throws Exception {
    List<Future<RecordMetadata>> acks = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> p = t.producer()) {
      for (Activity a : activities) {
        acks.add(p.send(new ProducerRecord<>(t.topic(Topics.RAW_ACTIVITIES), s.partitionOf(a),
            Scenario.key(a.employeeId()), Scenario.activityValue(a))));
      }
    }
    for (Future<RecordMetadata> ack : acks) {
      ack.get();
    }
  }

  private static List<ConsumerRecord<byte[], byte[]>> drain(ProcessorTopics t, TopicSpec spec) {
    try (ProcessorTopics.Reader r = t.new Reader(spec)) {
      return r.drain();
    }
  }
}
