package org.activitypipeline.serving.speed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.activitypipeline.common.event.DailyDeviceAggregate;
import org.activitypipeline.common.event.HourlyActivityAggregate;
import org.activitypipeline.common.json.JsonCodec;
import org.activitypipeline.serving.lambda.DailyQuery;
import org.activitypipeline.serving.lambda.DailyWindow;
import org.activitypipeline.serving.lambda.HourlyQuery;
import org.activitypipeline.serving.lambda.HourlyWindow;
import org.activitypipeline.serving.lambda.Source;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class SpeedViewsTest {
  static final Instant T10 = Instant.parse("2026-12-01T10:00:00Z");
  static final JsonCodec<HourlyActivityAggregate> HOURLY =
      JsonCodec.of(HourlyActivityAggregate.class, HourlyActivityAggregate.SCHEMA_VERSION);
  static final JsonCodec<DailyDeviceAggregate> DAILY =
      JsonCodec.of(DailyDeviceAggregate.class, DailyDeviceAggregate.SCHEMA_VERSION);

  final SpeedViews views = new SpeedViews("hourly", "daily");
  long offset;

  static HourlyActivityAggregate hourly(String dept, Instant start, long count, boolean isFinal) {
    return new HourlyActivityAggregate(1, dept, "login", start, start.plusSeconds(3600), count, 1, count * 5, 5.0,
        start, start.plusSeconds(60), isFinal, start.plusSeconds(90));
  }

  void send(String topic, String key, byte[] value) {
    views.accept(new ConsumerRecord<>(topic, 0, offset++, key.getBytes(StandardCharsets.UTF_8), value));
  }

  void send(HourlyActivityAggregate a) {
    send("hourly", a.key(), HOURLY.encode(a));
  }

  List<Long> counts(Instant from, Instant to) {
    return views.hourly(new HourlyQuery(from, to, null, null)).stream().map(HourlyWindow::eventCount).toList();
  }

  @Test
  void keepsTheLatestValueOfEachWindowAndAnswersRanges() {
    send(hourly("eng", T10, 1, false));
    send(hourly("eng", T10, 4, false));
    send(hourly("ops", T10, 2, true));
    send(hourly("eng", T10.plusSeconds(3600), 7, false));
    assertEquals(List.of(4L, 2L), counts(T10, T10.plusSeconds(3600)));
    assertEquals(List.of(4L, 2L, 7L), counts(T10.minusSeconds(1), T10.plusSeconds(7200)));
    HourlyWindow w = views.hourly(new HourlyQuery(T10, T10.plusSeconds(1), "ops", null)).get(0);
    assertEquals(Source.SPEED, w.source());
    assertEquals(true, w.isFinal());
  }

  @Test
  void badRecordsAreCountedAndSkippedAndTombstonesRemoveWindows() {
    send(hourly("eng", T10, 3, false));
    send("hourly", "x", "{not json".getBytes(StandardCharsets.UTF_8));
    send("hourly", "x", "{\"schema_version\":99}".getBytes(StandardCharsets.UTF_8));
    send("hourly", "garbage-key", null);
    assertEquals(3, views.invalidRecords());
    assertEquals(List.of(3L), counts(T10, T10.plusSeconds(3600)));
    send("hourly", hourly("eng", T10, 3, false).key(), null);
    assertEquals(List.of(), counts(T10, T10.plusSeconds(3600)));
  }

  @Test
  void theHorizonDropsFinalWindowsTheBatchViewsCoverAndKeepsThoseTheSpeedLayerMayStillUpdate() {
    send(hourly("eng", T10.minusSeconds(7200), 1, true));
    send(hourly("eng", T10.minusSeconds(3600), 2, false)); // within the speed layer's allowed lateness
    send(hourly("eng", T10, 3, false));
    views.advanceHorizon(T10);
    assertEquals(List.of(2L, 3L), counts(T10.minusSeconds(7200), T10.plusSeconds(3600)));
    send(hourly("eng", T10.minusSeconds(3600), 4, false)); // a late event behind the horizon updates it
    assertEquals(List.of(4L, 3L), counts(T10.minusSeconds(7200), T10.plusSeconds(3600)));
    send(hourly("eng", T10.minusSeconds(3600), 5, true)); // finalized behind the horizon: the batch views answer
    assertEquals(List.of(3L), counts(T10.minusSeconds(7200), T10.plusSeconds(3600)));
    send(hourly("ops", T10.minusSeconds(7200), 6, true)); // a final window arriving behind the horizon
    assertEquals(1, views.hourlyWindows());
    views.advanceHorizon(T10.minusSeconds(7200)); // horizons never move back
    send(hourly("eng", T10.minusSeconds(3600), 5, true));
    assertEquals(1, views.hourlyWindows());
  }

  @Test
  void dailyWindowsByDayAndDevice() {
    LocalDate d1 = LocalDate.parse("2026-11-30");
    LocalDate d2 = LocalDate.parse("2026-12-01");
    for (LocalDate d : List.of(d1, d2)) {
      DailyDeviceAggregate a = new DailyDeviceAggregate(1, "laptop", d, 10, 3, Map.of("login", 6L, "email", 4L),
          d.equals(d1), T10);
      send("daily", a.key(), DAILY.encode(a));
    }
    DailyDeviceAggregate open = new DailyDeviceAggregate(1, "mobile", d1, 2, 1, Map.of("login", 2L), false, T10);
    send("daily", open.key(), DAILY.encode(open));
    List<DailyWindow> out = views.daily(new DailyQuery(d1, d2, "laptop"));
    assertEquals(2, out.size());
    assertEquals(Map.of("email", 4L, "login", 6L), out.get(0).countsByActivityType());
    views.advanceHorizon(Instant.parse("2026-12-01T05:00:00Z")); // covers 11-30 (ends at midnight)
    assertEquals(List.of(d1 + " mobile", d2 + " laptop"), views.daily(new DailyQuery(d1, d2, null)).stream()
        .map(w -> w.day() + " " + w.deviceType()).toList(), "the final laptop day behind the horizon is dropped");
  }
}
