package org.activitypipeline.serving.completeness;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.activitypipeline.common.event.HourCompleteness;
import org.activitypipeline.common.json.InvalidRecordException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The reconciliation's latest record of every ingest hour, from {@code activity-completeness} (a
 * compacted topic with one small record per hour). Fed by one tailer thread, read by any.
 */
public final class CompletenessView {
  private final ConcurrentSkipListMap<Instant, HourCompleteness> byHour = new ConcurrentSkipListMap<>();
  private final AtomicLong invalid = new AtomicLong();

  /** One record of the topic: the hour's latest result, or a tombstone that forgets it. */
  public void accept(ConsumerRecord<byte[], byte[]> record) {
    if (record.key() == null) {
      invalid.incrementAndGet();
      return;
    }
    try {
      Instant hour = Instant.parse(new String(record.key(), StandardCharsets.UTF_8));
      if (record.value() == null) {
        byHour.remove(hour);
      } else {
        byHour.put(hour, HourCompleteness.fromJson(record.value()));
      }
    } catch (DateTimeParseException | InvalidRecordException e) {
      invalid.incrementAndGet();
    }
  }

  /** The hours in {@code [from, to)}, oldest first. */
  public List<HourCompleteness> between(Instant from, Instant to) {
    return List.copyOf(byHour.subMap(from, true, to, false).values());
  }

  public int hours() {
    return byHour.size();
  }

  public long invalidRecords() {
    return invalid.get();
  }
}
