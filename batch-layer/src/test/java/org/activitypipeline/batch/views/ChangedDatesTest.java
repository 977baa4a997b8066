package org.activitypipeline.batch.views;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.activitypipeline.lakehouse.hudi.HudiTableSpec;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class ChangedDatesTest {
  private static final Schema SCHEMA = SchemaBuilder.record("change").fields()
      .requiredString(HudiTableSpec.COMMIT_TIME_FIELD).requiredLong("employee_id").requiredLong("source_time_ms")
      .endRecord();

  private static GenericRecord change(String commit, long employee, String at) {
    GenericRecord r = new GenericData.Record(SCHEMA);
    r.put(HudiTableSpec.COMMIT_TIME_FIELD, commit);
    r.put("employee_id", employee);
    r.put("source_time_ms", Instant.parse(at).toEpochMilli());
    return r;
  }

  private final List<GenericRecord> changes = List.of(
      change("20261120000000000", 1, "2026-11-01T08:00:00Z"),
      change("20261120000000000", 2, "2026-11-01T08:00:00Z"),
      change("20261124100000000", 1, "2026-11-23T10:00:00Z"), // a move that arrived late
      change("20261124110000000", 3, "2026-11-24T00:30:00Z")); // a hire, just after midnight

  @Test
  void nothingNewerThanTheViewsChangesNothing() {
    assertNull(ViewsJob.earliestDateChangedBy(changes, "20261124110000000", "employee_id"));
  }

  @Test
  void aLateMoveReachesBackToTheDateOfItsTime() {
    assertEquals(LocalDate.parse("2026-11-23"),
        ViewsJob.earliestDateChangedBy(changes, "20261120000000000", "employee_id"));
  }

  @Test
  void aFirstVersionAlsoCoversTheHourBeforeIt() {
    assertEquals(LocalDate.parse("2026-11-23"),
        ViewsJob.earliestDateChangedBy(changes, "20261124100000000", "employee_id"),
        "a hire at 00:30 decides the department of activities up to an hour earlier: the day before");
  }

  @Test
  void withoutARecordOfWhatTheViewsIncludeEveryChangeCounts() {
    assertEquals(LocalDate.parse("2026-11-01"), ViewsJob.earliestDateChangedBy(changes, null, "employee_id"));
  }

  private static final Schema DEPARTMENT = SchemaBuilder.record("department").fields()
      .requiredString(HudiTableSpec.COMMIT_TIME_FIELD).requiredLong("department_id").optionalLong("source_time_ms")
      .endRecord();

  private static GenericRecord state(String commit, long department, String at) {
    GenericRecord r = new GenericData.Record(DEPARTMENT);
    r.put(HudiTableSpec.COMMIT_TIME_FIELD, commit);
    r.put("department_id", department);
    r.put("source_time_ms", at == null ? null : Instant.parse(at).toEpochMilli());
    return r;
  }

  @Test
  void aRenameReachesTheDatesFromItsCommitTimeOn() {
    List<GenericRecord> states = List.of(state("20261120000000000", 7, "2026-11-01T08:00:00Z"),
        state("20261124100000000", 7, "2026-11-22T15:00:00Z")); // renamed on the 22nd, ingested on the 24th
    assertEquals(LocalDate.parse("2026-11-22"), ViewsJob.earliestDateChangedBy(states, "20261120000000000",
        "department_id"));
    assertNull(ViewsJob.earliestDateChangedBy(states, "20261124100000000", "department_id"));
  }

  @Test
  void aStateWithoutCommitTimeIsValidSinceEverAndReachesEveryDate() {
    List<GenericRecord> states = List.of(state("20261124100000000", 7, null));
    assertEquals(LocalDate.MIN, ViewsJob.earliestDateChangedBy(states, "20261120000000000", "department_id"));
  }
}
