package org.activitypipeline.speed.employees;

import java.nio.charset.StandardCharsets;
import org.activitypipeline.common.event.DepartmentChange;
import org.activitypipeline.common.json.InvalidRecordException;
import org.activitypipeline.speed.processor.Task;
import org.activitypipeline.speed.processor.TaskOutput;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Keeps the latest state of each department on a compacted internal topic, so that department names
 * survive the retention of the cdc topic and every instance can load all of them at start.
 * Replayed changes (LSN already applied) are dropped; cdc progress records are forwarded to the
 * progress topic ({@link CdcProgressForwarding}).
 */
public final class DepartmentTask implements Task {
  static final String STAGE = "departments";

  private final EmployeeDirectory directory;
  private final String outputTopic;
  private final String progressTopic;
  private final LsnDeduplicator sent = new LsnDeduplicator();

  public DepartmentTask(EmployeeDirectory directory, String outputTopic, String progressTopic) {
    this.directory = directory;
    this.outputTopic = outputTopic;
    this.progressTopic = progressTopic;
  }

  @Override
  public void process(ConsumerRecord<byte[], byte[]> record, TaskOutput out) {
    if (CdcProgressForwarding.forward(record, out, progressTopic, STAGE)) {
      return;
    }
    DepartmentChange change;
    try {
      change = DepartmentChanges.parse(record.value());
    } catch (InvalidRecordException e) {
      out.deadLetter(record, STAGE, e.getMessage());
      return;
    }
    if (change == null) {
      out.count(STAGE, "skipped", 1);
      return;
    }
    long id = change.departmentId();
    if (change.sourceLsn() <= directory.lastDepartmentLsn(id) || change.sourceLsn() <= sent.lastLsn(id)) {
      out.count(STAGE, "duplicate", 1);
      return;
    }
    sent.observe(id, change.sourceLsn());
    out.send(outputTopic, Long.toString(id).getBytes(StandardCharsets.UTF_8), change.toJson());
    out.count(STAGE, "ok", 1);
  }
}
