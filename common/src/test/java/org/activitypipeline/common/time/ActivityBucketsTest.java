package org.activitypipeline.common.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ActivityBucketsTest {
  // A v1 UUID generated at 2026-11-24T10:15:30.123Z (timestamp field computed by hand below).
  private static UUID v1At(long epochMillis, long lsb) {
    long ts = epochMillis * 10_000 + 0x01B21DD213814000L;
    long msb = ((ts & 0xFFFFFFFFL) << 32) | (((ts >>> 32) & 0xFFFFL) << 16) | 0x1000L | ((ts >>> 48) & 0x0FFFL);
    return new UUID(msb, lsb);
  }

  @Test
  void writeTimeComesBackFromTheUuid() {
    long ms = Instant.parse("2026-11-24T10:15:30.123Z").toEpochMilli();
    assertEquals(ms, ActivityBuckets.writeTimeMillis(v1At(ms, 0x8000_0000_0000_0001L)));
    assertThrows(IllegalArgumentException.class, () -> ActivityBuckets.writeTimeMillis(UUID.randomUUID()));
  }

  @Test
  void ingestHourTruncates() {
    assertEquals(Instant.parse("2026-11-24T10:00:00Z"), ActivityBuckets.ingestHour(Instant.parse("2026-11-24T10:59:59.999Z")));
  }

  @Test
  void oneWriterSpreadsOverAllShards() {
    // One writer process: the low half (clock sequence, node) is the same for all its ids, as with
    // the driver's Uuids.timeBased(); only the timestamp differs (ids 1 ms apart here).
    int[] counts = new int[8];
    for (long i = 0; i < 8000; i++) {
      int s = ActivityBuckets.shardOf(v1At(1_700_000_000_000L + i, 0x8000_1234_5678_9abcL), 8);
      counts[s]++;
    }
    for (int c : counts) {
      assertTrue(c > 700 && c < 1300, java.util.Arrays.toString(counts));
    }
  }

  @Test
  void theDriversTimeBasedIdsSpreadToo() {
    java.util.Set<Integer> shards = new java.util.HashSet<>();
    for (int i = 0; i < 1000; i++) {
      shards.add(ActivityBuckets.shardOf(com.datastax.oss.driver.api.core.uuid.Uuids.timeBased(), 8));
    }
    assertEquals(8, shards.size());
  }
}
