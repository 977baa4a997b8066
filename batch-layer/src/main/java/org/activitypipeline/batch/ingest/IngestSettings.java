package org.activitypipeline.batch.ingest;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * @param kafka consumer/producer settings ({@code bootstrap.servers} and overrides)
 * @param processedEmployees topic of employee changes (input of employee_changes and employees)
 * @param processedDepartments topic of department states (input of department_changes)
 * @param processedActivities topic of enriched activities (input of employee_activity)
 * @param deadLetters where records that cannot be stored go
 * @param groupId consumer group the positions are mirrored to (monitoring only; Hudi holds the truth)
 * @param batchMaxRecords records per Hudi commit at most; a run commits batches until it has caught up
 * @param readTimeout longest wait for Kafka within one batch
 */
public record IngestSettings(Map<String, Object> kafka, String processedEmployees, String processedDepartments,
                             String processedActivities,
                             String deadLetters, String groupId, int batchMaxRecords, Duration readTimeout) {
  public IngestSettings {
    kafka = Map.copyOf(kafka);
  }

  /** Client secrets (sasl.jaas.config, ssl passwords) hidden. */
  @Override
  public String toString() {
    return "IngestSettings[kafka=" + org.activitypipeline.common.config.Secrets.masked(kafka) + ", topics="
        + List.of(processedEmployees, processedDepartments, processedActivities, deadLetters) + ", groupId=" + groupId
        + ", batchMaxRecords=" + batchMaxRecords + ", readTimeout=" + readTimeout + "]";
  }
}
