package org.activitypipeline.common.topic;

import java.util.Map;

/**
 * How large a record value a producer may send as it is: its {@code max.request.size} (Kafka's default,
 * 1 MiB, unless overridden) less room for key, headers and batch overhead. A value above it is
 * dead-lettered as a bounded reference by the writer instead of failing its transaction on every retry.
 */
public final class RecordLimits {
  static final int DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;
  static final int OVERHEAD = 4 * 1024;

  private RecordLimits() {
  }

  /** @param producerOverrides the process's {@code kafka.producer.*} settings, without the prefix */
  public static int maxValueBytes(Map<String, String> producerOverrides) {
    String configured = producerOverrides.get("max.request.size");
    return (configured == null ? DEFAULT_MAX_REQUEST_SIZE : Integer.parseInt(configured.trim())) - OVERHEAD;
  }
}
