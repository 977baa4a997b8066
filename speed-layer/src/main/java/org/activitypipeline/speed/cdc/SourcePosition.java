package org.activitypipeline.speed.cdc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Where a change event came from in the PostgreSQL WAL: {@code source.lsn} of a Debezium JSON value
 * (schemas disabled), plus {@code source.ts_ms} (commit time) for the lag metric.
 *
 * <p>Read with a streaming parser that skips {@code before}/{@code after} without building them:
 * one pass, no tree, so it stays cheap at tens of thousands of events per second. Pure and
 * thread-safe.
 *
 * @param lsn the change's LSN, or -1 when the value has none (tombstone, non-change record)
 * @param commitMillis {@code source.ts_ms}, or -1
 * @param snapshot true for a row read by a snapshot ({@code source.snapshot} other than "false"): its
 *     ts_ms is when it was read, not a commit time
 */
record SourcePosition(long lsn, long commitMillis, boolean snapshot) {
  static final SourcePosition NONE = new SourcePosition(-1, -1, false);
  private static final JsonFactory JSON = new JsonFactory();

  boolean hasLsn() {
    return lsn >= 0;
  }

  /** The position in {@code value}; {@link #NONE} for null, non-object or unparseable values. */
  static SourcePosition of(String value) {
    if (value == null || value.isEmpty()) {
      return NONE;
    }
    try (JsonParser p = JSON.createParser(value)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return NONE;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        if ("source".equals(field) && t == JsonToken.START_OBJECT) {
          return readSource(p);
        }
        p.skipChildren();
      }
      return NONE;
    } catch (IOException e) {
      return NONE;
    }
  }

  private static SourcePosition readSource(JsonParser p) throws IOException {
    long lsn = -1;
    long ts = -1;
    boolean snapshot = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_NUMBER_INT && "lsn".equals(field)) {
        lsn = p.getLongValue();
      } else if (t == JsonToken.VALUE_NUMBER_INT && "ts_ms".equals(field)) {
        ts = p.getLongValue();
      } else if (t == JsonToken.VALUE_STRING && "snapshot".equals(field)) {
        snapshot = !"false".equals(p.getText());
      } else {
        p.skipChildren();
      }
    }
    return new SourcePosition(lsn, ts, snapshot);
  }
}
