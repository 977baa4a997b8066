package org.activitypipeline.speed.employees;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.activitypipeline.common.event.ChangeOp;
import org.activitypipeline.common.event.EmployeeChange;
import org.activitypipeline.common.json.InvalidRecordException;
import org.activitypipeline.common.json.JsonCodec;
import org.activitypipeline.speed.processor.HeadOfLineWait;
import org.activitypipeline.speed.processor.Task;
import org.activitypipeline.speed.processor.TaskOutput;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The employee transformer for one {@code cdc.public.employees} partition: Debezium change event →
 * {@code processed-employees} (flattened state, op, changed fields, department name, salary band).
 * A delete becomes its delete event followed by a tombstone, so compaction eventually forgets it.
 * cdc progress records are forwarded to the progress topic ({@link CdcProgressForwarding}).
 *
 * <p><b>Replays.</b> After a crash Debezium may send changes again that are already in Kafka; they
 * carry the LSN they had. A change whose LSN is not above the last one committed for the employee
 * (the directory, caught up before this task started) or sent by this task is dropped.
 */
public final class EmployeeTask implements Task {
  static final String STAGE = "employees";
  private static final JsonCodec<EmployeeChange> CODEC = JsonCodec.of(EmployeeChange.class, EmployeeChange.SCHEMA_VERSION);

  private final EmployeeChangeMapper mapper;
  private final EmployeeDirectory directory;
  private final String outputTopic;
  private final String progressTopic;
  private static final Duration RETRY = Duration.ofMillis(100);

  private final LsnDeduplicator sent = new LsnDeduplicator();
  private final HeadOfLineWait departmentWait;
  private final LongSupplier clock;

  /**
   * @param progressTopic        where cdc progress records are forwarded ({@link CdcProgressForwarding})
   * @param departmentWaitMillis how long a change may wait for its department to be known before it
   *     goes out without the department name
   */
  public EmployeeTask(EmployeeChangeMapper mapper, EmployeeDirectory directory, String outputTopic,
                      String progressTopic, long departmentWaitMillis, LongSupplier clock) {
    this.mapper = mapper;
    this.directory = directory;
    this.outputTopic = outputTopic;
    this.progressTopic = progressTopic;
    this.departmentWait = new HeadOfLineWait(departmentWaitMillis);
    this.clock = clock;
  }

  @Override
  public void process(ConsumerRecord<byte[], byte[]> record, TaskOutput out) {
    if (CdcProgressForwarding.forward(record, out, progressTopic, STAGE)) {
      return;
    }
    EmployeeChange change;
    try {
      change = mapper.map(record.value(), id -> directory.departmentName(id));
    } catch (InvalidRecordException e) {
      out.deadLetter(record, STAGE, e.getMessage());
      return;
    }
    if (change == null) {
      out.count(STAGE, "skipped", 1);
      return;
    }
    long id = change.employeeId();
    if (change.sourceLsn() <= directory.lastEmployeeLsn(id) || change.sourceLsn() <= sent.lastLsn(id)) {
      out.count(STAGE, "duplicate", 1);
      return;
    }
    if (change.op() != ChangeOp.DELETE && change.departmentId() != null && change.departmentName() == null
        && waitForDepartment(record, out)) {
      return;
    }
    sent.observe(id, change.sourceLsn());
    byte[] key = Long.toString(id).getBytes(StandardCharsets.UTF_8);
    out.send(outputTopic, key, CODEC.encode(change));
    if (change.op() == ChangeOp.DELETE) {
      out.send(outputTopic, key, null);
    }
    out.count(STAGE, "ok", 1);
  }

  /**
   * The department row is committed in PostgreSQL before any employee referencing it (foreign key),
   * but its change travels through another topic and task. Rather than publish the employee without
   * its department name, the partition waits here (bounded) until the directory knows it.
   *
   * @return true if the record was left for a retry
   */
  private boolean waitForDepartment(ConsumerRecord<byte[], byte[]> record, TaskOutput out) {
    if (departmentWait.mayHold(record.offset(), clock.getAsLong())) {
      out.retryLater(record, RETRY);
      out.count(STAGE, "waiting_for_department", 1);
      return true;
    }
    departmentWait.release();
    out.count(STAGE, "department_unknown", 1);
    return false;
  }

  @Override
  public long stateSize() {
    return sent.size();
  }
}
