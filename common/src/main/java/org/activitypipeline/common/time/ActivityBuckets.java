package org.activitypipeline.common.time;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Where an activity row lives in Cassandra ({@code ((ingest_hour, shard), activity_id)}): the hour
 * of its WRITE time and a shard derived from its id. Writers (the generator, devices' ingest API)
 * and the poller must agree on this, so it lives here once.
 *
 * <p>{@code activity_id} is a version-1 (time-based) UUID made at write time; its timestamp is the
 * write time, which is why the poller can read "everything written after T" as a clustering range.
 */
public final class ActivityBuckets {
  /** Default shard count of the local stack; production sizes it to the write rate (config). */
  public static final int DEFAULT_SHARDS = 8;

  private ActivityBuckets() {
  }

  /** The {@code ingest_hour} partition of a row written at {@code writeTime}. */
  public static Instant ingestHour(Instant writeTime) {
    return writeTime.truncatedTo(ChronoUnit.HOURS);
  }

  /** The shard of {@code activityId}, in {@code [0, shards)}. Stable across processes and versions. */
  public static int shardOf(UUID activityId, int shards) {
    if (shards < 1) {
      throw new IllegalArgumentException("shards must be >= 1, was " + shards);
    }
    // The high half carries the timestamp (changes every id); the low half (clock sequence and
    // node) is constant per writer process, so it alone would put a whole writer in one shard.
    long x = activityId.getMostSignificantBits() ^ activityId.getLeastSignificantBits();
    // murmur3's 64-bit finaliser: every input bit moves the shard
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    x *= 0xc4ceb9fe1a85ec53L;
    x ^= x >>> 33;
    return (int) Math.floorMod(x, (long) shards);
  }

  /** Milliseconds since the epoch of a version-1 UUID's timestamp (its write time). */
  public static long writeTimeMillis(UUID timeUuid) {
    if (timeUuid.version() != 1) {
      throw new IllegalArgumentException("not a time-based (version 1) UUID: " + timeUuid);
    }
    // 100-ns intervals since 1582-10-15 -> ms since 1970-01-01
    return (timeUuid.timestamp() - 0x01B21DD213814000L) / 10_000;
  }
}
