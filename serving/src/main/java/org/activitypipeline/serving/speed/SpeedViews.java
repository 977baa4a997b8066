package org.activitypipeline.serving.speed;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.activitypipeline.common.event.DailyDeviceAggregate;
import org.activitypipeline.common.event.HourlyActivityAggregate;
import org.activitypipeline.common.json.InvalidRecordException;
import org.activitypipeline.common.json.JsonCodec;
import org.activitypipeline.common.time.EventWindows;
import org.activitypipeline.serving.lambda.DailyQuery;
import org.activitypipeline.serving.lambda.DailyWindow;
import org.activitypipeline.serving.lambda.HourlyQuery;
import org.activitypipeline.serving.lambda.HourlyWindow;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real-time views: the latest value of every window in the speed layer's compacted
 * aggregation topics, kept in memory and ordered by window start so a time range is one sub-map.
 *
 * <p>A window behind the batch horizon is still kept while the speed layer may update it (it is not
 * final yet: late events within the processor's allowed lateness), because the merge serves it when
 * the speed layer has counted more than the batch views. Final windows are dropped when the horizon
 * passes them ({@link #advanceHorizon}) and ignored when they arrive behind it: memory stays bounded by
 * what the batch layer has not covered yet plus the speed layer's allowed lateness.
 *
 * <p>Thread-safe: one tailer thread writes through {@link #accept}, request threads read.
 * Records that cannot be decoded are counted and logged with the reason, never applied; a
 * tombstone removes its window.
 */
public final class SpeedViews {
  private static final Logger log = LoggerFactory.getLogger(SpeedViews.class);

  /** Ordered by window start first: a time range is a contiguous sub-map. */
  record HourlyKey(Instant windowStart, String department, String activityType) implements Comparable<HourlyKey> {
    @Override
    public int compareTo(HourlyKey o) {
      int c = windowStart.compareTo(o.windowStart);
      if (c == 0) {
        c = department.compareTo(o.department);
      }
      return c != 0 ? c : activityType.compareTo(o.activityType);
    }

    static HourlyKey first(Instant start) {
      return new HourlyKey(start, "", "");
    }
  }

  record DailyKey(LocalDate day, String deviceType) implements Comparable<DailyKey> {
    @Override
    public int compareTo(DailyKey o) {
      int c = day.compareTo(o.day);
      return c != 0 ? c : deviceType.compareTo(o.deviceType);
    }
  }

  private final String hourlyTopic;
  private final String dailyTopic;
  private final JsonCodec<HourlyActivityAggregate> hourlyCodec =
      JsonCodec.of(HourlyActivityAggregate.class, HourlyActivityAggregate.SCHEMA_VERSION);
  private final JsonCodec<DailyDeviceAggregate> dailyCodec =
      JsonCodec.of(DailyDeviceAggregate.class, DailyDeviceAggregate.SCHEMA_VERSION);
  private final ConcurrentSkipListMap<HourlyKey, HourlyWindow> hourly = new ConcurrentSkipListMap<>();
  private final ConcurrentSkipListMap<DailyKey, DailyWindow> daily = new ConcurrentSkipListMap<>();
  private final AtomicLong invalid = new AtomicLong();
  private volatile Instant horizon;

  public SpeedViews(String hourlyTopic, String dailyTopic) {
    this.hourlyTopic = hourlyTopic;
    this.dailyTopic = dailyTopic;
  }

  /** Applies one record of either aggregation topic. */
  public void accept(ConsumerRecord<byte[], byte[]> r) {
    try {
      if (r.topic().equals(hourlyTopic)) {
        acceptHourly(r);
      } else if (r.topic().equals(dailyTopic)) {
        acceptDaily(r);
      }
    } catch (InvalidRecordException e) {
      invalid.incrementAndGet();
      log.warn("event=invalid_record topic={} partition={} offset={} reason=\"{}\"", r.topic(), r.partition(),
          r.offset(), e.getMessage());
    }
  }

  private void acceptHourly(ConsumerRecord<byte[], byte[]> r) {
    if (r.value() == null) {
      HourlyKey key = parseHourlyKey(r.key());
      if (key != null) {
        hourly.remove(key);
      }
      return;
    }
    HourlyActivityAggregate a = hourlyCodec.decode(r.value());
    if (a.department() == null || a.activityType() == null || a.windowStart() == null || a.windowEnd() == null) {
      throw new InvalidRecordException("hourly aggregate without department, activity_type or window bounds");
    }
    HourlyKey key = new HourlyKey(a.windowStart(), a.department(), a.activityType());
    if (a.isFinal() && behindHorizon(a.windowEnd())) {
      hourly.remove(key);
    } else {
      hourly.put(key, HourlyWindow.fromSpeed(a));
    }
  }

  private void acceptDaily(ConsumerRecord<byte[], byte[]> r) {
    if (r.value() == null) {
      DailyKey key = parseDailyKey(r.key());
      if (key != null) {
        daily.remove(key);
      }
      return;
    }
    DailyDeviceAggregate a = dailyCodec.decode(r.value());
    if (a.deviceType() == null || a.day() == null) {
      throw new InvalidRecordException("daily aggregate without device_type or day");
    }
    DailyKey key = new DailyKey(a.day(), a.deviceType());
    if (a.isFinal() && behindHorizon(EventWindows.dayEnd(a.day()))) {
      daily.remove(key);
    } else {
      daily.put(key, DailyWindow.fromSpeed(a));
    }
  }

  /** Keys are {@code department|activity_type|window_start} (see {@link HourlyActivityAggregate#key()}). */
  private static HourlyKey parseHourlyKey(byte[] key) {
    String[] parts = key == null ? new String[0] : new String(key, StandardCharsets.UTF_8).split("\\|", -1);
    if (parts.length != 3) {
      throw new InvalidRecordException("tombstone with a key that is not department|activity_type|window_start");
    }
    try {
      return new HourlyKey(Instant.parse(parts[2]), parts[0], parts[1]);
    } catch (java.time.format.DateTimeParseException e) {
      throw new InvalidRecordException("tombstone key with a bad window start: " + parts[2]);
    }
  }

  private static DailyKey parseDailyKey(byte[] key) {
    String[] parts = key == null ? new String[0] : new String(key, StandardCharsets.UTF_8).split("\\|", -1);
    if (parts.length != 2) {
      throw new InvalidRecordException("tombstone with a key that is not device_type|day");
    }
    try {
      return new DailyKey(LocalDate.parse(parts[1]), parts[0]);
    } catch (java.time.format.DateTimeParseException e) {
      throw new InvalidRecordException("tombstone key with a bad day: " + parts[1]);
    }
  }

  private boolean behindHorizon(Instant windowEnd) {
    Instant h = horizon;
    return h != null && !windowEnd.isAfter(h);
  }

  /**
   * The batch views now cover every window ending at or before {@code newHorizon}: forget those the
   * speed layer has finalized. Horizons only move forward; an older one is ignored.
   */
  public void advanceHorizon(Instant newHorizon) {
    Instant h = horizon;
    if (newHorizon == null || (h != null && !newHorizon.isAfter(h))) {
      return;
    }
    horizon = newHorizon;
    // An hourly window ends one hour after its start: those starting at or before horizon - 1h are covered.
    hourly.headMap(HourlyKey.first(newHorizon.minusSeconds(3600).plusNanos(1)), false).values()
        .removeIf(HourlyWindow::isFinal);
    daily.headMap(new DailyKey(EventWindows.utcDay(newHorizon), ""), false).values()
        .removeIf(w -> w.isFinal() && !w.windowEnd().isAfter(newHorizon));
  }

  /** The speed windows starting in the query's range (callers apply the merge rule). */
  public List<HourlyWindow> hourly(HourlyQuery q) {
    ConcurrentNavigableMap<HourlyKey, HourlyWindow> range = hourly.subMap(HourlyKey.first(q.from()), true,
        HourlyKey.first(q.to()), false);
    List<HourlyWindow> out = new ArrayList<>();
    for (HourlyWindow w : range.values()) {
      if (q.matches(w)) {
        out.add(w);
      }
    }
    return out;
  }

  public List<DailyWindow> daily(DailyQuery q) {
    ConcurrentNavigableMap<DailyKey, DailyWindow> range = daily.subMap(new DailyKey(q.from(), ""), true,
        new DailyKey(q.to().plusDays(1), ""), false);
    List<DailyWindow> out = new ArrayList<>();
    for (DailyWindow w : range.values()) {
      if (q.matches(w)) {
        out.add(w);
      }
    }
    return out;
  }

  public int hourlyWindows() {
    return hourly.size();
  }

  public int dailyWindows() {
    return daily.size();
  }

  public long invalidRecords() {
    return invalid.get();
  }
}
