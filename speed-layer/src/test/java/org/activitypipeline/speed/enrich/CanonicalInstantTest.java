package org.activitypipeline.speed.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CanonicalInstantTest {
  @Test
  void agreesWithInstantParseOnWhatInstantToStringWrites() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 200_000; i++) {
      // Years 0000..9999, every precision Instant.toString writes (none, millis, micros, nanos).
      long seconds = random.nextLong(-62_167_219_200L, 253_402_300_799L);
      int nanos = switch (i % 4) {
        case 0 -> 0;
        case 1 -> random.nextInt(1000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1000;
        default -> random.nextInt(1_000_000_000);
      };
      String s = Instant.ofEpochSecond(seconds, nanos).toString();
      assertEquals(Instant.parse(s).toEpochMilli(), CanonicalInstant.parseMillis(s), s);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-12-01T10:15:30.1Z", "2026-12-01T10:15:30.12Z", "2026-12-01T10:15:30.1234Z",
      "2026-12-01T10:15:30.12345678Z", "2024-02-29T23:59:59.999999999Z", "1969-12-31T23:59:59.999Z",
      "0000-01-01T00:00:00Z"})
  void everyFractionLength(String s) {
    assertEquals(Instant.parse(s).toEpochMilli(), CanonicalInstant.parseMillis(s));
  }

  /** Valid for java.time or not: not the canonical form, so the caller falls back to the general parser. */
  @ParameterizedTest
  @ValueSource(strings = {"", "2026-12-01", "2026-12-01T10:15:30", "2026-12-01T10:15:30+01:00",
      "2026-12-01T10:15:30.123+00:00", "2026-12-01t10:15:30z", "2026-12-01T10:15:30.Z", "2026-12-01T10:15Z",
      "2026-12-01T10:15:30.1234567890Z", "+12026-12-01T10:15:30Z", "2026-13-01T10:15:30Z", "2026-02-30T10:15:30Z",
      "2025-02-29T10:15:30Z", "2026-12-01T24:00:00Z", "2026-12-01T23:60:00Z", "2026-12-31T23:59:60Z",
      "2026-12-01T10:15:3aZ", "2026/12/01T10:15:30Z", "2026-12-01 10:15:30Z", "2026-12-01T10:15:30.12a4Z",
      "2026-12-01T10:15:30X123Z", "-026-12-01T10:15:30Z"})
  void anythingElseIsNotCanonical(String s) {
    assertEquals(CanonicalInstant.NOT_CANONICAL, CanonicalInstant.parseMillis(s), s);
  }
}
