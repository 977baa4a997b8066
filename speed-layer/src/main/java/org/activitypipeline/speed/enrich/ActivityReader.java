package org.activitypipeline.speed.enrich;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.activitypipeline.common.event.Activity;
import org.activitypipeline.common.json.InvalidRecordException;
import org.activitypipeline.common.json.Json;
import org.activitypipeline.common.json.JsonCodec;

/**
 * Reads the fields enrichment needs from a raw-activities value, with exactly the acceptance rules of
 * the {@link Activity} codec but at a fraction of its cost.
 *
 * <p>Why: binding every value to {@code Activity} with Jackson databind took half of the processor
 * thread's time, a quarter alone in {@code java.time}'s ISO parser for the two timestamps (profile in
 * docs/PROCESSOR.md). The fast path walks the tokens once with Jackson's streaming parser and parses
 * timestamps of the canonical form {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z} by hand. It accepts a value
 * only when every field it knows has exactly the expected token type and form; anything else (a
 * number given as a string, a timestamp with an offset, a newer schema version, broken JSON) goes
 * through the codec, which decides as before and names the bad field. So the fast path never accepts
 * a value the codec would reject, nor rejects one it would accept. Thread-safe.
 */
final class ActivityReader {
  private static final JsonCodec<Activity> CODEC = JsonCodec.of(Activity.class, Activity.SCHEMA_VERSION);
  private static final JsonFactory FACTORY = Json.mapper().getFactory();
  /**
   * The fields in the order the codec writes them (the record's). Expecting the next name lets the
   * parser compare raw bytes instead of looking each name up, which was most of the parse.
   */
  static final List<String> FIELD_ORDER = List.of("schema_version", "activity_id", "employee_id", "activity_type",
      "device_type", "os", "ip", "location", "duration_seconds", "event_time", "ingest_time", "metadata");
  private static final SerializedString[] EXPECTED =
      FIELD_ORDER.stream().map(SerializedString::new).toArray(SerializedString[]::new);

  private ActivityReader() {
  }

  /**
   * The fields of one activity that enrichment and the windows use.
   *
   * @param writeMillis the row's write time ({@code ingest_time}), {@link #NO_WRITE_TIME} when absent
   */
  record ActivityFields(String activityId, long employeeId, String activityType, String deviceType,
                        int durationSeconds, long eventMillis, long writeMillis) {
    static final long NO_WRITE_TIME = Long.MIN_VALUE;
  }

  /**
   * @throws InvalidRecordException when the value is not a valid activity (the message names the field)
   */
  static ActivityFields read(byte[] value) {
    ActivityFields fields = value == null ? null : readCanonical(value);
    if (fields == null) {
      return readWithCodec(value);
    }
    validate(fields);
    return fields;
  }

  /** The general path: the codec binds and judges the whole value. */
  static ActivityFields readWithCodec(byte[] value) {
    Activity a = CODEC.decode(value);
    if (a.eventTime() == null) {
      throw new InvalidRecordException("missing field 'event_time'");
    }
    ActivityFields fields = new ActivityFields(a.activityId(), a.employeeId(), a.activityType(), a.deviceType(),
        a.durationSeconds(), a.eventTime().toEpochMilli(),
        a.ingestTime() == null ? ActivityFields.NO_WRITE_TIME : a.ingestTime().toEpochMilli());
    validate(fields);
    return fields;
  }

  private static void validate(ActivityFields a) {
    if (a.activityId() == null || a.activityId().isBlank()) {
      throw new InvalidRecordException("missing field 'activity_id'");
    }
    // Present employee_id, event_time and duration were checked while reading (no default stands in).
    String reason = Activity.invalidReason(a.employeeId(), Instant.ofEpochMilli(a.eventMillis()), a.activityType(),
        a.deviceType(), a.durationSeconds());
    if (reason != null) {
      throw new InvalidRecordException(reason);
    }
  }

  /** The fields, or null when the value is not in the canonical shape (the codec then decides). */
  static ActivityFields readCanonical(byte[] value) {
    try (JsonParser p = FACTORY.createParser(value)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      int version = -1;
      String activityId = null;
      String activityType = null;
      String deviceType = null;
      long employeeId = 0;
      boolean hasEmployeeId = false;
      int duration = 0;
      boolean hasDuration = false;
      long eventMillis = Long.MIN_VALUE;
      long writeMillis = ActivityFields.NO_WRITE_TIME;
      int expected = 0;
      while (true) {
        String name;
        // Both branches advance to the next token: a field name or the object's end.
        boolean asExpected = false;
        if (expected < EXPECTED.length) {
          asExpected = p.nextFieldName(EXPECTED[expected]);
        } else {
          p.nextToken();
        }
        if (asExpected) {
          name = FIELD_ORDER.get(expected++);
        } else if (p.currentToken() == JsonToken.FIELD_NAME) {
          name = p.currentName();
          int known = FIELD_ORDER.indexOf(name);
          if (known >= 0) {
            expected = known + 1; // out of order: expect what follows it (unknown names change nothing)
          }
        } else {
          break; // END_OBJECT
        }
        JsonToken t = p.nextToken();
        switch (name) {
          case "schema_version" -> {
            if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
              return null;
            }
            version = p.getIntValue();
          }
          case "activity_id" -> {
            if (t != JsonToken.VALUE_STRING) {
              return null;
            }
            activityId = p.getText();
          }
          case "employee_id" -> {
            if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
              return null;
            }
            employeeId = p.getLongValue();
            hasEmployeeId = true;
          }
          case "activity_type" -> {
            if (t != JsonToken.VALUE_STRING) {
              return null;
            }
            activityType = p.getText();
          }
          case "device_type" -> {
            if (t != JsonToken.VALUE_STRING) {
              return null;
            }
            deviceType = p.getText();
          }
          case "duration_seconds" -> {
            if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
              return null;
            }
            duration = p.getIntValue();
            hasDuration = true;
          }
          case "event_time" -> {
            if (t != JsonToken.VALUE_STRING) {
              return null;
            }
            eventMillis = CanonicalInstant.parseMillis(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            if (eventMillis == CanonicalInstant.NOT_CANONICAL) {
              return null;
            }
          }
          case "ingest_time" -> {
            if (t == JsonToken.VALUE_STRING) {
              writeMillis = CanonicalInstant.parseMillis(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
              if (writeMillis == CanonicalInstant.NOT_CANONICAL) {
                return null;
              }
            } else if (t == JsonToken.VALUE_NULL) {
              writeMillis = ActivityFields.NO_WRITE_TIME;
            } else {
              return null;
            }
          }
          case "os", "ip", "location" -> {
            if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NULL) {
              return null;
            }
          }
          case "metadata" -> {
            if (t == JsonToken.START_OBJECT) {
              // The codec copies the map with Map.copyOf: string values only, no nulls.
              while (p.nextFieldName() != null) {
                if (p.nextToken() != JsonToken.VALUE_STRING) {
                  return null;
                }
              }
            } else if (t != JsonToken.VALUE_NULL) {
              return null;
            }
          }
          default -> p.skipChildren(); // unknown fields are ignored, as by the codec
        }
      }
      if (p.nextToken() != null) {
        return null; // trailing content: let the codec judge it
      }
      if (version < 1 || version > Activity.SCHEMA_VERSION || !hasEmployeeId || !hasDuration
          || eventMillis == Long.MIN_VALUE) {
        return null;
      }
      return new ActivityFields(activityId, employeeId, activityType, deviceType, duration, eventMillis, writeMillis);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
