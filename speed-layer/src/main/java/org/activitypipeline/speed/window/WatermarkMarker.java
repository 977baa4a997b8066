package org.activitypipeline.speed.window;

import java.nio.charset.StandardCharsets;
import org.activitypipeline.common.json.InvalidRecordException;
import org.activitypipeline.common.json.Json;

/**
 * "Enrich task {@code task} (of {@code of}) will send no more partials for windows that close at or
 * before {@code watermark}". Sent to every window-partials partition after the partials of the same
 * transaction, so on each partition a marker always follows the partials it covers.
 *
 * <p>An {@code idle} marker says the task's partition has had no input for {@code window.idle-timeout}:
 * until its next non-idle marker, window tasks leave it out of their minimum, so a partition that
 * nobody writes to does not hold every window open forever (Flink's source idleness).
 *
 * @param task      the raw-activities partition of the enrich task
 * @param of        how many raw-activities partitions (enrich tasks) there are
 * @param watermark event time in epoch millis, {@link Long#MIN_VALUE} when nothing was seen yet
 * @param idle      the task has no input for now; never null (absent in markers written before idleness
 *                  existed, read as false)
 */
public record WatermarkMarker(int task, int of, long watermark, Boolean idle) {
  /** Record key of markers on the partials topic; window keys never start with '~'. */
  public static final String KEY = "~wm";
  static final byte[] KEY_BYTES = KEY.getBytes(StandardCharsets.UTF_8);

  public WatermarkMarker {
    idle = Boolean.TRUE.equals(idle);
  }

  /** An active task's marker. */
  public WatermarkMarker(int task, int of, long watermark) {
    this(task, of, watermark, false);
  }

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
