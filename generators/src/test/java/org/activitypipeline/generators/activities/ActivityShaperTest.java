package org.activitypipeline.generators.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ActivityShaperTest {
  private static final Instant WRITE = Instant.parse("2025-06-02T10:15:30.123Z");

  private static List<ActivityDraft> shape(long seed, int n, double late, double outOfOrder) {
    ActivityShaper shaper = new ActivityShaper(new SplittableRandom(seed));
    List<Long> ids = List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    List<ActivityDraft> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(shaper.shape(shaper.pickEmployee(ids), WRITE, late, outOfOrder));
    }
    return out;
  }

  private static Duration lag(ActivityDraft d) {
    return Duration.between(d.eventTime(), WRITE);
  }

  @Test
  void eventTimeIsAlwaysBeforeTheWriteTimeWithinItsBand() {
    for (ActivityDraft d : shape(1, 20_000, 0.05, 0.1)) {
      Duration lag = lag(d);
      assertTrue(lag.toMillis() >= ActivityShaper.NORMAL_MIN_LAG_MS, "event_time != write time: " + lag);
      if (d.late()) {
        assertTrue(lag.compareTo(ActivityShaper.LATE_MIN_LAG) >= 0 && lag.compareTo(ActivityShaper.LATE_MAX_LAG) <= 0,
            "late lag " + lag);
      } else {
        assertTrue(lag.compareTo(ActivityShaper.OUT_OF_ORDER_MAX_LAG) <= 0, "on-time lag " + lag);
      }
    }
  }

  @Test
  void fractionsAreRespected() {
    List<ActivityDraft> drafts = shape(2, 20_000, 0.05, 0.1);
    long late = drafts.stream().filter(ActivityDraft::late).count();
    long held = drafts.stream().filter(d -> !d.late() && lag(d).compareTo(ActivityShaper.NORMAL_MAX_LAG) > 0).count();
    assertEquals(0.05, late / 20_000.0, 0.008);
    // out of order applies to the 95% that are not late
    assertEquals(0.1 * 0.95, held / 20_000.0, 0.01);
    long normalMedianBand = drafts.stream().filter(d -> lag(d).toMillis() < 5_000).count();
    assertTrue(normalMedianBand > 20_000 * 0.6, "most uploads arrive within seconds: " + normalMedianBand);
  }

  @Test
  void zeroFractionsMeanNoLateAndNoHeldBackRows() {
    for (ActivityDraft d : shape(3, 5_000, 0, 0)) {
      assertFalse(d.late());
      assertTrue(lag(d).compareTo(ActivityShaper.NORMAL_MAX_LAG) <= 0);
    }
    assertTrue(shape(3, 100, 1, 0).stream().allMatch(ActivityDraft::late));
  }

  @Test
  void contentIsPlausible() {
    Map<String, Integer> types = new HashMap<>();
    Map<String, Integer> devices = new HashMap<>();
    for (ActivityDraft d : shape(4, 20_000, 0.05, 0.1)) {
      types.merge(d.activityType(), 1, Integer::sum);
      devices.merge(d.deviceType(), 1, Integer::sum);
      Device device = Device.valueOf(d.deviceType().toUpperCase());
      ActivityType type = ActivityType.valueOf(d.activityType().toUpperCase());
      assertTrue(type.devices().contains(device), d.activityType() + " on " + d.deviceType());
      assertTrue(device.systems().contains(d.os()), d.os() + " on " + d.deviceType());
      assertFalse(d.metadata().isEmpty());
      assertTrue(d.durationSeconds() >= 0);
      assertTrue(d.ip().matches("\\d+\\.\\d+\\.\\d+\\.\\d+"), d.ip());
      assertFalse(d.location().isBlank());
    }
    assertEquals(ActivityType.values().length, types.size(), "every type occurs: " + types);
    assertEquals(Set.of("laptop", "desktop", "mobile", "tablet"), devices.keySet());
    assertTrue(types.get("email") > types.get("vpn_connect"), "emails are commoner than VPN sessions");
  }

  @Test
  void anEmployeesDeviceAlwaysRunsTheSameSystem() {
    Map<String, String> osByEmployeeAndDevice = new HashMap<>();
    for (ActivityDraft d : shape(5, 5_000, 0, 0)) {
      String previous = osByEmployeeAndDevice.putIfAbsent(d.employeeId() + "/" + d.deviceType(), d.os());
      if (previous != null) {
        assertEquals(previous, d.os());
      }
    }
  }

  @Test
  void sameSeedSameContent() {
    assertEquals(shape(6, 500, 0.05, 0.1), shape(6, 500, 0.05, 0.1));
    assertNotEquals(shape(6, 500, 0.05, 0.1), shape(7, 500, 0.05, 0.1));
  }

  @Test
  void fractionsOutsideZeroToOneAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> ActivityShaper.checkFraction("lateFraction", 1.5));
    assertThrows(IllegalArgumentException.class, () -> ActivityShaper.checkFraction("lateFraction", Double.NaN));
  }
}
