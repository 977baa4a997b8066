package org.activitypipeline.speed.window;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.activitypipeline.common.event.DailyDeviceAggregate;
import org.activitypipeline.common.event.HourlyActivityAggregate;
import org.activitypipeline.common.json.InvalidRecordException;
import org.activitypipeline.common.json.JsonCodec;
import org.activitypipeline.speed.processor.ChangelogReader;
import org.activitypipeline.speed.processor.Task;
import org.activitypipeline.speed.processor.TaskOutput;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The window stage for one window-partials partition: merges partial aggregates into the open
 * windows whose keys hash here, and at each commit upserts every window it touched to the output
 * topics and its state to the changelog (the latest state per window only, not every partial).
 *
 * <p><b>Allowed lateness.</b> A window stays open, and every late partial updates it (upserted again at
 * the next commit), until its end plus the allowed lateness ({@code window.allowed-lateness}, 24 h by
 * default) is at or below the task's watermark, the minimum of the enrich tasks' markers. Then it is
 * emitted once more with {@code is_final=true} and its state is deleted (changelog tombstone). An active enrich task sends no partial for it afterwards: it decides
 * lateness with its own watermark, which is never behind the markers it sent, and a marker follows
 * the partials it covers on every partition. Only a task that was left out as idle and turns active
 * behind the others can; such partials are counted and logged ({@code after_close}), not merged.
 *
 * <p><b>State.</b> Window states under their window keys, each enrich task's last marker under
 * {@code ~wm|<task>} and this task's watermark under {@code ~watermark}, in the changelog partition
 * with this task's number, committed in the same transaction as the input offsets. Restored by reading that partition to its end before processing.
 */
public final class WindowTask implements Task {
  static final String STAGE = "window";
  private static final Logger LOG = LoggerFactory.getLogger(WindowTask.class);
  private static final JsonCodec<HourlyActivityAggregate> HOURLY =
      JsonCodec.of(HourlyActivityAggregate.class, HourlyActivityAggregate.SCHEMA_VERSION);
  private static final JsonCodec<DailyDeviceAggregate> DAILY =
      JsonCodec.of(DailyDeviceAggregate.class, DailyDeviceAggregate.SCHEMA_VERSION);
  private static final String MARKER_STATE_PREFIX = "~wm|";
  /** The task's own watermark, so that a restore never moves it back (see {@link UpstreamWatermarks}). */
  private static final String WATERMARK_STATE_KEY = "~watermark";

  /** Where a window task writes. */
  public record Topics(String hourly, String daily, String changelog) {
  }

  private final Topics topics;
  private final int changelogPartition;
  private final long allowedLatenessMillis;
  private final Map<String, WindowAggregate> windows = new HashMap<>();
  private final Set<String> dirty = new HashSet<>();
  private final Set<Integer> movedMarkers = new HashSet<>();
  private final UpstreamWatermarks upstream = new UpstreamWatermarks();
  private long storedWatermark = Long.MIN_VALUE;

  WindowTask(Topics topics, int changelogPartition, long allowedLatenessMillis) {
    this.topics = topics;
    this.changelogPartition = changelogPartition;
    this.allowedLatenessMillis = allowedLatenessMillis;
  }

  /** Builds the task of partials partition {@code partition}, its state restored from the changelog. */
  public static WindowTask restore(Topics topics, int partition, long allowedLatenessMillis, ChangelogReader reader) {
    WindowTask t = new WindowTask(topics, partition, allowedLatenessMillis);
    reader.readAll(new TopicPartition(topics.changelog(), partition), t::restoreEntry);
    return t;
  }

  /** Applies one changelog entry (restore). */
  void restoreEntry(byte[] key, byte[] value) {
    String k = new String(key, StandardCharsets.UTF_8);
    if (k.equals(WATERMARK_STATE_KEY)) {
      if (value != null) {
        storedWatermark = Long.parseLong(new String(value, StandardCharsets.UTF_8));
        upstream.restoreCurrent(storedWatermark);
      }
    } else if (k.startsWith(MARKER_STATE_PREFIX)) {
      if (value != null) {
        upstream.update(WatermarkMarker.fromJson(value));
      }
    } else if (value == null) {
      windows.remove(k);
    } else {
      windows.put(k, WindowAggregate.fromJson(value));
    }
  }

  @Override
  public void process(ConsumerRecord<byte[], byte[]> record, TaskOutput out) {
    try {
      if (record.key() != null && java.util.Arrays.equals(record.key(), WatermarkMarker.KEY_BYTES)) {
        WatermarkMarker m = WatermarkMarker.fromJson(record.value());
        if (upstream.update(m)) {
          movedMarkers.add(m.task());
        }
        return;
      }
      if (record.value() == null) {
        throw new InvalidRecordException("partial aggregate without a value");
      }
      WindowAggregate partial = WindowAggregate.fromJson(record.value());
      String key = partial.key();
      if (partial.end() + allowedLatenessMillis <= upstream.current()) {
        // Only from an enrich task that was idle and came back behind the others (or raw-activities
        // partitions added while running). The window's final value is already out and its state
        // gone: merging would publish a "final" holding only this partial. Its events are in
        // processed-activities, so the batch layer still counts them; here they are counted and logged.
        out.count(STAGE, "after_close", partial.count());
        LOG.warn("event=partial_after_close window={} events={} watermark={}", key, partial.count(),
            upstream.current());
        return;
      }
      WindowAggregate open = windows.get(key);
      if (open == null) {
        windows.put(key, partial);
      } else {
        open.merge(partial);
      }
      dirty.add(key);
      out.count(STAGE, "partial", 1);
    } catch (InvalidRecordException e) {
      out.deadLetter(record, STAGE, e.getMessage());
    }
  }

  @Override
  public void flush(TaskOutput out, long nowMillis) {
    long watermark = upstream.current();
    Instant now = Instant.ofEpochMilli(nowMillis);
    Iterator<Map.Entry<String, WindowAggregate>> it = windows.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, WindowAggregate> e = it.next();
      WindowAggregate w = e.getValue();
      boolean closed = w.end() + allowedLatenessMillis <= watermark;
      if (!closed && !dirty.contains(e.getKey())) {
        continue;
      }
      emit(out, w, closed, now);
      byte[] key = e.getKey().getBytes(StandardCharsets.UTF_8);
      if (closed) {
        out.send(topics.changelog(), changelogPartition, key, null, null);
        it.remove();
        out.count(STAGE, w.kind() == WindowKind.HOURLY ? "hourly_closed" : "daily_closed", 1);
      } else {
        out.send(topics.changelog(), changelogPartition, key, w.toJson(), null);
      }
    }
    dirty.clear();
    for (int task : movedMarkers) {
      out.send(topics.changelog(), changelogPartition,
          (MARKER_STATE_PREFIX + task).getBytes(StandardCharsets.UTF_8), upstream.marker(task).toJson(), null);
    }
    movedMarkers.clear();
    if (watermark != storedWatermark) {
      out.send(topics.changelog(), changelogPartition, WATERMARK_STATE_KEY.getBytes(StandardCharsets.UTF_8),
          Long.toString(watermark).getBytes(StandardCharsets.UTF_8), null);
      storedWatermark = watermark;
    }
  }

  private void emit(TaskOutput out, WindowAggregate w, boolean isFinal, Instant now) {
    if (w.kind() == WindowKind.HOURLY) {
      HourlyActivityAggregate a = w.toHourly(isFinal, now);
      out.send(topics.hourly(), a.key().getBytes(StandardCharsets.UTF_8), HOURLY.encode(a));
    } else {
      DailyDeviceAggregate a = w.toDaily(isFinal, now);
      out.send(topics.daily(), a.key().getBytes(StandardCharsets.UTF_8), DAILY.encode(a));
    }
  }

  /** This task's watermark (epoch millis, {@link Long#MIN_VALUE} until every enrich task reported). */
  public long watermark() {
    return upstream.current();
  }

  @Override
  public long stateSize() {
    return windows.size();
  }
}
