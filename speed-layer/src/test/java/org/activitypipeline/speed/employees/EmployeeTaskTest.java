package org.activitypipeline.speed.employees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.activitypipeline.common.event.CdcProgress;
import org.activitypipeline.common.event.ChangeOp;
import org.activitypipeline.common.event.EmployeeChange;
import org.activitypipeline.common.json.JsonCodec;
import org.activitypipeline.speed.processor.RecordingOutput;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** The employee transformer task: LSN dedupe of replays, deletes, waiting for the department. */
class EmployeeTaskTest {
  private static final JsonCodec<EmployeeChange> CODEC = JsonCodec.of(EmployeeChange.class, 1);
  private static final long WAIT = 30_000;

  private final TestDirectory people = new TestDirectory().department(7, "Engineering");
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final EmployeeTask task = new EmployeeTask(new EmployeeChangeMapper(), people.directory(), "out", "progress",
      WAIT, now::get);
  private final RecordingOutput out = new RecordingOutput();
  private long offset;

  private ConsumerRecord<byte[], byte[]> record(byte[] value) {
    return new ConsumerRecord<>("cdc.public.employees", 0, offset++, DebeziumEvents.bytes("{\"employee_id\":1042}"),
        value);
  }

  private List<EmployeeChange> sent() {
    return out.sentTo("out").stream().filter(s -> s.value() != null).map(s -> CODEC.decode(s.value())).toList();
  }

  @Test
  void createGoesOutWithDepartmentNameAndBand() {
    task.process(record(DebeziumEvents.event("employees", "c", null, DebeziumEvents.ada(), 500)), out);
    EmployeeChange c = sent().get(0);
    assertEquals(ChangeOp.CREATE, c.op());
    assertEquals("Engineering", c.departmentName());
    assertEquals("75k-100k", c.salaryBand());
    assertEquals(500, c.sourceLsn());
  }

  @Test
  void replayedChangesAreDroppedByLsn() {
    byte[] create = DebeziumEvents.event("employees", "c", null, DebeziumEvents.ada(), 500);
    var update = DebeziumEvents.ada();
    update.put("job_title", "Staff Engineer");
    byte[] change = DebeziumEvents.event("employees", "u", DebeziumEvents.ada(), update, 600);
    task.process(record(create), out);
    task.process(record(change), out);
    // Debezium restarted and sends both again, with their original LSNs.
    task.process(record(create), out);
    task.process(record(change), out);
    assertEquals(List.of(500L, 600L), sent().stream().map(EmployeeChange::sourceLsn).toList());
    assertEquals(2, out.count(EmployeeTask.STAGE, "duplicate"));
  }

  @Test
  void changesAlreadyCommittedByAnEarlierOwnerAreDropped() {
    // The directory holds what earlier owners of the partition committed (TestDirectory stamps LSN 1002).
    people.employee(1042, 7L, "Engineering", "Data Engineer", "London", "active");
    task.process(record(DebeziumEvents.event("employees", "c", null, DebeziumEvents.ada(), 900)), out);
    assertTrue(sent().isEmpty());
    task.process(record(DebeziumEvents.event("employees", "u", DebeziumEvents.ada(), DebeziumEvents.ada(), 5000)),
        out);
    assertEquals(1, sent().size());
  }

  @Test
  void deleteIsTheDeleteEventThenATombstone() {
    task.process(record(DebeziumEvents.event("employees", "d", DebeziumEvents.ada(), null, 700)), out);
    var records = out.sentTo("out");
    assertEquals(2, records.size());
    assertEquals(ChangeOp.DELETE, CODEC.decode(records.get(0).value()).op());
    assertNull(records.get(1).value(), "tombstone");
    assertEquals("1042", new String(records.get(1).key(), java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void waitsForAnUnknownDepartmentThenGoesOutWithItsName() {
    var ada = DebeziumEvents.ada();
    ada.put("department_id", 9);
    ConsumerRecord<byte[], byte[]> r = record(DebeziumEvents.event("employees", "c", null, ada, 500));
    task.process(r, out);
    assertEquals(List.of(r), out.retries, "left for a retry, nothing sent");
    assertTrue(out.sentTo("out").isEmpty());
    now.addAndGet(1_000);
    people.department(9, "Research");
    task.process(r, out);
    assertEquals("Research", sent().get(0).departmentName());
    assertEquals(1, out.retries.size());
  }

  @Test
  void afterTheWaitGoesOutWithoutDepartmentName() {
    var ada = DebeziumEvents.ada();
    ada.put("department_id", 9);
    ConsumerRecord<byte[], byte[]> r = record(DebeziumEvents.event("employees", "c", null, ada, 500));
    task.process(r, out);
    now.addAndGet(WAIT - 1);
    task.process(r, out);
    assertEquals(2, out.retries.size(), "still waiting just before the bound");
    now.addAndGet(1);
    task.process(r, out);
    EmployeeChange c = sent().get(0);
    assertEquals(9L, c.departmentId());
    assertNull(c.departmentName());
    assertEquals(1, out.count(EmployeeTask.STAGE, "department_unknown"));
  }

  private ConsumerRecord<byte[], byte[]> progress(byte[] value) {
    RecordHeaders h = new RecordHeaders();
    h.add(CdcProgress.HEADER, "1".getBytes(StandardCharsets.UTF_8));
    return new ConsumerRecord<>("cdc.public.employees", 2, offset++, -1L, TimestampType.CREATE_TIME, -1, -1,
        CdcProgress.KEY.getBytes(StandardCharsets.UTF_8), value, h, java.util.Optional.empty());
  }

  @Test
  void progressIsForwardedKeyedByItsCdcPartitionAndNeverPastAChangeHeldForItsDepartment() {
    var ada = DebeziumEvents.ada();
    ada.put("department_id", 9);
    ConsumerRecord<byte[], byte[]> held = record(DebeziumEvents.event("employees", "c", null, ada, 500));
    task.process(held, out);
    assertEquals(List.of(held), out.retries, "the partition stops at the held change: its progress waits behind it");
    people.department(9, "Research");
    task.process(held, out);
    task.process(progress(new CdcProgress(1_700_000_000_000L, 501).toJson()), out);
    var forwarded = out.sentTo("progress");
    assertEquals(1, forwarded.size());
    assertEquals("cdc.public.employees:2", forwarded.get(0).keyString());
    assertEquals(new CdcProgress(1_700_000_000_000L, 501), CdcProgress.fromJson(forwarded.get(0).value()));
    assertEquals(1, sent().size(), "the progress record is not an employee change");
    assertEquals(1, out.count(EmployeeTask.STAGE, "progress"));
  }

  @Test
  void aBrokenProgressRecordIsDeadLettered() {
    task.process(progress("{\"schema_version\":1}".getBytes(StandardCharsets.UTF_8)), out);
    assertEquals(1, out.deadLetters().size());
    assertTrue(out.sentTo("progress").isEmpty());
  }

  @Test
  void unparseableChangeIsDeadLettered() {
    task.process(record(DebeziumEvents.bytes("{\"op\":\"u\",\"after\":{\"employee_id\":\"x\"}}")), out);
    assertEquals(1, out.deadLetters().size());
    assertEquals("employees", out.deadLetters().get(0).stage());
    assertTrue(sent().isEmpty());
  }
}
