package org.activitypipeline.serving.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LambdaMergeTest {
  static final Instant T10 = Instant.parse("2026-12-01T10:00:00Z");

  static HourlyWindow hourly(String dept, String type, Instant start, long count, Source source) {
    return new HourlyWindow(dept, type, start, start.plusSeconds(3600), count, 1, count * 10, 10.0, start, start,
        source == Source.BATCH, source);
  }

  static DailyWindow daily(String device, LocalDate day, long count, Source source) {
    return new DailyWindow(device, day, count, 1, Map.of("login", count), source == Source.BATCH, source);
  }

  @Test
  void windowsEndingAtOrBeforeTheHorizonComeFromBatchLaterOnesFromSpeed() {
    Instant t8 = T10.minusSeconds(7200);
    Instant t9 = T10.minusSeconds(3600);
    HourlyQuery q = new HourlyQuery(t8, T10.plusSeconds(7200), null, null);
    List<HourlyWindow> batch = List.of(hourly("eng", "login", t8, 5, Source.BATCH),
        hourly("eng", "login", t9, 7, Source.BATCH), // ends exactly at the horizon: batch
        hourly("eng", "login", T10, 99, Source.BATCH)); // after the horizon: must not be used
    List<HourlyWindow> speed = List.of(hourly("eng", "login", t8, 4, Source.SPEED), // fewer than batch's 5: not used
        hourly("eng", "login", T10, 3, Source.SPEED), hourly("ops", "email", T10.plusSeconds(3600), 2, Source.SPEED));

    List<HourlyWindow> out = LambdaMerge.hourly(q, T10, batch, speed);

    assertEquals(List.of(5L, 7L, 3L, 2L), out.stream().map(HourlyWindow::eventCount).toList());
    assertEquals(List.of(Source.BATCH, Source.BATCH, Source.SPEED, Source.SPEED),
        out.stream().map(HourlyWindow::source).toList());
  }

  @Test
  void withoutAHorizonEverythingComesFromTheSpeedLayer() {
    HourlyQuery q = new HourlyQuery(T10.minusSeconds(3600), T10.plusSeconds(3600), null, null);
    List<HourlyWindow> out = LambdaMerge.hourly(q, null,
        List.of(hourly("eng", "login", T10, 9, Source.BATCH)), List.of(hourly("eng", "login", T10, 3, Source.SPEED)));
    assertEquals(List.of(3L), out.stream().map(HourlyWindow::eventCount).toList());
    assertFalse(LambdaMerge.batchCovers(T10, null));
  }

  @Test
  void theQueryFiltersRangeDepartmentAndTypeOnBothSides() {
    HourlyQuery q = new HourlyQuery(T10.minusSeconds(3600), T10.plusSeconds(3600), "eng", "login");
    List<HourlyWindow> out = LambdaMerge.hourly(q, T10,
        List.of(hourly("eng", "login", T10.minusSeconds(3600), 1, Source.BATCH),
            hourly("ops", "login", T10.minusSeconds(3600), 2, Source.BATCH),
            hourly("eng", "email", T10.minusSeconds(3600), 3, Source.BATCH),
            hourly("eng", "login", T10.minusSeconds(7200), 4, Source.BATCH)),
        List.of(hourly("eng", "login", T10, 5, Source.SPEED), hourly("eng", "login", T10.plusSeconds(3600), 6,
            Source.SPEED)));
    assertEquals(List.of(1L, 5L), out.stream().map(HourlyWindow::eventCount).toList(), "to is exclusive");
  }

  @Test
  void resultsAreSortedByStartDepartmentAndType() {
    HourlyQuery q = new HourlyQuery(T10, T10.plusSeconds(7200), null, null);
    List<HourlyWindow> out = LambdaMerge.hourly(q, null, List.of(), List.of(
        hourly("ops", "login", T10.plusSeconds(3600), 1, Source.SPEED), hourly("ops", "email", T10, 2, Source.SPEED),
        hourly("eng", "login", T10, 3, Source.SPEED)));
    assertEquals(List.of(3L, 2L, 1L), out.stream().map(HourlyWindow::eventCount).toList());
  }

  @Test
  void aDayIsServedByBatchOnlyWhenTheHorizonPassedItsMidnight() {
    LocalDate d1 = LocalDate.parse("2026-11-30");
    LocalDate d2 = LocalDate.parse("2026-12-01");
    Instant horizon = Instant.parse("2026-12-01T10:00:00Z");
    DailyQuery q = new DailyQuery(d1, d2, null);
    List<DailyWindow> out = LambdaMerge.daily(q, horizon,
        List.of(daily("laptop", d1, 10, Source.BATCH), daily("laptop", d2, 99, Source.BATCH)),
        List.of(daily("laptop", d1, 8, Source.SPEED), daily("laptop", d2, 4, Source.SPEED)));
    assertEquals(List.of(10L, 4L), out.stream().map(DailyWindow::eventCount).toList());
    assertTrue(LambdaMerge.batchCovers(Instant.parse("2026-12-01T00:00:00Z"), horizon));
  }

  @Test
  void aPeriodBehindTheHorizonInWhichTheSpeedLayerCountedMoreIsServedWholeBySpeed() {
    Instant t9 = T10.minusSeconds(3600);
    HourlyQuery q = new HourlyQuery(t9, T10, null, null);
    // A late event for ops merged by the speed layer since the last views run: 8 events against 7.
    List<HourlyWindow> out = LambdaMerge.hourly(q, T10,
        List.of(hourly("eng", "login", t9, 5, Source.BATCH), hourly("ops", "login", t9, 2, Source.BATCH)),
        List.of(hourly("eng", "login", t9, 5, Source.SPEED), hourly("ops", "login", t9, 3, Source.SPEED)));
    assertEquals(List.of("eng:5:SPEED", "ops:3:SPEED"), describe(out),
        "the whole hour from the layer with more events, the window both agree on too");
  }

  @Test
  void aTieGoesToTheBatchViews() {
    Instant t9 = T10.minusSeconds(3600);
    HourlyQuery q = new HourlyQuery(t9, T10, null, null);
    // Same events; the batch views attribute one to ops (an employee change that reached them later).
    List<HourlyWindow> out = LambdaMerge.hourly(q, T10,
        List.of(hourly("eng", "login", t9, 4, Source.BATCH), hourly("ops", "login", t9, 3, Source.BATCH)),
        List.of(hourly("eng", "login", t9, 5, Source.SPEED), hourly("ops", "login", t9, 2, Source.SPEED)));
    assertEquals(List.of("eng:4:BATCH", "ops:3:BATCH"), describe(out));
  }

  @Test
  void windowsOfOnePeriodAreNeverMixedAcrossLayers() {
    Instant t9 = T10.minusSeconds(3600);
    HourlyQuery q = new HourlyQuery(t9, T10, null, null);
    // Per window, the larger values would be eng 5 + ops 3 = 8 events, one more than either layer saw.
    List<HourlyWindow> out = LambdaMerge.hourly(q, T10,
        List.of(hourly("eng", "login", t9, 4, Source.BATCH), hourly("ops", "login", t9, 3, Source.BATCH)),
        List.of(hourly("eng", "login", t9, 5, Source.SPEED), hourly("ops", "login", t9, 1, Source.SPEED)));
    assertEquals(List.of("eng:4:BATCH", "ops:3:BATCH"), describe(out));
  }

  @Test
  void aFilteredQueryChoosesByThePeriodsEventsInEveryDepartment() {
    Instant t9 = T10.minusSeconds(3600);
    HourlyQuery q = new HourlyQuery(t9, T10, "eng", null);
    List<HourlyWindow> out = LambdaMerge.hourly(q, T10,
        List.of(hourly("eng", "login", t9, 5, Source.BATCH), hourly("ops", "login", t9, 2, Source.BATCH)),
        List.of(hourly("eng", "login", t9, 5, Source.SPEED), hourly("ops", "login", t9, 3, Source.SPEED)));
    assertEquals(List.of("eng:5:SPEED"), describe(out));
  }

  @Test
  void aPeriodTheBatchViewsCoverButTheSpeedLayerNoLongerHoldsComesFromBatch() {
    Instant t9 = T10.minusSeconds(3600);
    HourlyQuery q = new HourlyQuery(t9, T10, null, null);
    assertEquals(List.of("eng:5:BATCH"),
        describe(LambdaMerge.hourly(q, T10, List.of(hourly("eng", "login", t9, 5, Source.BATCH)), List.of())));
  }

  @Test
  void aDayBehindTheHorizonWithMoreEventsInTheSpeedLayerComesFromSpeed() {
    LocalDate d1 = LocalDate.parse("2026-11-30");
    Instant horizon = Instant.parse("2026-12-01T10:00:00Z");
    DailyQuery q = new DailyQuery(d1, d1, "laptop");
    List<DailyWindow> out = LambdaMerge.daily(q, horizon,
        List.of(daily("laptop", d1, 10, Source.BATCH), daily("mobile", d1, 6, Source.BATCH)),
        List.of(daily("laptop", d1, 10, Source.SPEED), daily("mobile", d1, 7, Source.SPEED)));
    assertEquals(List.of(Source.SPEED), out.stream().map(DailyWindow::source).toList());
    assertEquals(List.of(10L), out.stream().map(DailyWindow::eventCount).toList());
  }

  private static List<String> describe(List<HourlyWindow> windows) {
    return windows.stream().map(w -> w.department() + ":" + w.eventCount() + ":" + w.source()).toList();
  }

  @Test
  void aBatchWindowIsFinalOnlyOnceTheSpeedLayerHoldsNoOpenWindowOfItsPeriod() {
    Instant t8 = T10.minusSeconds(7200);
    Instant t9 = T10.minusSeconds(3600);
    HourlyQuery q = new HourlyQuery(t8, T10, null, null);
    HourlyWindow openSpeed = new HourlyWindow("ops", "email", t9, t9.plusSeconds(3600), 1, 1, 10, 10.0, t9, t9, false,
        Source.SPEED);
    List<HourlyWindow> out = LambdaMerge.hourly(q, T10,
        List.of(hourly("eng", "login", t8, 5, Source.BATCH), hourly("eng", "login", t9, 7, Source.BATCH)),
        List.of(openSpeed));
    assertEquals(List.of("eng:5:BATCH", "eng:7:BATCH"), describe(out));
    assertEquals(List.of(true, false), out.stream().map(HourlyWindow::isFinal).toList(),
        "t9's period is still open in the speed layer: a late event could still change it");
  }
}
