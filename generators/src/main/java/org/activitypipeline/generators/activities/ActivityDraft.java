package org.activitypipeline.generators.activities;

import java.time.Instant;
import java.util.Map;

/** The content of one activity row, before it gets its id and partition. */
record ActivityDraft(long employeeId, String activityType, String deviceType, String os, String ip, String location,
                     int durationSeconds, Instant eventTime, Map<String, String> metadata, boolean late) {
  ActivityDraft {
    metadata = Map.copyOf(metadata);
  }
}
