package org.activitypipeline.speed.employees;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import org.activitypipeline.common.json.InvalidRecordException;

/**
 * Typed reads of one column of a Debezium row image, in the encoding of the PostgreSQL connector
 * with the JSON converter: BIGINT as a number, TEXT as a string, NUMERIC as a string
 * ({@code decimal.handling.mode=string}), DATE as days since 1970-01-01, TIMESTAMPTZ as an ISO-8601
 * string. A missing column and JSON null both read as null.
 *
 * <p>Error messages name the column ({@code after.hire_date}) and the JSON type found, never the
 * value: they end up in dead-letter headers, and a value may be personal data or a salary.
 */
final class RowReader {
  private final ObjectNode row;
  private final String image;

  /** @param image the row's name in the event ({@code before} or {@code after}), for error messages */
  RowReader(ObjectNode row, String image) {
    this.row = row;
    this.image = image;
  }

  long requiredLong(String column) {
    Long v = optionalLong(column);
    if (v == null) {
      throw new InvalidRecordException("missing field '" + name(column) + "'");
    }
    return v;
  }

  Long optionalLong(String column) {
    JsonNode n = row.get(column);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw invalid(column, n, "an integer");
    }
    return n.longValue();
  }

  String text(String column) {
    JsonNode n = row.get(column);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw invalid(column, n, "a string");
    }
    return n.textValue();
  }

  /** Days since the epoch (the connector's DATE encoding), or an ISO date string as a fallback. */
  LocalDate date(String column) {
    JsonNode n = row.get(column);
    if (n == null || n.isNull()) {
      return null;
    }
    try {
      if (n.isIntegralNumber() && n.canConvertToLong()) {
        return LocalDate.ofEpochDay(n.longValue());
      }
      if (n.isTextual()) {
        return LocalDate.parse(n.textValue());
      }
    } catch (DateTimeException e) {
      throw invalid(column, n, "a date (days since 1970-01-01)");
    }
    throw invalid(column, n, "a date (days since 1970-01-01)");
  }

  /** An ISO-8601 timestamp with offset ({@code 2026-11-24T10:15:30.123456Z}). */
  Instant timestamp(String column) {
    JsonNode n = row.get(column);
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isTextual()) {
      try {
        // OffsetDateTime rather than Instant.parse: accepts "+02:00" as well as "Z".
        return OffsetDateTime.parse(n.textValue()).toInstant();
      } catch (DateTimeException e) {
        throw invalid(column, n, "an ISO-8601 timestamp");
      }
    }
    throw invalid(column, n, "an ISO-8601 timestamp");
  }

  /** A decimal string, or a JSON number (should the connector use {@code decimal.handling.mode=double}). */
  BigDecimal decimal(String column) {
    JsonNode n = row.get(column);
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isNumber()) {
      return n.decimalValue();
    }
    if (n.isTextual()) {
      try {
        return new BigDecimal(n.textValue().trim());
      } catch (NumberFormatException e) {
        // No cause: NumberFormatException's message may quote the value.
        throw invalid(column, n, "a decimal");
      }
    }
    throw invalid(column, n, "a decimal");
  }

  private String name(String column) {
    return image + "." + column;
  }

  private InvalidRecordException invalid(String column, JsonNode n, String expected) {
    return new InvalidRecordException("field '" + name(column) + "' is not " + expected
        + " (was " + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + ")");
  }
}
