package org.activitypipeline.bench.streams;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.activitypipeline.common.event.Activity;
import org.activitypipeline.common.event.EnrichedActivity;

/**
 * An activity joined with its employee (null when unknown or deleted), as it flows from the join to
 * the output and the two aggregations. Never serialised by Streams (no repartition before the hits).
 *
 * @param activityJson the activity's original bytes: the {@code processed-activities} value is written
 *                     around them (as the processor does) instead of serialising the activity again
 */
record Enriched(byte[] activityJson, Activity activity, PeerEmployee employee) {
  /** Department of activities whose employee is unknown (as in the processor). */
  static final String UNKNOWN_DEPARTMENT = "unknown";
  /** Department of known employees without one. */
  static final String NO_DEPARTMENT = "unassigned";

  private static final JsonFactory FACTORY = new JsonFactory();
  private static final byte[] PREFIX =
      ("{\"schema_version\":" + EnrichedActivity.SCHEMA_VERSION + ",\"activity\":").getBytes(StandardCharsets.UTF_8);

  static Enriched join(Parsed parsed, PeerEmployee employee) {
    return new Enriched(parsed.json(), parsed.activity(), employee == null || employee.deleted() ? null : employee);
  }

  /** The department the activity is aggregated under. */
  String department() {
    if (employee == null) {
      return UNKNOWN_DEPARTMENT;
    }
    return employee.departmentName() != null ? employee.departmentName() : NO_DEPARTMENT;
  }

  /** The {@code processed-activities} value: an {@link EnrichedActivity} as docs/SCHEMAS.md describes it. */
  byte[] toJson(Instant processedAt) {
    ByteArrayOutputStream tail = new ByteArrayOutputStream(160);
    try (JsonGenerator g = FACTORY.createGenerator(tail)) {
      g.writeStartObject();
      g.writeBooleanField("employee_known", employee != null);
      if (employee == null || employee.departmentId() == null) {
        g.writeNullField("department_id");
      } else {
        g.writeNumberField("department_id", employee.departmentId());
      }
      g.writeStringField("department_name", employee == null ? null : employee.departmentName());
      g.writeStringField("job_title", employee == null ? null : employee.jobTitle());
      g.writeStringField("employee_location", employee == null ? null : employee.location());
      g.writeStringField("employee_status", employee == null ? null : employee.status());
      g.writeStringField("processed_at", processedAt.toString());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] t = tail.toByteArray();
    byte[] out = new byte[PREFIX.length + activityJson.length + t.length];
    System.arraycopy(PREFIX, 0, out, 0, PREFIX.length);
    System.arraycopy(activityJson, 0, out, PREFIX.length, activityJson.length);
    out[PREFIX.length + activityJson.length] = ',';
    System.arraycopy(t, 1, out, PREFIX.length + activityJson.length + 1, t.length - 1);
    return out;
  }

  /** A raw activity decoded once, with its original bytes. */
  record Parsed(byte[] json, Activity activity) {
  }
}
