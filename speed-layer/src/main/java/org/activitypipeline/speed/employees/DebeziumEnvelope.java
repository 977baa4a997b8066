package org.activitypipeline.speed.employees;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import org.activitypipeline.common.event.ChangeOp;
import org.activitypipeline.common.json.InvalidRecordException;
import org.activitypipeline.common.json.Json;

/**
 * The parts of a Debezium PostgreSQL change event (JSON converter, schemas disabled) the mappers
 * need: op, row images, and position. Pure and thread-safe.
 *
 * @param before     the row before the change, or null (creates, snapshots)
 * @param after      the row after the change, or null (deletes)
 * @param sourceLsn  {@code source.lsn}
 * @param sourceTime {@code source.ts_ms} (commit time), or null when absent
 */
record DebeziumEnvelope(ChangeOp op, ObjectNode before, ObjectNode after, long sourceLsn, Instant sourceTime) {
  // "{...}garbage" is not a change event; the shared mapper would accept it, a reader can refuse it.
  private static final ObjectReader READER = Json.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /**
   * @param table the table the event must come from ({@code source.table}); an event without
   *     {@code source.table} is accepted, since the topic already says which table it is
   * @return null for a tombstone (null or empty value), which carries no change
   * @throws InvalidRecordException when the value is not a change event of {@code table}
   */
  static DebeziumEnvelope parse(byte[] value, String table) {
    if (value == null || value.length == 0) {
      return null;
    }
    JsonNode tree;
    try {
      tree = READER.readTree(value);
    } catch (JsonProcessingException e) {
      // Where, never what: Jackson's messages quote the offending token, which may be a salary.
      com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
      throw new InvalidRecordException("not valid JSON" + (at == null ? ""
          : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"), null);
    } catch (IOException e) {
      throw new InvalidRecordException("not valid JSON (" + e.getClass().getSimpleName() + ")", null);
    }
    if (tree == null || !tree.isObject()) {
      throw new InvalidRecordException("expected a JSON object (Debezium change event)");
    }
    JsonNode source = tree.get("source");
    if (source != null && !source.isNull() && !source.isObject()) {
      throw new InvalidRecordException("field 'source' is not an object");
    }
    checkTable(source, table);
    return new DebeziumEnvelope(op(tree.get("op")), image(tree, "before"), image(tree, "after"), lsn(source),
        sourceTime(source));
  }

  /**
   * The row that holds the state after this change: {@code after} for creates, updates and
   * snapshots, {@code before} for deletes.
   *
   * @throws InvalidRecordException when that image is missing
   */
  ObjectNode stateRow() {
    if (op == ChangeOp.DELETE) {
      if (before == null) {
        throw new InvalidRecordException("delete without before image (is the table's REPLICA IDENTITY FULL?)");
      }
      return before;
    }
    if (after == null) {
      throw new InvalidRecordException(op.name().toLowerCase(java.util.Locale.ROOT) + " without after image");
    }
    return after;
  }

  /** The name of {@link #stateRow()}'s image, for error messages. */
  String stateImage() {
    return op == ChangeOp.DELETE ? "before" : "after";
  }

  private static void checkTable(JsonNode source, String table) {
    JsonNode t = source == null ? null : source.get("table");
    if (t != null && t.isTextual() && !t.textValue().equals(table)) {
      throw new InvalidRecordException("change of table '" + t.textValue() + "', expected '" + table + "'");
    }
  }

  private static ChangeOp op(JsonNode op) {
    if (op == null || op.isNull()) {
      throw new InvalidRecordException("missing field 'op'");
    }
    if (!op.isTextual()) {
      throw new InvalidRecordException("field 'op' is not a string");
    }
    try {
      return ChangeOp.fromDebezium(op.textValue());
    } catch (IllegalArgumentException e) {
      // Also truncate ('t') and logical messages ('m'): no row to turn into a record.
      throw new InvalidRecordException(e.getMessage(), e);
    }
  }

  private static ObjectNode image(JsonNode tree, String field) {
    JsonNode n = tree.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isObject()) {
      throw new InvalidRecordException("field '" + field + "' is not an object");
    }
    return (ObjectNode) n;
  }

  private static long lsn(JsonNode source) {
    JsonNode lsn = source == null ? null : source.get("lsn");
    if (lsn == null || lsn.isNull()) {
      throw new InvalidRecordException("missing source.lsn");
    }
    if (!lsn.isIntegralNumber() || !lsn.canConvertToLong()) {
      throw new InvalidRecordException("source.lsn is not an integer");
    }
    return lsn.longValue();
  }

  private static Instant sourceTime(JsonNode source) {
    JsonNode ts = source == null ? null : source.get("ts_ms");
    if (ts == null || ts.isNull()) {
      return null;
    }
    if (!ts.isIntegralNumber() || !ts.canConvertToLong()) {
      throw new InvalidRecordException("source.ts_ms is not an integer");
    }
    return Instant.ofEpochMilli(ts.longValue());
  }
}
