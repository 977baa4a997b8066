package org.activitypipeline.speed.employees;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.activitypipeline.common.json.Json;

/**
 * Debezium 3.6 PostgreSQL change events as the JSON converter writes them with schemas disabled,
 * for tests. Rows use the connector's encodings: NUMERIC as a string, DATE as epoch days,
 * TIMESTAMPTZ as an ISO-8601 string.
 */
final class DebeziumEvents {
  static final long LSN = 24023128L;
  static final long COMMIT_MS = 1764000000123L;

  /** 2025-01-01. */
  static final int HIRE_DAY = 20089;

  private DebeziumEvents() {
  }

  /** Ada, in department 7, salary 81234.50 (band 75k-100k). */
  static ObjectNode ada() {
    return (ObjectNode) parse("""
        {"employee_id":1042,"first_name":"Ada","last_name":"Lovelace","email":"ada.lovelace@example.com",
         "department_id":7,"job_title":"Data Engineer","location":"London","manager_id":1001,
         "hire_date":20089,"salary":"81234.50","status":"active",
         "created_at":"2026-11-24T10:15:30.123456Z","updated_at":"2026-11-24T10:15:30.123456Z"}""");
  }

  static ObjectNode engineering() {
    return (ObjectNode) parse("""
        {"department_id":7,"name":"Engineering","cost_center":"CC-700","location":"London",
         "created_at":"2026-01-05T08:00:00.000001Z","updated_at":"2026-01-05T08:00:00.000001Z"}""");
  }

  static byte[] employees(String op, ObjectNode before, ObjectNode after) {
    return event("employees", op, before, after, LSN);
  }

  static byte[] departments(String op, ObjectNode before, ObjectNode after, long lsn) {
    return event("departments", op, before, after, lsn);
  }

  static byte[] event(String table, String op, ObjectNode before, ObjectNode after, long lsn) {
    String snapshot = "r".equals(op) ? "true" : "false";
    String json = "{\"before\":" + before + ",\"after\":" + after + ","
        + "\"source\":{\"version\":\"3.6.1.Final\",\"connector\":\"postgresql\",\"name\":\"cdc\","
        + "\"ts_ms\":" + COMMIT_MS + ",\"snapshot\":\"" + snapshot + "\",\"db\":\"hr\","
        + "\"sequence\":\"[\\\"24022904\\\",\\\"" + lsn + "\\\"]\",\"ts_us\":1764000000123456,"
        + "\"ts_ns\":1764000000123456000,\"schema\":\"public\",\"table\":\"" + table + "\",\"txId\":812,"
        + "\"lsn\":" + lsn + ",\"xmin\":null},"
        + "\"transaction\":{\"id\":\"812:" + lsn + "\",\"total_order\":1,\"data_collection_order\":1},"
        + "\"op\":\"" + op + "\",\"ts_ms\":1764000000456,\"ts_us\":1764000000456789,\"ts_ns\":1764000000456789000}";
    return bytes(json);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static com.fasterxml.jackson.databind.JsonNode parse(String json) {
    try {
      return Json.mapper().readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
