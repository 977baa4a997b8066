package org.activitypipeline.speed.enrich;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.activitypipeline.common.event.EmployeeChange;
import org.activitypipeline.common.event.EnrichedActivity;

/**
 * Writes an {@link EnrichedActivity} value (the schema of docs/SCHEMAS.md) around the activity's
 * original JSON bytes instead of serialising the parsed activity again: the activity is most of the
 * value, and re-encoding it was the largest cost per record. The bytes were already validated as an
 * {@code Activity} by the caller. Pure and thread-safe.
 */
final class EnrichedActivityJson {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final byte[] PREFIX =
      ("{\"schema_version\":" + EnrichedActivity.SCHEMA_VERSION + ",\"activity\":").getBytes(StandardCharsets.UTF_8);

  private EnrichedActivityJson() {
  }

  /**
   * @param activityJson   a valid {@code Activity} JSON object
   * @param employee       null when unknown (then every employee field is null)
   * @param departmentName the department's current name, or null
   */
  static byte[] encode(byte[] activityJson, EmployeeChange employee, String departmentName, Instant processedAt) {
    ByteArrayOutputStream tail = new ByteArrayOutputStream(160);
    try (JsonGenerator g = FACTORY.createGenerator(tail)) {
      g.writeStartObject();
      g.writeBooleanField("employee_known", employee != null);
      if (employee == null || employee.departmentId() == null) {
        g.writeNullField("department_id");
      } else {
        g.writeNumberField("department_id", employee.departmentId());
      }
      g.writeStringField("department_name", employee == null ? null
          : departmentName != null ? departmentName : employee.departmentName());
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
}
