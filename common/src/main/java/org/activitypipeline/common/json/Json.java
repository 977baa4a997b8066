package org.activitypipeline.common.json;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one Jackson configuration every module uses for pipeline values: snake_case field names
 * (they become Hudi and Hive column names), ISO-8601 timestamps, unknown fields ignored (newer
 * writers may add fields), missing primitives rejected (a missing count must not read as 0).
 */
public final class Json {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .build();

  private Json() {
  }

  /** The shared mapper. Thread-safe; do not reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * Encodes a value that has no schema version of its own (internal state, markers).
   *
   * @throws IllegalStateException when Jackson cannot encode it (a programming error)
   */
  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
    }
  }

  /**
   * Decodes a value written by {@link #write}.
   *
   * @param what names the value in the error message, e.g. "watermark marker"
   * @throws InvalidRecordException for no bytes, invalid JSON, a JSON {@code null} or a shape mismatch
   */
  public static <T> T read(byte[] bytes, Class<T> type, String what) {
    if (bytes == null) {
      throw new InvalidRecordException(what + " without a value");
    }
    T value;
    try {
      value = MAPPER.readValue(bytes, type);
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw new InvalidRecordException("not a " + what + ": " + e.getMessage(), e);
    }
    if (value == null) {
      throw new InvalidRecordException(what + " is JSON null");
    }
    return value;
  }
}
