package org.activitypipeline.speed.poller;

import java.time.Instant;
import org.activitypipeline.common.event.Versioned;

/**
 * The poller's committed progress, the value of its record in the state topic: every activity
 * written at or before {@code watermarkMs} (write time) has been emitted, except rows that become
 * visible later, which the second look one late window later picks up.
 */
record PollerState(int schemaVersion, long watermarkMs, Instant updatedAt) implements Versioned {
  static final int SCHEMA_VERSION = 1;
}
