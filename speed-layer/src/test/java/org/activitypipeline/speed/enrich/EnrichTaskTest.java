package org.activitypipeline.speed.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.activitypipeline.common.event.Activity;
import org.activitypipeline.common.event.EnrichedActivity;
import org.activitypipeline.common.json.Json;
import org.activitypipeline.common.json.JsonCodec;
import org.activitypipeline.speed.employees.TestDirectory;
import org.activitypipeline.speed.processor.RecordingOutput;
import org.activitypipeline.speed.processor.RecordingOutput.Sent;
import org.activitypipeline.speed.window.WatermarkMarker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class EnrichTaskTest {
  private static final JsonCodec<Activity> ACTIVITY = JsonCodec.of(Activity.class, 1);
  private static final JsonCodec<EnrichedActivity> ENRICHED = JsonCodec.of(EnrichedActivity.class, 1);
  private static final String RAW = "raw-activities";
  private static final int PARTITION = 1;
  private static final int RAW_PARTITIONS = 2;
  private static final int WINDOW_PARTITIONS = 3;
  private static final long GRACE = 10 * 60_000L;
  private static final long WAIT = 30_000L;
  private static final long HOUR = 3_600_000L;
  private static final long SKEW = 5 * 60_000L;
  /** The other tests are about what happens once an activity is enriched; CDC alignment has its own. */
  private static final long NO_CDC_WAIT = 0;
  private static final EnrichTask.Settings SETTINGS = settings(0);

  private static final long ALICE = 42;
  private static final long BOB = 43;
  private static final long NOBODY = 99;

  private final TestDirectory people = new TestDirectory()
      .department(7, "Engineering")
      .employee(ALICE, 7L, "Old Engineering Name", "Developer", "Berlin", "active")
      .employee(BOB, 8L, "Sales", "Seller", "Paris", "on_leave");
  private final RecordingOutput out = new RecordingOutput();
  private EnrichTask task = new EnrichTask(SETTINGS, PARTITION, people.directory(), Clock.systemUTC());
  private long offset;
  private int ids;

  private static EnrichTask.Settings settings(long maxOutOfOrderness) {
    return new EnrichTask.Settings("processed", "late", "partials", WINDOW_PARTITIONS, "enrich-changelog",
        RAW_PARTITIONS, GRACE, maxOutOfOrderness, WAIT, NO_CDC_WAIT, SKEW, 0);
  }

  private static long t(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  private Activity activity(long employee, String eventTime) {
    return new Activity(1, "act-" + (++ids), employee, "login", "laptop", "linux", "10.0.0.1", "office", 30,
        Instant.parse(eventTime), Instant.parse(eventTime).plusSeconds(1), Map.of("k", "v"));
  }

  private Activity send(long employee, String eventTime) {
    Activity a = activity(employee, eventTime);
    raw(ACTIVITY.encode(a));
    return a;
  }

  private ConsumerRecord<byte[], byte[]> raw(byte[] value) {
    ConsumerRecord<byte[], byte[]> r = new ConsumerRecord<>(RAW, PARTITION, offset++,
        "k".getBytes(StandardCharsets.UTF_8), value);
    task.process(r, out);
    return r;
  }

  private List<EnrichedActivity> processed() {
    return out.sentTo("processed").stream().map(s -> ENRICHED.decode(s.value())).toList();
  }

  /** Partials sent at the last flush, by window key, as their event count. */
  private Map<String, Long> partialCounts() {
    return out.sentTo("partials").stream().filter(s -> !WatermarkMarker.KEY.equals(s.keyString()))
        .collect(Collectors.toMap(Sent::keyString, s -> json(s.value()).get("count").asLong()));
  }

  private List<Sent> markers() {
    return out.sentTo("partials", WatermarkMarker.KEY);
  }

  private static ObjectNode json(byte[] bytes) {
    try {
      return (ObjectNode) Json.mapper().readTree(bytes);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hourKey(String department, String start) {
    return "H|" + department + "|login|" + t(start);
  }

  private static String dayKey(String day) {
    return "D|laptop|" + t(day + "T00:00:00Z");
  }

  // ---------------------------------------------------------------- enrichment

  @Test
  void enrichesWithTheEmployeeAndTheDepartmentNameFromTheDepartmentTable() {
    Activity a = send(ALICE, "2026-11-24T10:15:00Z");
    List<Sent> sent = out.sentTo("processed");
    assertEquals(1, sent.size());
    assertEquals("42", sent.get(0).keyString(), "keyed by employee id");
    EnrichedActivity e = ENRICHED.decode(sent.get(0).value());
    assertEquals(a, e.activity());
    assertTrue(e.employeeKnown());
    assertEquals(7L, e.departmentId());
    assertEquals("Engineering", e.departmentName(), "the department table wins over the name on the employee");
    assertEquals("Developer", e.jobTitle());
    assertEquals("Berlin", e.employeeLocation());
    assertEquals("active", e.employeeStatus());
    assertTrue(out.sentTo("late").isEmpty());
    assertEquals(1, out.count(EnrichTask.STAGE, "ok"));

    task.flush(out, 0);
    assertEquals(Map.of(hourKey("Engineering", "2026-11-24T10:00:00Z"), 1L, dayKey("2026-11-24"), 1L),
        partialCounts());
  }

  @Test
  void departmentMissingFromTheTableFallsBackToTheEmployeesOwnDepartmentName() {
    send(BOB, "2026-11-24T10:15:00Z"); // department 8 is not in the table
    EnrichedActivity e = processed().get(0);
    assertEquals(8L, e.departmentId());
    assertEquals("Sales", e.departmentName());
    assertEquals("on_leave", e.employeeStatus());
    task.flush(out, 0);
    assertTrue(partialCounts().containsKey(hourKey("Sales", "2026-11-24T10:00:00Z")), partialCounts().toString());
  }

  @Test
  void employeeWithoutDepartmentIsAggregatedAsUnassigned() {
    people.employee(50, null, null, "Intern", "Rome", "active");
    send(50, "2026-11-24T10:15:00Z");
    EnrichedActivity e = processed().get(0);
    assertTrue(e.employeeKnown());
    assertNull(e.departmentName());
    task.flush(out, 0);
    assertTrue(partialCounts().containsKey(hourKey("unassigned", "2026-11-24T10:00:00Z")), partialCounts().toString());
  }

  @Test
  void partialsPreAggregatePerWindowWithinOneFlush() {
    send(ALICE, "2026-11-24T10:01:00Z");
    send(ALICE, "2026-11-24T10:02:00Z");
    send(BOB, "2026-11-24T10:03:00Z");
    send(ALICE, "2026-11-24T11:00:00Z"); // exactly on the hour: the next window
    task.flush(out, 0);
    assertEquals(Map.of(
        hourKey("Engineering", "2026-11-24T10:00:00Z"), 2L,
        hourKey("Sales", "2026-11-24T10:00:00Z"), 1L,
        hourKey("Engineering", "2026-11-24T11:00:00Z"), 1L,
        dayKey("2026-11-24"), 4L), partialCounts());
    for (Sent s : out.sentTo("partials")) {
      if (!WatermarkMarker.KEY.equals(s.keyString())) {
        assertNull(s.partition(), "partials are partitioned by window key");
      }
    }

    out.clear();
    task.flush(out, 0);
    assertTrue(partialCounts().isEmpty(), "partials are sent once");
  }

  // ---------------------------------------------------------------- lateness

  @Test
  void eventPastItsHourEndPlusGraceIsLateForHourlyOnly() {
    send(ALICE, "2026-11-24T12:30:00Z"); // max event time
    Activity late = send(ALICE, "2026-11-24T10:45:00Z"); // 11:00 + 10m <= 12:30

    List<EnrichedActivity> processed = processed();
    assertEquals(2, processed.size(), "late activities still go to processed-activities");
    assertEquals(late, processed.get(1).activity());
    List<Sent> lateSent = out.sentTo("late");
    assertEquals(1, lateSent.size());
    assertEquals("hourly", lateSent.get(0).header("late.windows"));
    assertEquals(late, ENRICHED.decode(lateSent.get(0).value()).activity());
    assertEquals("42", lateSent.get(0).keyString());
    assertEquals(1, out.count(EnrichTask.STAGE, "late"));

    task.flush(out, 0);
    Map<String, Long> partials = partialCounts();
    assertFalse(partials.containsKey(hourKey("Engineering", "2026-11-24T10:00:00Z")),
        "a late event must not reopen its hourly window: " + partials);
    assertEquals(1L, partials.get(hourKey("Engineering", "2026-11-24T12:00:00Z")));
    assertEquals(2L, partials.get(dayKey("2026-11-24")), "the day is still open: counted");
  }

  @Test
  void lateIsAtOrPastEndPlusGraceAndNotOneMillisecondBefore() {
    send(ALICE, "2026-11-24T11:09:59.999Z");
    send(ALICE, "2026-11-24T10:59:00Z"); // 11:00 + 10m > 11:09:59.999: not late
    assertTrue(out.sentTo("late").isEmpty());

    send(ALICE, "2026-11-24T11:10:00Z");
    send(ALICE, "2026-11-24T10:59:30Z"); // 11:00 + 10m <= 11:10: late
    assertEquals(1, out.sentTo("late").size());
    assertEquals(t("2026-11-24T10:59:30Z"),
        ENRICHED.decode(out.sentTo("late").get(0).value()).activity().eventTime().toEpochMilli());
  }

  @Test
  void eventLateForItsDayIsLateForBothAndInNoPartial() {
    send(ALICE, "2026-11-25T00:10:00Z");
    send(ALICE, "2026-11-24T23:50:00Z"); // hour 23:00 and day 24 both ended 10 min ago
    Sent late = out.sentTo("late").get(0);
    assertEquals("hourly,daily", late.header("late.windows"));
    task.flush(out, 0);
    assertEquals(Map.of(hourKey("Engineering", "2026-11-25T00:00:00Z"), 1L, dayKey("2026-11-25"), 1L),
        partialCounts());
  }

  @Test
  void eventThatMakesItselfTheMaxIsNeverLate() {
    task = new EnrichTask(new EnrichTask.Settings("processed", "late", "partials", WINDOW_PARTITIONS,
        "enrich-changelog", RAW_PARTITIONS, 0, 0, WAIT, NO_CDC_WAIT, SKEW, 0), PARTITION, people.directory(), Clock.systemUTC()); // no grace at all
    send(ALICE, "2026-11-24T10:59:59.999Z"); // the first event ever
    send(ALICE, "2026-11-24T11:00:00Z"); // a new max right after its own window start
    send(ALICE, "2026-11-24T14:00:00Z"); // a big jump ahead
    send(ALICE, "2026-11-24T14:59:59.999Z");
    assertTrue(out.sentTo("late").isEmpty(), "lateness is judged against the max seen before the event");
    task.flush(out, 0);
    assertEquals(4L, partialCounts().get(dayKey("2026-11-24")));
  }

  @Test
  void outOfOrderEventInAnOpenWindowIsNotLate() {
    send(ALICE, "2026-11-24T12:30:00Z");
    send(ALICE, "2026-11-24T12:05:00Z");
    assertTrue(out.sentTo("late").isEmpty());
  }

  @Test
  void maxOutOfOrdernessHoldsThePartitionWatermarkBack() {
    task = new EnrichTask(settings(30 * 60_000L), PARTITION, people.directory(), Clock.systemUTC());
    send(ALICE, "2026-11-24T11:30:00Z"); // watermark 11:00
    send(ALICE, "2026-11-24T10:45:00Z"); // 11:10 > 11:00: on time
    assertTrue(out.sentTo("late").isEmpty());
    send(ALICE, "2026-11-24T11:40:00Z"); // watermark 11:10
    send(ALICE, "2026-11-24T10:46:00Z"); // 11:10 <= 11:10: late
    assertEquals(1, out.sentTo("late").size());

    out.clear();
    task.flush(out, 0);
    assertEquals(new WatermarkMarker(PARTITION, RAW_PARTITIONS, t("2026-11-24T11:10:00Z")),
        marker(markers().get(0).value()));
  }

  // ---------------------------------------------------------------- unknown employees

  @Test
  void unknownEmployeeWaitsInTheChangelogAndIsReleasedEnrichedWhenTheEmployeeAppears() {
    Activity a = send(NOBODY, "2026-11-24T10:15:00Z");
    assertTrue(out.sentTo("processed").isEmpty(), "waits for its employee");
    List<Sent> pending = out.sentTo("enrich-changelog", "p|" + a.activityId());
    assertEquals(1, pending.size());
    assertEquals(PARTITION, pending.get(0).partition(), "state goes to the task's own changelog partition");
    ObjectNode p = json(pending.get(0).value());
    assertEquals(NOBODY, p.get("employee_id").asLong());
    assertEquals(t("2026-11-24T10:15:00Z"), p.get("event_millis").asLong());
    assertEquals(a, ACTIVITY.decode(p.get("activity").asText().getBytes(StandardCharsets.UTF_8)));
    assertEquals(1, task.stateSize());
    assertEquals(1, out.count(EnrichTask.STAGE, "waiting"));

    task.punctuate(out, System.currentTimeMillis());
    assertTrue(out.sentTo("processed").isEmpty(), "still unknown and the wait is not over");

    people.employee(NOBODY, 7L, "Engineering", "Tester", "Lisbon", "active");
    out.clear();
    task.punctuate(out, System.currentTimeMillis());
    List<EnrichedActivity> processed = processed();
    assertEquals(1, processed.size());
    assertEquals(a, processed.get(0).activity());
    assertTrue(processed.get(0).employeeKnown());
    assertEquals("Tester", processed.get(0).jobTitle());
    List<Sent> tombstone = out.sentTo("enrich-changelog", "p|" + a.activityId());
    assertEquals(1, tombstone.size());
    assertTrue(tombstone.get(0).isTombstone());
    assertEquals(PARTITION, tombstone.get(0).partition());
    assertEquals(0, task.stateSize());

    task.flush(out, 0);
    assertEquals(1L, partialCounts().get(hourKey("Engineering", "2026-11-24T10:00:00Z")));

    out.clear();
    task.punctuate(out, System.currentTimeMillis() + 10 * WAIT);
    assertTrue(out.sent().isEmpty(), "released once");
  }

  @Test
  void unknownEmployeeGoesOutUnenrichedAfterTheWait() {
    Activity a = send(NOBODY, "2026-11-24T10:15:00Z");
    task.punctuate(out, System.currentTimeMillis() + WAIT + 60_000);

    List<EnrichedActivity> processed = processed();
    assertEquals(1, processed.size());
    EnrichedActivity e = processed.get(0);
    assertEquals(a, e.activity());
    assertFalse(e.employeeKnown());
    assertNull(e.departmentId());
    assertNull(e.departmentName());
    assertNull(e.jobTitle());
    assertEquals("99", out.sentTo("processed").get(0).keyString());
    assertTrue(out.sentTo("enrich-changelog", "p|" + a.activityId()).get(1).isTombstone());
    assertEquals(1, out.count(EnrichTask.STAGE, "unknown_employee"));
    assertEquals(0, task.stateSize());

    task.flush(out, 0);
    assertEquals(Map.of(hourKey("unknown", "2026-11-24T10:00:00Z"), 1L, dayKey("2026-11-24"), 1L), partialCounts());
  }

  @Test
  void waitingActivityKeepsTheLatenessDecidedOnArrival() {
    send(ALICE, "2026-11-24T12:30:00Z");
    send(NOBODY, "2026-11-24T10:45:00Z"); // late for its hour on arrival
    task.punctuate(out, System.currentTimeMillis() + WAIT + 1);
    Sent late = out.sentTo("late").get(0);
    assertEquals("hourly", late.header("late.windows"));
    assertFalse(ENRICHED.decode(late.value()).employeeKnown());
    task.flush(out, 0);
    assertFalse(partialCounts().containsKey(hourKey("unknown", "2026-11-24T10:00:00Z")));
    assertEquals(2L, partialCounts().get(dayKey("2026-11-24")));
  }

  @Test
  void zeroWaitSendsUnknownEmployeesRightAway() {
    task = new EnrichTask(new EnrichTask.Settings("processed", "late", "partials", WINDOW_PARTITIONS,
        "enrich-changelog", RAW_PARTITIONS, GRACE, 0, 0, NO_CDC_WAIT, SKEW, 0), PARTITION, people.directory(), Clock.systemUTC());
    send(NOBODY, "2026-11-24T10:15:00Z");
    assertFalse(processed().get(0).employeeKnown());
    assertTrue(out.sentTo("enrich-changelog").isEmpty());
    assertEquals(0, task.stateSize());
  }

  @Test
  void markerStaysBelowTheEventTimeOfAWaitingActivity() {
    send(ALICE, "2026-11-24T12:30:00Z");
    send(NOBODY, "2026-11-24T12:10:00Z");
    task.flush(out, 0);
    assertEquals(t("2026-11-24T12:10:00Z") - 1, markerValue(), "held below the waiting event");

    out.clear();
    send(ALICE, "2026-11-24T13:30:00Z");
    task.flush(out, 0);
    assertTrue(markers().isEmpty(), "still held: the marker did not move");

    people.employee(NOBODY, 7L, "Engineering", "Tester", "Lisbon", "active");
    out.clear();
    task.punctuate(out, System.currentTimeMillis());
    task.flush(out, 0);
    assertEquals(t("2026-11-24T13:30:00Z"), markerValue(), "released: the marker jumps to the partition watermark");
    int lastPartial = -1;
    int firstMarker = Integer.MAX_VALUE;
    List<Sent> toPartials = out.sentTo("partials");
    for (int i = 0; i < toPartials.size(); i++) {
      if (WatermarkMarker.KEY.equals(toPartials.get(i).keyString())) {
        firstMarker = Math.min(firstMarker, i);
      } else {
        lastPartial = i;
      }
    }
    assertTrue(lastPartial >= 0 && lastPartial < firstMarker, "the marker follows the partials it covers");
  }

  @Test
  void markersGoToEveryPartialsPartitionOnlyWhenTheyMove() {
    task.flush(out, 0);
    assertTrue(markers().isEmpty(), "nothing seen: no marker");
    assertTrue(out.sent().isEmpty());

    send(ALICE, "2026-11-24T10:15:00Z");
    task.flush(out, 0);
    List<Sent> markers = markers();
    assertEquals(Set.of(0, 1, 2), markers.stream().map(Sent::partition).collect(Collectors.toSet()));
    assertEquals(WINDOW_PARTITIONS, markers.size());
    for (Sent m : markers) {
      assertEquals(new WatermarkMarker(PARTITION, RAW_PARTITIONS, t("2026-11-24T10:15:00Z")),
          marker(m.value()));
    }
    Sent state = out.sentTo("enrich-changelog", "~wm").get(0);
    assertEquals(PARTITION, state.partition());
    assertEquals(t("2026-11-24T10:15:00Z"), json(state.value()).get("max_event_millis").asLong());
    assertEquals(t("2026-11-24T10:15:00Z"), json(state.value()).get("emitted_marker").asLong());

    out.clear();
    task.flush(out, 0);
    assertTrue(out.sent().isEmpty(), "no progress: nothing sent " + out.sent());

    send(ALICE, "2026-11-24T10:05:00Z"); // older than the max: the watermark does not move
    out.clear();
    task.flush(out, 0);
    assertTrue(markers().isEmpty());
    assertTrue(out.sentTo("enrich-changelog", "~wm").isEmpty());

    send(ALICE, "2026-11-24T10:16:00Z");
    out.clear();
    task.flush(out, 0);
    assertEquals(WINDOW_PARTITIONS, markers().size());
    assertEquals(t("2026-11-24T10:16:00Z"), markerValue());
  }

  private static WatermarkMarker marker(byte[] value) {
    try {
      return Json.mapper().readValue(value, WatermarkMarker.class);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private long markerValue() {
    List<Sent> m = markers();
    assertEquals(WINDOW_PARTITIONS, m.size(), "one marker per partials partition: " + m);
    return json(m.get(0).value()).get("watermark").asLong();
  }

  // ---------------------------------------------------------------- the employee as of the event time

  @Test
  void eachActivityIsJoinedToTheEmployeeAsOfItsEventTime() {
    people.department(9, "Sales");
    people.version(Instant.parse("2026-11-24T10:30:00Z"), ALICE, 9L, "Sales"); // Alice moves at 10:30
    send(ALICE, "2026-11-24T10:45:00Z");
    send(ALICE, "2026-11-24T10:15:00Z"); // before the move, uploaded after it
    List<EnrichedActivity> p = processed();
    assertEquals(List.of("Sales", "Engineering"), p.stream().map(EnrichedActivity::departmentName).toList());
    task.flush(out, 0);
    Map<String, Long> partials = partialCounts();
    assertEquals(1L, partials.get(hourKey("Sales", "2026-11-24T10:00:00Z")));
    assertEquals(1L, partials.get(hourKey("Engineering", "2026-11-24T10:00:00Z")));
  }

  @Test
  void eachActivityCarriesTheDepartmentsNameAsOfItsEventTime() {
    people.department(Instant.parse("2026-11-24T10:30:00Z"), 7, "Platform Engineering"); // renamed at 10:30
    send(ALICE, "2026-11-24T10:45:00Z");
    send(ALICE, "2026-11-24T10:15:00Z"); // before the rename, uploaded after it
    assertEquals(List.of("Platform Engineering", "Engineering"),
        processed().stream().map(EnrichedActivity::departmentName).toList());
    task.flush(out, 0);
    Map<String, Long> partials = partialCounts();
    assertEquals(1L, partials.get(hourKey("Platform Engineering", "2026-11-24T10:00:00Z")));
    assertEquals(1L, partials.get(hourKey("Engineering", "2026-11-24T10:00:00Z")));
  }

  @Test
  void aDeletedEmployeesLateUploadKeepsTheLastDepartmentWithoutWaiting() {
    people.delete(Instant.parse("2026-11-24T10:30:00Z"), ALICE, 7L, "Engineering");
    send(ALICE, "2026-11-24T10:15:00Z");
    send(ALICE, "2026-11-24T10:40:00Z"); // dated after the delete (a device clock): still the last state
    assertEquals(2, processed().size(), "nothing waits for an employee that was deleted");
    assertTrue(processed().stream().allMatch(e -> e.employeeKnown() && "Engineering".equals(e.departmentName())));
    assertEquals(0, task.stateSize());
  }

  // ---------------------------------------------------------------- CDC alignment

  /** A task waiting up to 10 s for the CDC progress, on a clock the test moves. */
  private EnrichTask aligned(AtomicLong now) {
    Clock clock = new Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return java.time.ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return Instant.ofEpochMilli(now.get());
      }
    };
    return new EnrichTask(new EnrichTask.Settings("processed", "late", "partials", WINDOW_PARTITIONS,
        "enrich-changelog", RAW_PARTITIONS, GRACE, 0, WAIT, 10_000, SKEW, 0), PARTITION, people.directory(), clock);
  }

  @Test
  void anActivityWaitsUntilTheCdcProgressPassesItsTimeSoAMoveCommittedJustBeforeItCounts() {
    AtomicLong now = new AtomicLong(t("2026-11-24T10:00:05Z"));
    task = aligned(now);
    people.completeThrough(Instant.parse("2026-11-24T10:00:00Z"));
    ConsumerRecord<byte[], byte[]> r = raw(ACTIVITY.encode(activity(ALICE, "2026-11-24T10:00:02Z")));
    assertEquals(List.of(r), out.retries, "held: the directory is complete only through 10:00:00");
    assertTrue(processed().isEmpty());

    // Alice's move to Sales, committed at 10:00:01, arrives; then the progress passes the event time.
    people.department(8, "Sales").version(Instant.parse("2026-11-24T10:00:01Z"), ALICE, 8L, "Sales");
    now.addAndGet(900);
    task.process(r, out); // the retry: the same record again
    assertEquals(2, out.retries.size(), "still held: the progress has not moved");
    people.completeThrough(Instant.parse("2026-11-24T10:00:02Z"));
    task.process(r, out);
    assertEquals(2, out.retries.size());
    assertEquals("Sales", processed().get(0).departmentName(), "the move committed before the event counts");
    assertEquals(0, out.count("enrich", "cdc_unaligned"));
  }

  @Test
  void aLateActivityDoesNotWaitAndOneDatedAfterItsWriteWaitsOnlyForTheWriteTime() {
    AtomicLong now = new AtomicLong(t("2026-11-24T10:00:05Z"));
    task = aligned(now);
    people.completeThrough(Instant.parse("2026-11-24T10:00:04Z"));
    send(ALICE, "2026-11-24T09:10:00Z");
    assertTrue(out.retries.isEmpty());
    // event_time 2 minutes after its write (within the allowed skew): needs the progress only to the write.
    Activity ahead = new Activity(1, "act-ahead", ALICE, "login", "laptop", "linux", "10.0.0.1", "office", 30,
        Instant.parse("2026-11-24T10:02:00Z"), Instant.parse("2026-11-24T10:00:03Z"), Map.of());
    raw(ACTIVITY.encode(ahead));
    assertTrue(out.retries.isEmpty(), "the progress is past its write time");
    assertEquals(2, processed().size());
  }

  @Test
  void whenTheProgressStaysBehindPastTheWaitThePartitionGoesOnUntilTheProgressCatchesUp() {
    AtomicLong now = new AtomicLong(t("2026-11-24T10:00:05Z"));
    task = aligned(now);
    people.completeThrough(Instant.parse("2026-11-24T10:00:00Z"));
    ConsumerRecord<byte[], byte[]> first = raw(ACTIVITY.encode(activity(ALICE, "2026-11-24T10:00:03Z")));
    now.addAndGet(9_999);
    task.process(first, out);
    assertEquals(2, out.retries.size(), "waits up to enrich.cdc-wait");
    now.addAndGet(1);
    task.process(first, out);
    assertEquals(2, out.retries.size(), "then goes on");
    send(ALICE, "2026-11-24T10:00:16Z");
    send(ALICE, "2026-11-24T10:00:17Z");
    assertEquals(2, out.retries.size(), "and does not wait again while cdc is behind");
    assertEquals(3, processed().size());
    assertEquals(3, out.count("enrich", "cdc_unaligned"));

    people.completeThrough(Instant.parse("2026-11-24T10:00:20Z"));
    send(ALICE, "2026-11-24T10:00:19Z");
    assertEquals(3, out.count("enrich", "cdc_unaligned"), "aligned again");
    ConsumerRecord<byte[], byte[]> next = raw(ACTIVITY.encode(activity(ALICE, "2026-11-24T10:00:25Z")));
    assertEquals(next, out.retries.get(out.retries.size() - 1), "and waits again for the progress");
  }

  @Test
  void noProgressEverReportedCountsAsBehind() {
    AtomicLong now = new AtomicLong(t("2026-11-24T10:00:05Z"));
    task = aligned(now);
    ConsumerRecord<byte[], byte[]> r = raw(ACTIVITY.encode(activity(ALICE, "2026-11-24T08:00:00Z")));
    assertEquals(List.of(r), out.retries, "a directory that never heard from some cdc partition is complete through nothing");
  }

  // ---------------------------------------------------------------- idleness

  private EnrichTask idleAfter(long idleMillis, long waitMillis) {
    return new EnrichTask(new EnrichTask.Settings("processed", "late", "partials", WINDOW_PARTITIONS,
        "enrich-changelog", RAW_PARTITIONS, GRACE, 0, waitMillis, NO_CDC_WAIT, SKEW, idleMillis), PARTITION, people.directory(),
        Clock.fixed(Instant.ofEpochMilli(0), java.time.ZoneOffset.UTC));
  }

  @Test
  void aPartitionWithoutInputForTheIdleTimeoutSaysSoOnceAndWakesWithItsNextInput() {
    task = idleAfter(60_000, WAIT);
    task.punctuate(out, 59_999);
    task.flush(out, 59_999);
    assertTrue(markers().isEmpty(), "not idle yet, nothing seen: no marker");

    task.punctuate(out, 60_000);
    task.flush(out, 60_000);
    assertEquals(WINDOW_PARTITIONS, markers().size());
    for (Sent m : markers()) {
      assertEquals(new WatermarkMarker(PARTITION, RAW_PARTITIONS, Long.MIN_VALUE, true), marker(m.value()));
    }
    out.clear();
    task.punctuate(out, 120_000);
    task.flush(out, 120_000);
    assertTrue(markers().isEmpty(), "idle is said once");

    send(ALICE, "2026-11-24T10:15:00Z");
    task.punctuate(out, 121_000);
    task.flush(out, 121_000);
    assertEquals(new WatermarkMarker(PARTITION, RAW_PARTITIONS, t("2026-11-24T10:15:00Z"), false),
        marker(markers().get(0).value()));

    out.clear();
    task.punctuate(out, 180_999);
    task.flush(out, 180_999);
    assertTrue(markers().isEmpty(), "the timeout counts from the last input");
    task.punctuate(out, 181_000);
    task.flush(out, 181_000);
    assertEquals(new WatermarkMarker(PARTITION, RAW_PARTITIONS, t("2026-11-24T10:15:00Z"), true),
        marker(markers().get(0).value()));
  }

  @Test
  void aTaskBackFromIdlenessSaysSoEvenWhenItsWatermarkDoesNotMove() {
    task = idleAfter(60_000, WAIT);
    send(ALICE, "2026-11-24T10:15:00Z");
    task.punctuate(out, 1_000);
    task.flush(out, 1_000);
    task.punctuate(out, 61_000);
    task.flush(out, 61_000);
    out.clear();
    send(ALICE, "2026-11-24T09:00:00Z"); // an old event: the watermark stays
    task.punctuate(out, 62_000);
    task.flush(out, 62_000);
    assertEquals(new WatermarkMarker(PARTITION, RAW_PARTITIONS, t("2026-11-24T10:15:00Z"), false),
        marker(markers().get(0).value()));
  }

  @Test
  void neverIdleWhileActivitiesWait() {
    task = idleAfter(60_000, 10 * 60_000L);
    send(NOBODY, "2026-11-24T10:15:00Z");
    task.punctuate(out, 1_000);
    task.flush(out, 1_000);
    out.clear();
    task.punctuate(out, 300_000);
    task.flush(out, 300_000);
    assertTrue(markers().isEmpty(), "an activity waits: its partition is not idle " + markers());
    assertEquals(1, task.stateSize());
  }

  @Test
  void zeroIdleTimeoutNeverGoesIdle() {
    task = idleAfter(0, WAIT);
    task.punctuate(out, 10 * HOUR);
    task.flush(out, 10 * HOUR);
    assertTrue(markers().isEmpty());
  }

  // ---------------------------------------------------------------- future-dated

  private Activity writtenAt(long employee, String eventTime, String writeTime) {
    return new Activity(1, "act-" + (++ids), employee, "login", "laptop", "linux", "10.0.0.1", "office", 30,
        Instant.parse(eventTime), writeTime == null ? null : Instant.parse(writeTime), Map.of());
  }

  @Test
  void anEventMoreThanTheFutureSkewAfterItsWriteTimeIsDeadLetteredAndMovesNoWatermark() {
    ConsumerRecord<byte[], byte[]> r = raw(ACTIVITY.encode(
        writtenAt(ALICE, "2027-11-24T10:15:00Z", "2026-11-24T10:15:00Z")));
    assertDeadLetter(r, "enrich.max-future-skew");
    assertTrue(out.deadLetters().get(0).reason().contains("2027-11-24T10:15:00Z"), out.deadLetters().toString());
    task.flush(out, 0);
    assertTrue(markers().isEmpty(), "no watermark moved: " + markers());
    assertTrue(out.sentTo("enrich-changelog").isEmpty());

    out.clear();
    raw(ACTIVITY.encode(writtenAt(ALICE, "2026-11-24T10:20:00.001Z", "2026-11-24T10:15:00Z")));
    assertEquals(1, out.deadLetters().size(), "one millisecond over the skew");
    out.clear();
    raw(ACTIVITY.encode(writtenAt(ALICE, "2026-11-24T10:20:00Z", "2026-11-24T10:15:00Z")));
    assertTrue(out.deadLetters().isEmpty(), "exactly the skew ahead is accepted");
    assertEquals(1, processed().size());
  }

  @Test
  void withoutAnIngestTimeTheRecordTimestampIsTheWriteTime() {
    byte[] value = ACTIVITY.encode(writtenAt(ALICE, "2026-11-24T11:00:00Z", null));
    ConsumerRecord<byte[], byte[]> r = new ConsumerRecord<>(RAW, PARTITION, offset++,
        t("2026-11-24T10:00:00Z"), org.apache.kafka.common.record.TimestampType.CREATE_TIME, 1, value.length,
        "k".getBytes(StandardCharsets.UTF_8), value, new org.apache.kafka.common.header.internals.RecordHeaders(),
        java.util.Optional.empty());
    task.process(r, out);
    assertDeadLetter(r, "enrich.max-future-skew");
  }

  // ---------------------------------------------------------------- bad input

  @Test
  void unparseableValueIsDeadLetteredWithStageEnrich() {
    ConsumerRecord<byte[], byte[]> r = raw("{\"schema_version\":1,".getBytes(StandardCharsets.UTF_8));
    assertDeadLetter(r, "not valid JSON");
  }

  @Test
  void missingEventTimeIsDeadLettered() {
    ObjectNode n = json(ACTIVITY.encode(activity(ALICE, "2026-11-24T10:15:00Z")));
    n.remove("event_time");
    assertDeadLetter(raw(n.toString().getBytes(StandardCharsets.UTF_8)), "event_time");
  }

  @Test
  void unknownSchemaVersionIsDeadLettered() {
    ObjectNode n = json(ACTIVITY.encode(activity(ALICE, "2026-11-24T10:15:00Z")));
    n.put("schema_version", 99);
    assertDeadLetter(raw(n.toString().getBytes(StandardCharsets.UTF_8)), "schema_version 99");
  }

  @Test
  void otherInvalidActivitiesAreDeadLettered() {
    ObjectNode noId = json(ACTIVITY.encode(activity(ALICE, "2026-11-24T10:15:00Z")));
    noId.remove("activity_id");
    assertDeadLetter(raw(noId.toString().getBytes(StandardCharsets.UTF_8)), "activity_id");

    out.clear();
    ObjectNode negative = json(ACTIVITY.encode(activity(ALICE, "2026-11-24T10:15:00Z")));
    negative.put("duration_seconds", -5);
    assertDeadLetter(raw(negative.toString().getBytes(StandardCharsets.UTF_8)), "duration_seconds");

    out.clear();
    assertDeadLetter(raw(null), "null");
  }

  private void assertDeadLetter(ConsumerRecord<byte[], byte[]> record, String reasonPart) {
    List<RecordingOutput.DeadLetter> dead = out.deadLetters();
    assertEquals(1, dead.size());
    assertEquals("enrich", dead.get(0).stage());
    assertTrue(dead.get(0).reason().contains(reasonPart), "reason '" + dead.get(0).reason() + "' names " + reasonPart);
    assertEquals(record, dead.get(0).record());
    assertTrue(out.sent().isEmpty(), "a bad record sends nothing else: " + out.sent());
    task.flush(out, 0);
    assertTrue(out.sent().isEmpty(), "a bad record neither counts nor moves the watermark: " + out.sent());
  }
}
