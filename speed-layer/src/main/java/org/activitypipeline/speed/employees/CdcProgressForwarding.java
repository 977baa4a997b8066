package org.activitypipeline.speed.employees;

import java.nio.charset.StandardCharsets;
import org.activitypipeline.common.event.CdcProgress;
import org.activitypipeline.common.json.InvalidRecordException;
import org.activitypipeline.speed.processor.TaskOutput;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The employee and department tasks' handling of cdc progress records: each goes, in the task's
 * transaction, to the processor's cdc-progress topic keyed {@code <topic>:<partition>}. A task reaches
 * it only after the changes before it in its partition (a change held for a retry holds the progress
 * too), so once committed it says: everything this partition had before that time is committed.
 */
final class CdcProgressForwarding {
  private CdcProgressForwarding() {
  }

  /** @return false if {@code record} is not a progress record (then nothing was done) */
  static boolean forward(ConsumerRecord<byte[], byte[]> record, TaskOutput out, String progressTopic, String stage) {
    if (record.headers().lastHeader(CdcProgress.HEADER) == null) {
      return false;
    }
    CdcProgress progress;
    try {
      progress = CdcProgress.fromJson(record.value());
    } catch (InvalidRecordException e) {
      out.deadLetter(record, stage, "cdc progress record: " + e.getMessage());
      return true;
    }
    byte[] key = (record.topic() + ":" + record.partition()).getBytes(StandardCharsets.UTF_8);
    out.send(progressTopic, 0, key, progress.toJson(), null);
    out.count(stage, "progress", 1);
    return true;
  }
}
