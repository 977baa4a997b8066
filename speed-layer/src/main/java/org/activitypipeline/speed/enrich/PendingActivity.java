package org.activitypipeline.speed.enrich;

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
    return Json.write(this);
  }

  static PendingActivity fromJson(byte[] bytes) {
    PendingActivity p = Json.read(bytes, PendingActivity.class, "pending activity");
    if (p.activity() == null) {
      throw new InvalidRecordException("pending activity without the activity");
    }
    return p;
  }
}
