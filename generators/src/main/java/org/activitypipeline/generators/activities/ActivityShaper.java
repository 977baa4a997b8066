package org.activitypipeline.generators.activities;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Makes up one plausible activity for an instant of the event clock. Pure: all chance comes from the
 * injected random.
 *
 * <p><b>Event time.</b> {@code event_time} is the event clock's reading when the row is written
 * (the write time itself, unless the event clock is scaled: see {@link EventClock}) minus a lag, never
 * zero, in event-time units. Normally the device uploads
 * within {@value #NORMAL_MIN_LAG_MS} ms to 30 s (exponential, mean 2 s), which already reorders
 * neighbouring events. A fraction {@code outOfOrder} is held back 30 s to 3 min (a flaky network), so
 * it arrives after many newer events. A fraction {@code late} is an offline device syncing: 5 min to
 * 6 h old (log-uniform, so minutes are more common than hours), flagged {@code late}.
 *
 * <p><b>Stable per employee.</b> An employee's home city, office network and the OS of each of
 * their devices derive from the employee id, so their activity looks like one person's; 8% of events
 * happen while travelling.
 */
final class ActivityShaper {
  static final long NORMAL_MIN_LAG_MS = 5;
  static final Duration NORMAL_MAX_LAG = Duration.ofSeconds(30);
  static final Duration OUT_OF_ORDER_MIN_LAG = Duration.ofSeconds(30);
  static final Duration OUT_OF_ORDER_MAX_LAG = Duration.ofMinutes(3);
  static final Duration LATE_MIN_LAG = Duration.ofMinutes(5);
  static final Duration LATE_MAX_LAG = Duration.ofHours(6);
  private static final double NORMAL_MEAN_LAG_MS = 2_000;

  private static final List<String> CITIES = List.of("Berlin", "London", "New York", "San Francisco", "Lisbon",
      "Warsaw", "Austin", "Chicago", "Toronto", "Singapore", "Bangalore", "Sydney", "Amsterdam", "Zurich",
      "Frankfurt", "Tokyo", "São Paulo", "Dublin");
  private static final ActivityType[] TYPES = ActivityType.values();

  private final RandomGenerator random;
  private final int totalTypeWeight;

  ActivityShaper(RandomGenerator random) {
    this.random = random;
    int total = 0;
    for (ActivityType t : TYPES) {
      total += t.weight();
    }
    this.totalTypeWeight = total;
  }

  static void checkFraction(String name, double fraction) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1], was " + fraction);
    }
  }

  long pickEmployee(List<Long> employeeIds) {
    return employeeIds.get(random.nextInt(employeeIds.size()));
  }

  /** Someone the roster had present at event time {@code t}; -1 if nobody was found. */
  long pickEmployee(Roster roster, Instant t) {
    return roster.pickAt(random, t);
  }

  /** Someone the roster has present now; -1 if nobody is. */
  long pickCurrentEmployee(Roster roster) {
    return roster.pickCurrent(random);
  }

  /** How far an event's time lies before the event clock at its write, and whether it is a late upload. */
  record Lag(long millis, boolean late) {
  }

  Lag lag(double lateFraction, double outOfOrderFraction) {
    boolean late = random.nextDouble() < lateFraction;
    long lagMillis = late ? lateLagMillis() : random.nextDouble() < outOfOrderFraction ? outOfOrderLagMillis()
        : normalLagMillis();
    return new Lag(lagMillis, late);
  }

  /**
   * @param eventNow the event clock at the write: the write time, or {@link EventClock#at} of it
   */
  ActivityDraft shape(long employeeId, Instant eventNow, double lateFraction, double outOfOrderFraction) {
    Lag lag = lag(lateFraction, outOfOrderFraction);
    return shape(employeeId, eventNow.minusMillis(lag.millis()), lag.late());
  }

  /** The activity of {@code employeeId} at {@code eventTime} (already lagged). */
  ActivityDraft shape(long employeeId, Instant eventTime, boolean late) {
    ActivityType type = pickType();
    Device device = pickDevice(type);
    String os = device.systems().get(Math.floorMod(mix(employeeId * 31 + device.ordinal()), device.systems().size()));
    int home = Math.floorMod(mix(employeeId), CITIES.size());
    boolean travelling = random.nextInt(100) < 8;
    String location = travelling ? CITIES.get(random.nextInt(CITIES.size())) : CITIES.get(home);
    boolean inOffice = !travelling && device.workstation() && random.nextInt(100) < 70;
    String ip = inOffice ? officeIp(home, employeeId) : publicIp();
    return new ActivityDraft(employeeId, type.label(), device.label(), os, ip, location,
        type.durationSeconds(random), eventTime, type.metadata(random), late);
  }

  long normalLagMillis() {
    double exponential = -NORMAL_MEAN_LAG_MS * Math.log(1 - random.nextDouble());
    return NORMAL_MIN_LAG_MS + (long) Math.min(exponential, NORMAL_MAX_LAG.toMillis() - NORMAL_MIN_LAG_MS);
  }

  long outOfOrderLagMillis() {
    return OUT_OF_ORDER_MIN_LAG.toMillis()
        + (long) (random.nextDouble() * (OUT_OF_ORDER_MAX_LAG.toMillis() - OUT_OF_ORDER_MIN_LAG.toMillis()));
  }

  long lateLagMillis() {
    double lo = Math.log(LATE_MIN_LAG.toMillis());
    double hi = Math.log(LATE_MAX_LAG.toMillis());
    long lag = (long) Math.exp(lo + random.nextDouble() * (hi - lo));
    return Math.max(LATE_MIN_LAG.toMillis(), Math.min(LATE_MAX_LAG.toMillis(), lag));
  }

  private ActivityType pickType() {
    int draw = random.nextInt(totalTypeWeight);
    for (ActivityType t : TYPES) {
      draw -= t.weight();
      if (draw < 0) {
        return t;
      }
    }
    throw new AssertionError("weights");
  }

  private Device pickDevice(ActivityType type) {
    int total = 0;
    for (Device d : type.devices()) {
      total += d.weight();
    }
    int draw = random.nextInt(total);
    for (Device d : type.devices()) {
      draw -= d.weight();
      if (draw < 0) {
        return d;
      }
    }
    throw new AssertionError("weights");
  }

  /** 10.{city}.x.y: the office network of the employee's home city, a stable address per employee. */
  private static String officeIp(int city, long employeeId) {
    int host = Math.floorMod(mix(employeeId), 65_024) + 256;
    return "10." + (10 + city) + "." + (host >> 8) + "." + (host & 0xff);
  }

  /** Home or mobile networks, from the documentation ranges (RFC 5737), never a real address. */
  private String publicIp() {
    String[] nets = {"192.0.2.", "198.51.100.", "203.0.113."};
    return nets[random.nextInt(nets.length)] + (1 + random.nextInt(254));
  }

  private static int mix(long x) {
    long z = x * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    return (int) (z ^ (z >>> 31));
  }
}
