package org.activitypipeline.speed.window;

import java.nio.charset.StandardCharsets;
import org.activitypipeline.common.json.InvalidRecordException;
import org.activitypipeline.common.json.Json;

/**
 * "Enrich task {@code task} (of {@code of}) will send no more partials for windows that close at or
 * before {@code watermark}". Sent to every window-partials partition after the partials of the same
 * transaction, so on each partition a marker always follows the partials it covers.
 *
 * @param task      the raw-activities partition of the enrich task
 * @param of        how many raw-activities partitions (enrich tasks) there are
 * @param watermark event time in epoch millis, {@link Long#MIN_VALUE} when nothing was seen yet
 */
public record WatermarkMarker(int task, int of, long watermark) {
  /** Record key of markers on the partials topic; window keys never start with '~'. */
  public static final String KEY = "~wm";
  static final byte[] KEY_BYTES = KEY.getBytes(StandardCharsets.UTF_8);

  public byte[] toJson() {
    return Json.write(this);
  }

  static WatermarkMarker fromJson(byte[] bytes) {
    WatermarkMarker m = Json.read(bytes, WatermarkMarker.class, "watermark marker");
    if (m.of < 1 || m.task < 0 || m.task >= m.of) {
      throw new InvalidRecordException("watermark marker of task " + m.task + " of " + m.of + " is out of range");
    }
    return m;
  }
}
