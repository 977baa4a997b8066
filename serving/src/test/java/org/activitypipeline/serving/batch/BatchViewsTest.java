package org.activitypipeline.serving.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.activitypipeline.lakehouse.BatchHorizon;
import org.activitypipeline.lakehouse.DailyDeviceAggRow;
import org.activitypipeline.lakehouse.HourlyActivityAggRow;
import org.activitypipeline.lakehouse.Tables;
import org.activitypipeline.lakehouse.hudi.HudiSettings;
import org.activitypipeline.lakehouse.hudi.HudiTable;
import org.activitypipeline.serving.lambda.DailyQuery;
import org.activitypipeline.serving.lambda.DailyWindow;
import org.activitypipeline.serving.lambda.HourlyQuery;
import org.activitypipeline.serving.lambda.HourlyWindow;
import org.activitypipeline.serving.lambda.Source;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batch views over real Hudi tables on the local file system: the horizon rule, the caches, invalidation. */
class BatchViewsTest {
  static final Instant T10 = Instant.parse("2026-12-01T10:00:00Z");

  @TempDir
  Path dir;
  HudiSettings hudi;
  HudiTable hourly;
  HudiTable daily;
  LakehouseWatcher watcher;

  @BeforeEach
  void setUp() {
    hudi = HudiSettings.forReading(dir.toUri().toString(), Map.of());
    hourly = new HudiTable(Tables.HOURLY_ACTIVITY_AGG, hudi);
    daily = new HudiTable(Tables.DAILY_DEVICE_AGG, hudi);
    watcher = new LakehouseWatcher(hudi.lakehouse(), HudiTable.hadoopConf(hudi), hourly, daily,
        new HudiTable(Tables.EMPLOYEE_ACTIVITY, hudi), Duration.ofSeconds(1), s -> {});
  }

  static HourlyActivityAggRow hourlyRow(String dept, Instant start, long count) {
    return new HourlyActivityAggRow(dept, "login", start.toEpochMilli(), count, 2, count * 10,
        start.toEpochMilli() + 1000, start.toEpochMilli() + 2000, 1, start.toString().substring(0, 10));
  }

  void writeHourly(HourlyActivityAggRow... rows) {
    hourly.upsert(Tables.hourlyActivityAgg(), java.util.Arrays.stream(rows).map(HourlyActivityAggRow::toAvro).toList(),
        Map.of());
  }

  List<Long> counts(BatchViews views, HourlyQuery q) {
    watcher.pollNow();
    return views.hourly(q, watcher.current()).stream().map(HourlyWindow::eventCount).toList();
  }

  @Test
  void onlyWindowsEndingByTheHorizonAndAcrossDates() {
    writeHourly(hourlyRow("eng", T10.minusSeconds(11 * 3600), 1), // 2026-11-30T23:00
        hourlyRow("eng", T10.minusSeconds(3600), 2), hourlyRow("ops", T10.minusSeconds(3600), 3),
        hourlyRow("eng", T10, 4)); // ends 11:00, after the horizon
    new BatchHorizon(T10, T10, "x").write(hudi.lakehouse(), HudiTable.hadoopConf(hudi));
    BatchViews views = new BatchViews(hourly, daily, true, 1000, 1 << 20, new SimpleMeterRegistry());
    HourlyQuery all = new HourlyQuery(T10.minusSeconds(86_400), T10.plusSeconds(86_400), null, null);
    assertEquals(List.of(1L, 2L, 3L), counts(views, all));
    HourlyWindow w = views.hourly(new HourlyQuery(T10.minusSeconds(3600), T10, "ops", null), watcher.current()).get(0);
    assertEquals(Source.BATCH, w.source());
    assertEquals(30, w.totalDurationSeconds());
    assertEquals(10.0, w.avgDurationSeconds());
    assertEquals(T10, w.windowEnd());
  }

  @Test
  void cachedAnswersStayUntilANewCommitLandsThenTheNewDataIsServed() {
    writeHourly(hourlyRow("eng", T10.minusSeconds(3600), 2));
    new BatchHorizon(T10, T10, "x").write(hudi.lakehouse(), HudiTable.hadoopConf(hudi));
    BatchViews cached = new BatchViews(hourly, daily, true, 1000, 1 << 20, new SimpleMeterRegistry());
    BatchViews uncached = new BatchViews(hourly, daily, false, 1000, 1 << 20, new SimpleMeterRegistry());
    HourlyQuery q = new HourlyQuery(T10.minusSeconds(7200), T10, null, null);
    assertEquals(List.of(2L), counts(cached, q));
    LakehouseSnapshot before = watcher.current();

    writeHourly(hourlyRow("eng", T10.minusSeconds(3600), 9));
    // Under the old snapshot the cache answers without reading Hudi: still the old value.
    assertEquals(List.of(2L), cached.hourly(q, before).stream().map(HourlyWindow::eventCount).toList());
    assertEquals(List.of(9L), uncached.hourly(q, before).stream().map(HourlyWindow::eventCount).toList());
    // The watcher sees the new commit: a new snapshot, and the cached view serves the new value.
    watcher.pollNow();
    assertNotEquals(before, watcher.current());
    assertEquals(List.of(9L), counts(cached, q));
  }

  @Test
  void noHorizonNoBatchWindowsAndDailyDaysEndAtMidnight() {
    writeHourly(hourlyRow("eng", T10.minusSeconds(3600), 2));
    daily.upsert(Tables.dailyDeviceAgg(), List.of(
        new DailyDeviceAggRow("laptop", "2026-11-30", 5, 2, Map.of("login", 5L), 1).toAvro(),
        new DailyDeviceAggRow("laptop", "2026-12-01", 7, 3, Map.of("login", 7L), 1).toAvro()), Map.of());
    BatchViews views = new BatchViews(hourly, daily, true, 1000, 1 << 20, new SimpleMeterRegistry());
    assertEquals(List.of(), counts(views, new HourlyQuery(T10.minusSeconds(7200), T10, null, null)));

    new BatchHorizon(T10, T10, "x").write(hudi.lakehouse(), HudiTable.hadoopConf(hudi));
    watcher.pollNow();
    List<DailyWindow> days = views.daily(new DailyQuery(LocalDate.parse("2026-11-29"), LocalDate.parse("2026-12-01"),
        null), watcher.current());
    assertEquals(1, days.size(), "12-01 is not over at the horizon 10:00");
    assertEquals(Map.of("login", 5L), days.get(0).countsByActivityType());
    assertTrue(days.get(0).isFinal());
  }
}
