package org.activitypipeline.speed.cdc;

import io.debezium.embedded.EmbeddedEngineChangeEvent;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine.Offsets;
import io.debezium.engine.DebeziumEngine.RecordCommitter;
import java.util.Map;

/**
 * Marks records processed with the offset {@link ResumeOffsets} derives from Debezium's own, so the
 * position Debezium stores (and later confirms to the slot) never makes a restart skip events.
 * Called only after the Kafka transaction holding the batch has committed.
 */
final class Acknowledger {
  private Acknowledger() {
  }

  static void ack(ChangeEvent<String, String> record, RecordCommitter<ChangeEvent<String, String>> committer)
      throws InterruptedException {
    Map<String, Object> resume = record instanceof EmbeddedEngineChangeEvent<?, ?, ?> e
        ? ResumeOffsets.forRestart(e.sourceRecord().sourceOffset()) : null;
    if (resume == null) {
      committer.markProcessed(record);
      return;
    }
    Offsets offsets = committer.buildOffsets();
    resume.forEach(offsets::set);
    committer.markProcessed(record, offsets);
  }
}
