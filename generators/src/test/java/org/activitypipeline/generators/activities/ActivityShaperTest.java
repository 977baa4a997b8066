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

  @Test
  void withTimeScaleSixtyRowsThirtyRealSecondsApartAreHalfAnHourApartInEventTime() {
    // as ActivityGenerator.submit does: the write time stays real, event_time follows the scaled clock
    Instant start = WRITE;
    EventClock clock = new EventClock(start, 60);
    ActivityShaper shaper = new ActivityShaper(new SplittableRandom(8));
    Instant firstWrite = start.plusSeconds(5);
    Instant secondWrite = firstWrite.plusSeconds(30);
    ActivityDraft first = shaper.shape(1, clock.at(firstWrite), 0, 0);
    ActivityDraft second = shaper.shape(1, clock.at(secondWrite), 0, 0);
    Duration apart = Duration.between(first.eventTime(), second.eventTime());
    // 30 min apart, give or take the two normal upload lags (at most 30 s of event time each)
    assertTrue(apart.compareTo(Duration.ofMinutes(29)) >= 0 && apart.compareTo(Duration.ofMinutes(31)) <= 0,
        "event times " + apart + " apart");
    // the lag is subtracted in event time: event_time is just before the scaled clock, far after the write
    Duration lag = Duration.between(second.eventTime(), clock.at(secondWrite));
    assertTrue(lag.toMillis() >= ActivityShaper.NORMAL_MIN_LAG_MS && lag.compareTo(ActivityShaper.NORMAL_MAX_LAG) <= 0,
        "normal lag " + lag);
    assertEquals(Duration.ofMinutes(35), Duration.between(start, clock.at(secondWrite)));
  }

  @Test
  void withTimeScaleSixtyLateAndHeldBackLagsStayInEventTime() {
    EventClock clock = new EventClock(WRITE, 60);
    Instant write = WRITE.plusSeconds(600);
    Instant eventNow = clock.at(write); // 10 h of event time after the start
    ActivityShaper shaper = new ActivityShaper(new SplittableRandom(9));
    for (int i = 0; i < 2_000; i++) {
      ActivityDraft d = shaper.shape(1, eventNow, 0.3, 0.3);
      Duration lag = Duration.between(d.eventTime(), eventNow);
      Duration max = d.late() ? ActivityShaper.LATE_MAX_LAG : ActivityShaper.OUT_OF_ORDER_MAX_LAG;
      assertTrue(lag.toMillis() >= ActivityShaper.NORMAL_MIN_LAG_MS && lag.compareTo(max) <= 0, "lag " + lag);
    }
  }

  @Test
  void timeScaleOneKeepsTodaysEventTimes() {
    EventClock clock = new EventClock(WRITE.minusSeconds(3_600), 1);
    ActivityShaper direct = new ActivityShaper(new SplittableRandom(10));
    ActivityShaper scaled = new ActivityShaper(new SplittableRandom(10));
    for (int i = 0; i < 1_000; i++) {
      Instant write = WRITE.plusMillis(37L * i);
      assertEquals(direct.shape(i, write, 0.05, 0.1), scaled.shape(i, clock.at(write), 0.05, 0.1));
    }
  }
}
