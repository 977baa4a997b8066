package org.activitypipeline.speed.poller;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.activitypipeline.common.time.ActivityBuckets;

/**
 * One Cassandra read of a poll: the rows of partition ({@code ingestHour}, {@code shard}) whose
 * activity_id write time lies in {@code [fromMs, toMs]} (both inclusive, milliseconds).
 */
record PollRange(Instant ingestHour, int shard, long fromMs, long toMs) {
  private static final long HOUR_MS = 3_600_000L;

  /**
   * The reads that cover write times {@code [fromMs, toMs]} on every shard: one per (hour bucket,
   * shard) the interval touches, each clipped to its hour. Empty when {@code fromMs > toMs}.
   */
  static List<PollRange> covering(long fromMs, long toMs, int shards) {
    List<PollRange> ranges = new ArrayList<>();
    if (fromMs > toMs) {
      return ranges;
    }
    long hour = ActivityBuckets.ingestHour(Instant.ofEpochMilli(fromMs)).toEpochMilli();
    for (; hour <= toMs; hour += HOUR_MS) {
      long from = Math.max(fromMs, hour);
      long to = Math.min(toMs, hour + HOUR_MS - 1);
      for (int shard = 0; shard < shards; shard++) {
        ranges.add(new PollRange(Instant.ofEpochMilli(hour), shard, from, to));
      }
    }
    return ranges;
  }
}
