package org.activitypipeline.speed.enrich;

import java.io.IOException;
import org.activitypipeline.common.json.InvalidRecordException;
import org.activitypipeline.common.json.Json;

/**
 * An activity waiting for its employee, as kept in the enrich changelog. Lateness was decided when it
 * arrived (against the partition's watermark then), so waiting never makes an activity late.
 *
 * @param activity      the original raw-activities value
 * @param arrivedMillis wall-clock time it was first read; it goes out unenriched after the wait
 */
record PendingActivity(String activity, long employeeId, long eventMillis, long arrivedMillis, boolean lateHourly,
                       boolean lateDaily) {
  byte[] toJson() {
    try {
      return Json.mapper().writeValueAsBytes(this);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static PendingActivity fromJson(byte[] bytes) {
    try {
      PendingActivity p = Json.mapper().readValue(bytes, PendingActivity.class);
      if (p == null || p.activity() == null) {
        throw new InvalidRecordException("pending activity without the activity");
      }
      return p;
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidRecordException("not a pending activity: " + e.getMessage(), e);
    }
  }
}
