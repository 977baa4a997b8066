package org.activitypipeline.common.config;

/**
 * A configuration value is missing, malformed or out of range. The message always names the
 * offending key and where its value came from, so a process can print it and exit without a
 * stack trace.
 */
public final class ConfigException extends RuntimeException {
  private final String key;

  public ConfigException(String key, String message) {
    super(message);
    this.key = key;
  }

  /** The key the problem is about, or {@code null} for a problem with the whole source (unreadable file). */
  public String key() {
    return key;
  }
}
