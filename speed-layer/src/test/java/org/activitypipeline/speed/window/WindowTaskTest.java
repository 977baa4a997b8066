package org.activitypipeline.speed.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.activitypipeline.common.event.DailyDeviceAggregate;
import org.activitypipeline.common.event.HourlyActivityAggregate;
import org.activitypipeline.common.json.JsonCodec;
import org.activitypipeline.speed.processor.RecordingOutput;
import org.activitypipeline.speed.processor.RecordingOutput.Sent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class WindowTaskTest {
  private static final JsonCodec<HourlyActivityAggregate> HOURLY = JsonCodec.of(HourlyActivityAggregate.class, 1);
  private static final JsonCodec<DailyDeviceAggregate> DAILY = JsonCodec.of(DailyDeviceAggregate.class, 1);
  private static final WindowTask.Topics TOPICS = new WindowTask.Topics("hourly-out", "daily-out", "win-changelog");
  private static final String PARTIALS = "app-window-partials";
  private static final int PARTITION = 4;
  private static final long GRACE = 10 * 60_000L;
  private static final long HOUR = 3_600_000L;
  private static final long DAY = 86_400_000L;
  private static final long H10 = Instant.parse("2026-11-24T10:00:00Z").toEpochMilli();
  private static final long D24 = Instant.parse("2026-11-24T00:00:00Z").toEpochMilli();
  /** The first watermark at which the 10:00 window closes. */
  private static final long H10_CLOSE = H10 + HOUR + GRACE;
  private static final String H10_KEY = "H|Engineering|login|" + H10;
  private static final String H10_OUTPUT_KEY = "Engineering|login|2026-11-24T10:00:00Z";
  private static final long NOW = Instant.parse("2026-11-24T12:00:00Z").toEpochMilli();

  private final WindowTask task = new WindowTask(TOPICS, PARTITION, GRACE);
  private final RecordingOutput out = new RecordingOutput();
  private long offset;

  private void partial(WindowAggregate a) {
    task.process(new ConsumerRecord<>(PARTIALS, PARTITION, offset++, a.key().getBytes(StandardCharsets.UTF_8),
        a.toJson()), out);
  }

  private void marker(int enrichTask, int of, long watermark) {
    task.process(new ConsumerRecord<>(PARTIALS, PARTITION, offset++, WatermarkMarker.KEY.getBytes(StandardCharsets.UTF_8),
        new WatermarkMarker(enrichTask, of, watermark).toJson()), out);
  }

  private static WindowAggregate hourly(long... employees) {
    WindowAggregate a = WindowAggregate.hourly("Engineering", "login", H10);
    for (int i = 0; i < employees.length; i++) {
      a.add(employees[i], "login", 10, H10 + i * 60_000L);
    }
    return a;
  }

  private List<HourlyActivityAggregate> hourlyOut() {
    return out.sentTo(TOPICS.hourly()).stream().map(s -> HOURLY.decode(s.value())).toList();
  }

  private List<Sent> changelog() {
    return out.sentTo(TOPICS.changelog());
  }

  @Test
  void partialsAreMergedAndUpsertedOnlyAtFlushAndNotFinal() {
    partial(hourly(1, 2));
    partial(hourly(2, 3, 4));
    assertTrue(out.sent().isEmpty(), "process only buffers: " + out.sent());
    assertEquals(2, out.count(WindowTask.STAGE, "partial"));

    task.flush(out, NOW);
    List<Sent> sent = out.sentTo(TOPICS.hourly());
    assertEquals(1, sent.size(), "one upsert per window, not per partial");
    assertEquals(H10_OUTPUT_KEY, sent.get(0).keyString());
    assertNull(sent.get(0).partition(), "outputs are partitioned by key");
    HourlyActivityAggregate h = HOURLY.decode(sent.get(0).value());
    assertFalse(h.isFinal());
    assertEquals(5, h.eventCount());
    assertEquals(4, h.uniqueEmployees());
    assertEquals(50, h.totalDurationSeconds());
    assertEquals(Instant.ofEpochMilli(NOW), h.updatedAt());

    List<Sent> state = out.sentTo(TOPICS.changelog(), H10_KEY);
    assertEquals(1, state.size());
    WindowAggregate stored = WindowAggregate.fromJson(state.get(0).value());
    assertEquals(5, stored.count());
    assertEquals(4, stored.uniqueEmployees());
    assertEquals(1, task.stateSize());
  }

  @Test
  void dailyPartialsAreUpsertedToTheDailyTopic() {
    WindowAggregate d1 = WindowAggregate.daily("laptop", D24);
    d1.add(1, "login", 0, D24 + 1);
    WindowAggregate d2 = WindowAggregate.daily("laptop", D24);
    d2.add(2, "logout", 0, D24 + 2);
    d2.add(1, "login", 0, D24 + 3);
    partial(d1);
    partial(d2);
    task.flush(out, NOW);

    assertTrue(out.sentTo(TOPICS.hourly()).isEmpty());
    List<Sent> daily = out.sentTo(TOPICS.daily());
    assertEquals(1, daily.size());
    assertEquals("laptop|2026-11-24", daily.get(0).keyString());
    DailyDeviceAggregate d = DAILY.decode(daily.get(0).value());
    assertEquals(3, d.eventCount());
    assertEquals(2, d.uniqueEmployees());
    assertEquals(Map.of("login", 2L, "logout", 1L), d.countsByActivityType());
    assertFalse(d.isFinal());
  }

  @Test
  void withTheDefaultLatenessAWindowTakesLatePartialsForADayAndHoldsItsExactEmployees() {
    long lateness = java.time.Duration.ofHours(24).toMillis();
    WindowTask dayLong = new WindowTask(TOPICS, PARTITION, lateness);
    java.util.function.Consumer<WindowAggregate> partial = a -> dayLong.process(new ConsumerRecord<>(PARTIALS,
        PARTITION, offset++, a.key().getBytes(StandardCharsets.UTF_8), a.toJson()), out);
    java.util.function.LongConsumer markers = wm -> {
      for (int t = 0; t < 2; t++) {
        dayLong.process(new ConsumerRecord<>(PARTIALS, PARTITION, offset++,
            WatermarkMarker.KEY.getBytes(StandardCharsets.UTF_8), new WatermarkMarker(t, 2, wm).toJson()), out);
      }
    };
    partial.accept(hourly(1, 2));
    markers.accept(H10 + HOUR + 6 * HOUR); // six hours past the window's end
    dayLong.flush(out, NOW);
    out.clear();
    partial.accept(hourly(2, 3)); // six hours late: merged, employee 2 counted once
    dayLong.flush(out, NOW);
    assertEquals(List.of("4 events, 3 employees, final=false"), hourlyOut().stream()
        .map(h -> h.eventCount() + " events, " + h.uniqueEmployees() + " employees, final=" + h.isFinal()).toList());
    assertEquals(0, out.count(WindowTask.STAGE, "after_close"));

    out.clear();
    markers.accept(H10 + HOUR + lateness - 1);
    dayLong.flush(out, NOW);
    assertTrue(hourlyOut().isEmpty(), "one millisecond short of end + allowed lateness: still open");
    assertEquals(1, dayLong.stateSize());

    out.clear();
    markers.accept(H10 + HOUR + lateness);
    dayLong.flush(out, NOW);
    assertEquals(List.of("4 events, 3 employees, final=true"), hourlyOut().stream()
        .map(h -> h.eventCount() + " events, " + h.uniqueEmployees() + " employees, final=" + h.isFinal()).toList());
    assertEquals(0, dayLong.stateSize());
    partial.accept(hourly(4)); // past end + allowed lateness: counted, not merged
    assertEquals(1, out.count(WindowTask.STAGE, "after_close"));
  }

  @Test
  void windowIsFinalAndTombstonedOnlyOnceEveryEnrichTaskMarkerPassedEndPlusGrace() {
    partial(hourly(1, 2));
    marker(0, 2, H10_CLOSE + HOUR); // the fast enrich task is far ahead
    task.flush(out, NOW);
    assertEquals(List.of(false), hourlyOut().stream().map(HourlyActivityAggregate::isFinal).toList(),
        "task 1 has not reported: the fast task alone must not close the window");
    assertEquals(Long.MIN_VALUE, task.watermark());

    out.clear();
    marker(1, 2, H10_CLOSE - 1); // the slow task is one millisecond short
    task.flush(out, NOW);
    assertEquals(H10_CLOSE - 1, task.watermark());
    assertTrue(hourlyOut().isEmpty(), "not closed yet and not dirty: nothing to emit");
    assertTrue(out.sentTo(TOPICS.changelog(), H10_KEY).isEmpty());
    assertEquals(1, task.stateSize());

    out.clear();
    marker(1, 2, H10_CLOSE); // end + grace <= watermark: closes
    task.flush(out, NOW + 1);
    List<HourlyActivityAggregate> emitted = hourlyOut();
    assertEquals(1, emitted.size());
    assertTrue(emitted.get(0).isFinal());
    assertEquals(2, emitted.get(0).eventCount(), "the final record carries the full state");
    assertEquals(H10_OUTPUT_KEY, out.sentTo(TOPICS.hourly()).get(0).keyString());
    List<Sent> state = out.sentTo(TOPICS.changelog(), H10_KEY);
    assertEquals(1, state.size());
    assertTrue(state.get(0).isTombstone(), "closed window state is deleted");
    assertEquals(PARTITION, state.get(0).partition());
    assertEquals(0, task.stateSize());
    assertEquals(1, out.count(WindowTask.STAGE, "hourly_closed"));

    out.clear();
    task.flush(out, NOW + 2);
    assertTrue(out.sentTo(TOPICS.hourly()).isEmpty(), "a closed window is emitted final exactly once");
    assertTrue(out.sentTo(TOPICS.changelog(), H10_KEY).isEmpty());
  }

  @Test
  void dailyWindowClosesAtDayEndPlusGrace() {
    WindowAggregate d = WindowAggregate.daily("laptop", D24);
    d.add(1, "login", 0, D24 + 5);
    partial(d);
    marker(0, 1, D24 + DAY + GRACE - 1);
    task.flush(out, NOW);
    assertFalse(DAILY.decode(out.sentTo(TOPICS.daily()).get(0).value()).isFinal());

    out.clear();
    marker(0, 1, D24 + DAY + GRACE);
    task.flush(out, NOW);
    assertTrue(DAILY.decode(out.sentTo(TOPICS.daily()).get(0).value()).isFinal());
    assertTrue(out.sentTo(TOPICS.changelog(), d.key()).get(0).isTombstone());
    assertEquals(1, out.count(WindowTask.STAGE, "daily_closed"));
  }

  @Test
  void onlyWindowsPastTheWatermarkCloseOthersStayOpen() {
    partial(hourly(1));
    WindowAggregate next = WindowAggregate.hourly("Engineering", "login", H10 + HOUR);
    next.add(5, "login", 1, H10 + HOUR);
    partial(next);
    marker(0, 1, H10_CLOSE);
    task.flush(out, NOW);

    Map<String, Boolean> finalByKey = out.sentTo(TOPICS.hourly()).stream()
        .collect(Collectors.toMap(Sent::keyString, s -> HOURLY.decode(s.value()).isFinal()));
    assertEquals(Map.of(H10_OUTPUT_KEY, true, "Engineering|login|2026-11-24T11:00:00Z", false), finalByKey);
    assertTrue(out.sentTo(TOPICS.changelog(), H10_KEY).get(0).isTombstone());
    assertFalse(out.sentTo(TOPICS.changelog(), next.key()).get(0).isTombstone());
    assertEquals(1, task.stateSize());
  }

  @Test
  void openWindowIsNotReemittedWhenNothingChanged() {
    partial(hourly(1));
    task.flush(out, NOW);
    assertEquals(1, out.sentTo(TOPICS.hourly()).size());

    out.clear();
    task.flush(out, NOW + 100);
    assertTrue(out.sent().isEmpty(), "nothing new: " + out.sent());

    partial(hourly(2)); // touched again: upserted again with the merged state
    task.flush(out, NOW + 200);
    List<HourlyActivityAggregate> emitted = hourlyOut();
    assertEquals(1, emitted.size());
    assertEquals(2, emitted.get(0).eventCount());
  }

  @Test
  void stateChangelogEntriesGoToTheTasksOwnChangelogPartition() {
    partial(hourly(1));
    WindowAggregate d = WindowAggregate.daily("phone", D24);
    d.add(1, "login", 0, D24);
    partial(d);
    marker(0, 2, H10);
    marker(1, 2, H10_CLOSE);
    task.flush(out, NOW);
    marker(0, 2, H10_CLOSE);
    task.flush(out, NOW);

    List<Sent> changelog = changelog();
    assertTrue(changelog.size() >= 6, "2 window states, 3 markers, 1 tombstone: " + changelog);
    for (Sent s : changelog) {
      assertEquals(PARTITION, s.partition(), "changelog entry " + s + " must be co-partitioned with the input");
    }
  }

  @Test
  void movedMarkersAreStoredUnderWmAndTaskNumberOnlyWhenTheyMove() {
    marker(0, 2, 1_000);
    marker(1, 2, 2_000);
    marker(1, 2, 2_500);
    task.flush(out, NOW);

    Map<String, WatermarkMarker> stored = markerEntries().stream()
        .collect(Collectors.toMap(Sent::keyString, s -> WatermarkMarker.fromJson(s.value())));
    assertEquals(Map.of("~wm|0", new WatermarkMarker(0, 2, 1_000), "~wm|1", new WatermarkMarker(1, 2, 2_500)),
        stored, "one entry per moved task, with its latest marker");
    assertTrue(out.sentTo(TOPICS.hourly()).isEmpty() && out.sentTo(TOPICS.daily()).isEmpty());

    out.clear();
    marker(0, 2, 900); // older: ignored
    marker(1, 2, 2_500); // same: ignored
    task.flush(out, NOW);
    assertTrue(changelog().isEmpty(), "markers that did not move are not stored again: " + changelog());
    assertEquals(1_000, task.watermark());

    marker(0, 2, 1_100);
    task.flush(out, NOW);
    assertEquals(List.of("~wm|0", "~watermark"), changelog().stream().map(Sent::keyString).toList());
    assertEquals(new WatermarkMarker(0, 2, 1_100), WatermarkMarker.fromJson(changelog().get(0).value()));
    assertEquals("1100", new String(changelog().get(1).value(), StandardCharsets.UTF_8));
  }

  private List<Sent> markerEntries() {
    return changelog().stream().filter(s -> s.keyString().startsWith("~wm|")).toList();
  }

  private void idleMarker(int enrichTask, int of, long watermark) {
    task.process(new ConsumerRecord<>(PARTIALS, PARTITION, offset++, WatermarkMarker.KEY.getBytes(StandardCharsets.UTF_8),
        new WatermarkMarker(enrichTask, of, watermark, true).toJson()), out);
  }

  @Test
  void anIdleEnrichTaskNoLongerHoldsWindowsOpen() {
    partial(hourly(1));
    marker(0, 2, H10_CLOSE);
    task.flush(out, NOW);
    assertEquals(1, task.stateSize(), "task 1 has not reported: the window stays open");

    idleMarker(1, 2, Long.MIN_VALUE); // a partition that never had input goes idle
    task.flush(out, NOW);
    assertEquals(0, task.stateSize());
    assertTrue(hourlyOut().get(hourlyOut().size() - 1).isFinal());
    assertEquals(H10_CLOSE, task.watermark());
  }

  @Test
  void aTaskBackFromIdlenessBehindTheOthersMovesNothingBackNotEvenAfterARestore() {
    partial(hourly(1));
    marker(0, 2, H10_CLOSE);
    idleMarker(1, 2, H10);
    task.flush(out, NOW);
    assertEquals(H10_CLOSE, task.watermark());
    assertEquals(0, task.stateSize(), "closed while task 1 was idle");

    marker(1, 2, H10 + 1); // task 1 has input again, far behind
    assertEquals(H10_CLOSE, task.watermark(), "the watermark never goes back");
    partial(hourly(2)); // what it brings for the closed window
    task.flush(out, NOW);
    assertEquals(1, out.count(WindowTask.STAGE, "after_close"));
    assertEquals(0, task.stateSize(), "the closed window is not reopened");

    // The markers alone now give H10 + 1; the stored watermark keeps a restored task where it was.
    WindowTask restored = new WindowTask(TOPICS, PARTITION, GRACE);
    for (Sent s : changelog()) {
      restored.restoreEntry(s.key(), s.value());
    }
    assertEquals(H10_CLOSE, restored.watermark());
  }

  @Test
  void badPartialsAndMarkersGoToTheDeadLetterTopicWithStageWindow() {
    task.process(new ConsumerRecord<>(PARTIALS, PARTITION, 7, H10_KEY.getBytes(StandardCharsets.UTF_8),
        "{not json".getBytes(StandardCharsets.UTF_8)), out);
    task.process(new ConsumerRecord<>(PARTIALS, PARTITION, 8, H10_KEY.getBytes(StandardCharsets.UTF_8), null), out);
    task.process(new ConsumerRecord<>(PARTIALS, PARTITION, 9, WatermarkMarker.KEY.getBytes(StandardCharsets.UTF_8),
        new WatermarkMarker(3, 2, 5).toJson()), out);
    task.process(new ConsumerRecord<>(PARTIALS, PARTITION, 10, WatermarkMarker.KEY.getBytes(StandardCharsets.UTF_8),
        "[]".getBytes(StandardCharsets.UTF_8)), out);

    List<RecordingOutput.DeadLetter> dead = out.deadLetters();
    assertEquals(4, dead.size());
    for (RecordingOutput.DeadLetter d : dead) {
      assertEquals("window", d.stage());
      assertTrue(d.reason() != null && !d.reason().isBlank());
    }
    assertEquals(List.of(7L, 8L, 9L, 10L), dead.stream().map(d -> d.record().offset()).toList());
    assertTrue(dead.get(0).reason().contains("not a window aggregate"), dead.get(0).reason());
    assertTrue(dead.get(1).reason().contains("without a value"), dead.get(1).reason());
    assertTrue(dead.get(2).reason().contains("out of range"), dead.get(2).reason());
    assertTrue(dead.get(3).reason().contains("not a watermark marker"), dead.get(3).reason());

    // Processing goes on, and the bad records left no state.
    partial(hourly(1));
    task.flush(out, NOW);
    assertEquals(1, hourlyOut().size());
    assertEquals(1, hourlyOut().get(0).eventCount());
    assertEquals(Set.of(H10_KEY), changelog().stream().map(Sent::keyString).collect(Collectors.toSet()));
    assertEquals(Long.MIN_VALUE, task.watermark());
  }

  @Test
  void markerOrPartialOfNullJsonIsDeadLetteredWithStageWindow() {
    byte[] wm = WatermarkMarker.KEY.getBytes(StandardCharsets.UTF_8);
    task.process(new ConsumerRecord<>(PARTIALS, PARTITION, 1, wm, null), out);
    task.process(new ConsumerRecord<>(PARTIALS, PARTITION, 2, wm, "null".getBytes(StandardCharsets.UTF_8)), out);
    task.process(new ConsumerRecord<>(PARTIALS, PARTITION, 3, H10_KEY.getBytes(StandardCharsets.UTF_8),
        "null".getBytes(StandardCharsets.UTF_8)), out);
    assertEquals(List.of("window", "window", "window"),
        out.deadLetters().stream().map(RecordingOutput.DeadLetter::stage).toList());
  }

  @Test
  void partialArrivingAfterItsWindowClosedIsCountedAndDoesNotOverwriteTheFinalValue() {
    partial(hourly(1));
    marker(0, 1, H10_CLOSE);
    task.flush(out, NOW);
    assertEquals(0, task.stateSize());
    int emitted = hourlyOut().size();

    partial(hourly(7, 8));
    task.flush(out, NOW);
    assertEquals(2, out.count(WindowTask.STAGE, "after_close"));
    assertEquals(0, task.stateSize(), "no window re-opened");
    assertEquals(emitted, hourlyOut().size(), "the final value is not overwritten by a final of the late partial");
  }
}
