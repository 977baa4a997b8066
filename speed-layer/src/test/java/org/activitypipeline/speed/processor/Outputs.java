package org.activitypipeline.speed.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.activitypipeline.common.event.DailyDeviceAggregate;
import org.activitypipeline.common.event.EnrichedActivity;
import org.activitypipeline.common.event.HourlyActivityAggregate;
import org.activitypipeline.common.json.JsonCodec;
import org.activitypipeline.common.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Everything the processor committed to a test's output topics, read {@code read_committed}, and the
 * checks against a {@link Scenario.Reference}.
 */
final class Outputs implements AutoCloseable {
  private static final JsonCodec<EnrichedActivity> ENRICHED = JsonCodec.of(EnrichedActivity.class, 1);
  private static final JsonCodec<HourlyActivityAggregate> HOURLY = JsonCodec.of(HourlyActivityAggregate.class, 1);
  private static final JsonCodec<DailyDeviceAggregate> DAILY = JsonCodec.of(DailyDeviceAggregate.class, 1);

  private final Scenario scenario;
  private final Scenario.Reference reference;
  private final ProcessorTopics.Reader processed;
  private final ProcessorTopics.Reader hourlyReader;
  private final ProcessorTopics.Reader dailyReader;
  private final ProcessorTopics.Reader lateReader;
  private final ProcessorTopics.Reader dlqReader;
  final Map<String, Integer> processedCount = new HashMap<>();
  final Map<String, EnrichedActivity> enriched = new HashMap<>();
  final Map<String, HourlyActivityAggregate> hourly = new TreeMap<>();
  final Map<String, DailyDeviceAggregate> daily = new TreeMap<>();
  final Map<String, Integer> lateCount = new HashMap<>();
  final Map<String, String> lateWindows = new HashMap<>();
  final List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();

  Outputs(Scenario scenario, ProcessorTopics topics) {
    this.scenario = scenario;
    this.reference = scenario.new Reference();
    this.processed = topics.new Reader(Topics.PROCESSED_ACTIVITIES);
    this.hourlyReader = topics.new Reader(Topics.HOURLY_ACTIVITY_AGGREGATIONS);
    this.dailyReader = topics.new Reader(Topics.DAILY_DEVICE_AGGREGATIONS);
    this.lateReader = topics.new Reader(Topics.LATE_ACTIVITIES);
    this.dlqReader = topics.new Reader(Topics.PIPELINE_DLQ);
  }

  Scenario.Reference reference() {
    return reference;
  }

  /** Reads what was committed since the last call. */
  void refresh() {
    for (ConsumerRecord<byte[], byte[]> r : processed.drain()) {
      EnrichedActivity e = ENRICHED.decode(r.value());
      processedCount.merge(e.activity().activityId(), 1, Integer::sum);
      enriched.put(e.activity().activityId(), e);
    }
    for (ConsumerRecord<byte[], byte[]> r : hourlyReader.drain()) {
      hourly.put(ProcessorTopics.text(r.key()), HOURLY.decode(r.value()));
    }
    for (ConsumerRecord<byte[], byte[]> r : dailyReader.drain()) {
      daily.put(ProcessorTopics.text(r.key()), DAILY.decode(r.value()));
    }
    for (ConsumerRecord<byte[], byte[]> r : lateReader.drain()) {
      String id = ENRICHED.decode(r.value()).activity().activityId();
      lateCount.merge(id, 1, Integer::sum);
      Header h = r.headers().lastHeader("late.windows");
      lateWindows.put(id, h == null ? null : ProcessorTopics.text(h.value()));
    }
    deadLetters.addAll(dlqReader.drain());
  }

  /** True once every activity was processed and every window shows its reference value. */
  boolean complete() {
    refresh();
    return processedCount.size() == scenario.activities.size() && hourlyMatches() && dailyMatches();
  }

  private boolean hourlyMatches() {
    if (!hourly.keySet().equals(reference.hourly.keySet())) {
      return false;
    }
    return reference.hourly.entrySet().stream().allMatch(e -> matches(e.getValue(), hourly.get(e.getKey())));
  }

  private boolean dailyMatches() {
    if (!daily.keySet().equals(reference.daily.keySet())) {
      return false;
    }
    return reference.daily.entrySet().stream().allMatch(e -> matches(e.getValue(), daily.get(e.getKey())));
  }

  private boolean matches(Scenario.Hourly want, HourlyActivityAggregate got) {
    return got.eventCount() == want.count() && got.uniqueEmployees() == want.unique()
        && got.totalDurationSeconds() == want.totalDuration() && got.firstEventTime().equals(want.first())
        && got.lastEventTime().equals(want.last())
        && got.isFinal() == reference.hourlyClosed(got.windowStart());
  }

  private boolean matches(Scenario.Daily want, DailyDeviceAggregate got) {
    return got.eventCount() == want.count() && got.uniqueEmployees() == want.unique()
        && got.countsByActivityType().equals(want.byType()) && got.isFinal() == reference.dailyClosed(got.day());
  }

  /** Waits until {@link #complete()}, then asserts every guarantee with a precise message. */
  void awaitAndVerify(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!complete() && System.nanoTime() < deadline) {
      Thread.sleep(2_000);
    }
    verify();
  }

  void verify() {
    refresh();
    // Every activity exactly once, with the employee's attributes.
    List<String> missing = scenario.activities.stream().map(a -> a.activityId())
        .filter(id -> !processedCount.containsKey(id)).limit(5).toList();
    assertTrue(missing.isEmpty(), "activities missing from processed-activities (first 5): " + missing + " of "
        + (scenario.activities.size() - processedCount.size()));
    List<String> twice = processedCount.entrySet().stream().filter(e -> e.getValue() != 1).map(Map.Entry::getKey)
        .limit(5).toList();
    assertTrue(twice.isEmpty(), "activities in processed-activities more than once: " + twice);
    assertEquals(scenario.activities.size(), processedCount.size(), "no activity that was not in the input");
    for (var a : scenario.activities) {
      EnrichedActivity e = enriched.get(a.activityId());
      assertEquals(a, e.activity(), "activity passed through unchanged");
      Scenario.Employee emp = scenario.employee(a.employeeId());
      if (emp == null) {
        assertTrue(!e.employeeKnown() && e.departmentName() == null, "unknown employee flagged: " + e);
      } else {
        assertTrue(e.employeeKnown(), "known employee: " + e);
        assertEquals(emp.departmentId(), e.departmentId(), "department id of " + a.activityId());
        assertEquals(scenario.departmentName(emp.departmentId()), e.departmentName(), "department of " + a.activityId());
        assertEquals(emp.jobTitle(), e.jobTitle(), "job title of " + a.activityId());
        assertEquals(emp.location(), e.employeeLocation(), "location of " + a.activityId());
        assertEquals(emp.status(), e.employeeStatus(), "status of " + a.activityId());
      }
    }
    // Late activities: exactly the truly late ones, once each, with the windows they missed.
    assertEquals(reference.late.keySet(), lateCount.keySet(), "late-activities holds exactly the late events");
    assertTrue(lateCount.values().stream().allMatch(n -> n == 1), "each late activity once");
    reference.late.forEach((id, windows) -> assertEquals(windows, lateWindows.get(id), "late windows of " + id));
    // Windows: the latest value of each equals the reference, final exactly when closed.
    assertEquals(reference.hourly.keySet(), hourly.keySet(), "hourly windows");
    reference.hourly.forEach((k, want) -> assertTrue(matches(want, hourly.get(k)),
        "hourly " + k + ": want " + want + " closed=" + reference.hourlyClosed(hourly.get(k).windowStart())
            + ", got " + hourly.get(k)));
    assertEquals(reference.daily.keySet(), daily.keySet(), "daily windows");
    reference.daily.forEach((k, want) -> assertTrue(matches(want, daily.get(k)),
        "daily " + k + ": want " + want + ", got " + daily.get(k)));
    assertTrue(hourly.values().stream().anyMatch(HourlyActivityAggregate::isFinal), "some hourly windows closed");
    assertTrue(hourly.values().stream().anyMatch(h -> !h.isFinal()), "some hourly windows still open");
  }

  @Override
  public void close() {
    processed.close();
    hourlyReader.close();
    dailyReader.close();
    lateReader.close();
    dlqReader.close();
  }
}
