package org.activitypipeline.common.json;

/**
 * A record's bytes cannot be turned into the expected event: not JSON, wrong shape, or a schema
 * version this reader does not know. The message is the reason that goes into the dead-letter
 * record's headers, so it is short and names the field.
 */
public final class InvalidRecordException extends RuntimeException {
  public InvalidRecordException(String message) {
    super(message);
  }

  public InvalidRecordException(String message, Throwable cause) {
    super(message, cause);
  }
}
