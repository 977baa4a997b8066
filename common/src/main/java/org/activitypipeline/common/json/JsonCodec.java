package org.activitypipeline.common.json;

import org.activitypipeline.common.ops.LogText;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.IOException;
import java.util.stream.Collectors;
import org.activitypipeline.common.event.Versioned;

/**
 * Encodes and decodes one event type as JSON with a {@code schema_version} field. Decoding checks
 * the version before binding, so a record written by a newer producer fails with a clear reason
 * instead of half-parsing.
 *
 * <p>Thread-safe; create one per type and reuse it.
 *
 * @param <T> the event record type
 */
public final class JsonCodec<T extends Versioned> {
  private final Class<T> type;
  private final int supportedVersion;
  private final ObjectReader reader;
  private final ObjectWriter writer;
  /** The version can be read off the bound value only when it is a field of the record itself. */
  private final boolean versionIsBound;

  private JsonCodec(Class<T> type, int supportedVersion) {
    this.type = type;
    this.supportedVersion = supportedVersion;
    this.reader = Json.mapper().readerFor(type);
    this.writer = Json.mapper().writerFor(type);
    this.versionIsBound = type.isRecord() && java.util.Arrays.stream(type.getRecordComponents())
        .anyMatch(c -> c.getName().equals("schemaVersion"));
  }

  /** A codec for {@code type} that accepts schema versions 1 to {@code supportedVersion}. */
  public static <T extends Versioned> JsonCodec<T> of(Class<T> type, int supportedVersion) {
    if (supportedVersion < 1) {
      throw new IllegalArgumentException("supportedVersion must be >= 1, was " + supportedVersion);
    }
    return new JsonCodec<>(type, supportedVersion);
  }

  public byte[] encode(T value) {
    if (value.schemaVersion() < 1 || value.schemaVersion() > supportedVersion) {
      throw new IllegalArgumentException(type.getSimpleName() + " has schema_version " + value.schemaVersion()
          + ", this codec writes 1.." + supportedVersion);
    }
    try {
      return writer.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  /**
   * @throws InvalidRecordException when {@code bytes} is null, not JSON, lacks or has an unknown
   *     schema version, or does not match the record's shape; the message names the field
   */
  public T decode(byte[] bytes) {
    if (bytes == null) {
      throw new InvalidRecordException("value is null (tombstone) where a " + type.getSimpleName() + " was expected");
    }
    // Fast path, one parse: bind directly and accept the value when its version is one this reader
    // knows. Anything else takes the checked path below, which parses again to say precisely what is
    // wrong (a newer version must be reported as such, not as whatever binding error it causes).
    if (versionIsBound) {
      try {
        T value = reader.readValue(bytes);
        if (value != null && value.schemaVersion() >= 1 && value.schemaVersion() <= supportedVersion) {
          return value;
        }
      } catch (IOException | RuntimeException e) {
        // explained below
      }
    }
    JsonNode tree;
    try {
      tree = Json.mapper().readTree(bytes);
    } catch (IOException e) {
      throw new InvalidRecordException("not valid JSON: " + LogText.firstLine(e.getMessage()), e);
    }
    if (tree == null || !tree.isObject()) {
      throw new InvalidRecordException("expected a JSON object for " + type.getSimpleName());
    }
    JsonNode version = tree.get("schema_version");
    if (version == null || !version.canConvertToInt()) {
      throw new InvalidRecordException("missing or non-integer field 'schema_version'");
    }
    int v = version.intValue();
    if (v < 1 || v > supportedVersion) {
      throw new InvalidRecordException("unsupported schema_version " + v + " for " + type.getSimpleName()
          + " (this reader knows 1.." + supportedVersion + ")");
    }
    try {
      return reader.treeToValue(tree, type);
    } catch (MismatchedInputException e) {
      String path = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
          .collect(Collectors.joining("."));
      throw new InvalidRecordException("field '" + path + "' is invalid: " + LogText.firstLine(e.getOriginalMessage()), e);
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidRecordException("does not match " + type.getSimpleName() + ": " + LogText.firstLine(e.getMessage()), e);
    }
  }

}
