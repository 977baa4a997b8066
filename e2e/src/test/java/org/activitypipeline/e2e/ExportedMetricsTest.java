package org.activitypipeline.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ExportedMetricsTest {
  @Test
  void namesAreTheMetricsNotFunctionsLabelsOrKeywords() {
    assertEquals(Set.of("batch_job_runs_seconds_count"), ExportedMetrics.names(
        "sum by (exported_job, outcome) (increase(batch_job_runs_seconds_count{outcome=\"failed\"}[30m])) > 0"));
    assertEquals(Set.of("reconcile_rows_unrepaired", "reconcile_rows_not_in_hudi"), ExportedMetrics.names(
        "reconcile_rows_unrepaired > 0 or reconcile_rows_not_in_hudi > 0"));
    assertEquals(Set.of("cdc_slot_retained_wal_bytes", "cdc_slot_safe_wal_bytes"), ExportedMetrics.names(
        "cdc_slot_retained_wal_bytes > 4 * cdc_slot_safe_wal_bytes"));
    assertEquals(Set.of("up"), ExportedMetrics.names("up{job=~\"activity-.*\"} == 0"));
    assertEquals(Set.of("processor_commit_seconds"), ExportedMetrics.names(
        "processor_commit_seconds{quantile=\"0.99\"}"));
  }
}
