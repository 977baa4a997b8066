package org.activitypipeline.serving.health;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Late activities per hour of their arrival (the record time of {@code late-activities}, written by
 * the enricher when an activity came after its window's allowed lateness), for the last
 * {@code retain} hours. Thread-safe.
 */
public final class LateActivityCounts {
  /** Late activities that arrived in the hour starting at {@code hour}. */
  public record Hour(Instant hour, long count) {}

  private final Duration retain;
  private final TreeMap<Instant, Long> perHour = new TreeMap<>();

  public LateActivityCounts(Duration retain) {
    this.retain = retain;
  }

  public synchronized void accept(ConsumerRecord<byte[], byte[]> r) {
    Instant hour = Instant.ofEpochMilli(r.timestamp()).truncatedTo(ChronoUnit.HOURS);
    perHour.merge(hour, 1L, Long::sum);
    perHour.headMap(perHour.lastKey().minus(retain)).clear();
  }

  /** Every hour of {@code [now - retain, now]} oldest first, zero where none arrived. */
  public synchronized List<Hour> hours(Instant now) {
    Instant last = now.truncatedTo(ChronoUnit.HOURS);
    List<Hour> all = new ArrayList<>();
    for (Instant h = last.minus(retain).plus(1, ChronoUnit.HOURS); !h.isAfter(last); h = h.plus(1, ChronoUnit.HOURS)) {
      all.add(new Hour(h, perHour.getOrDefault(h, 0L)));
    }
    return all;
  }

  synchronized Map<Instant, Long> raw() {
    return Map.copyOf(perHour);
  }
}
