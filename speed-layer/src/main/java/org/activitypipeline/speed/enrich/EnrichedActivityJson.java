package org.activitypipeline.speed.enrich;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.activitypipeline.common.event.EmployeeChange;
import org.activitypipeline.common.event.EnrichedActivity;

/**
 * Writes an {@link EnrichedActivity} value (the schema of docs/SCHEMAS.md) around the activity's
 * original JSON bytes instead of serialising the parsed activity again: the activity is most of the
 * value, and re-encoding it was the largest cost per record.
 *
 * <p>The employee's part of the value is the same for every activity of the employee until the
 * employee or the department name changes, so it is encoded once and kept per employee (checked by
 * identity of the directory's entry and by the department name); {@code processed_at} is encoded
 * once per millisecond. One instance per task: not thread-safe.
 */
final class EnrichedActivityJson {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final byte[] PREFIX =
      ("{\"schema_version\":" + EnrichedActivity.SCHEMA_VERSION + ",\"activity\":").getBytes(StandardCharsets.UTF_8);
  private static final byte[] UNKNOWN_EMPLOYEE = employeeFields(null, null);
  /** Bounds the cache when employees come and go; refilled on demand. */
  private static final int MAX_CACHED_EMPLOYEES = 200_000;

  private record EmployeePart(EmployeeChange employee, String departmentName, byte[] json) {
  }

  private final Map<Long, EmployeePart> employeeParts = new HashMap<>();
  private long processedAtMillis = Long.MIN_VALUE;
  private byte[] processedAtPart;

  /**
   * @param activityJson      a valid {@code Activity} JSON object
   * @param employee          null when unknown (then every employee field is null)
   * @param departmentName    the department's current name, or null
   * @param processedAtMillis when it was enriched, epoch milliseconds
   */
  byte[] encode(byte[] activityJson, EmployeeChange employee, String departmentName, long processedAtMillis) {
    byte[] emp = employee == null ? UNKNOWN_EMPLOYEE : employeePart(employee, departmentName);
    byte[] at = processedAtPart(processedAtMillis);
    byte[] out = new byte[PREFIX.length + activityJson.length + 1 + emp.length + at.length];
    int i = 0;
    System.arraycopy(PREFIX, 0, out, i, PREFIX.length);
    i += PREFIX.length;
    System.arraycopy(activityJson, 0, out, i, activityJson.length);
    i += activityJson.length;
    out[i++] = ',';
    System.arraycopy(emp, 0, out, i, emp.length);
    i += emp.length;
    System.arraycopy(at, 0, out, i, at.length);
    return out;
  }

  private byte[] employeePart(EmployeeChange employee, String departmentName) {
    EmployeePart cached = employeeParts.get(employee.employeeId());
    if (cached != null && cached.employee() == employee && Objects.equals(cached.departmentName(), departmentName)) {
      return cached.json();
    }
    if (employeeParts.size() >= MAX_CACHED_EMPLOYEES) {
      employeeParts.clear();
    }
    byte[] json = employeeFields(employee, departmentName);
    employeeParts.put(employee.employeeId(), new EmployeePart(employee, departmentName, json));
    return json;
  }

  private byte[] processedAtPart(long millis) {
    if (millis != processedAtMillis) {
      processedAtPart = (",\"processed_at\":\"" + Instant.ofEpochMilli(millis) + "\"}").getBytes(StandardCharsets.UTF_8);
      processedAtMillis = millis;
    }
    return processedAtPart;
  }

  /** The employee fields as the inside of a JSON object: no braces, no trailing comma. */
  private static byte[] employeeFields(EmployeeChange employee, String departmentName) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(160);
    try (JsonGenerator g = FACTORY.createGenerator(buf)) {
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
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] object = buf.toByteArray();
    return Arrays.copyOfRange(object, 1, object.length - 1);
  }
}
