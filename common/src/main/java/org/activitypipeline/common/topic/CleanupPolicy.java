package org.activitypipeline.common.topic;

/** Kafka's {@code cleanup.policy}. */
public enum CleanupPolicy {
  DELETE("delete"), COMPACT("compact");

  private final String configValue;

  CleanupPolicy(String configValue) {
    this.configValue = configValue;
  }

  /** The value for the topic config {@code cleanup.policy}. */
  public String configValue() {
    return configValue;
  }
}
