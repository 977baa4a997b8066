package org.activitypipeline.serving.api;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.activitypipeline.common.event.HourCompleteness;
import org.activitypipeline.serving.batch.BatchViews;
import org.activitypipeline.serving.batch.LakehouseSnapshot;
import org.activitypipeline.serving.batch.LakehouseWatcher;
import org.activitypipeline.serving.completeness.CompletenessView;
import org.activitypipeline.serving.health.PipelineHealth;
import org.activitypipeline.serving.lambda.DailyQuery;
import org.activitypipeline.serving.lambda.DailyWindow;
import org.activitypipeline.serving.lambda.HourlyQuery;
import org.activitypipeline.serving.lambda.HourlyWindow;
import org.activitypipeline.serving.lambda.LambdaMerge;
import org.activitypipeline.serving.lambda.Source;
import org.activitypipeline.serving.profile.EmployeeProfiles;
import org.activitypipeline.serving.speed.SpeedViews;
import org.activitypipeline.serving.tail.TopicTailer;

/**
 * What each endpoint answers, independent of HTTP: parameters in, response record out. Every
 * answer is merged under one {@link LakehouseSnapshot}, so the horizon it reports is the one it applied.
 *
 * <p>The speed views are read before the snapshot. The watcher publishes a new snapshot before it
 * lets the speed views drop the final windows the new horizon covers, so whatever the speed read lacks
 * is at or before the horizon of the snapshot read after it, and is in the batch views. Read the other
 * way round, a views run between the two reads left the windows between the old and the new horizon
 * in neither.
 */
final class ServingQueries {
  private static final Set<String> HOURLY_PARAMS = Set.of("from", "to", "department", "activity_type");
  private static final Set<String> DAILY_PARAMS = Set.of("from", "to", "device_type");
  private static final Set<String> COMPLETENESS_PARAMS = Set.of("from", "to");
  private static final Set<String> SEARCH_PARAMS = Set.of("q", "limit");
  static final int SEARCH_MAX_HITS = 50;

  private final SpeedViews speed;
  private final BatchViews batch;
  private final LakehouseWatcher lakehouse;
  private final EmployeeProfiles profiles;
  private final CompletenessView completeness;
  private final List<TopicTailer> tailers;
  private final Duration maxRange;
  private final PipelineHealth health;

  ServingQueries(SpeedViews speed, BatchViews batch, LakehouseWatcher lakehouse, EmployeeProfiles profiles,
                 CompletenessView completeness, List<TopicTailer> tailers, Duration maxRange, PipelineHealth health) {
    this.health = health;
    this.completeness = completeness;
    this.speed = speed;
    this.batch = batch;
    this.lakehouse = lakehouse;
    this.profiles = profiles;
    this.tailers = List.copyOf(tailers);
    this.maxRange = maxRange;
  }

  Responses.Hourly hourly(Map<String, List<String>> raw) {
    QueryParams p = new QueryParams(raw).only(HOURLY_PARAMS);
    Instant from = p.instant("from");
    Instant to = p.instant("to");
    QueryParams.checkRange(from, to, maxRange);
    // Snapped to whole hours (the same windows): the cache key of equal answers is equal.
    HourlyQuery q = new HourlyQuery(from, to, p.optional("department"), p.optional("activity_type")).snappedToHours();
    // The merge compares whole periods: both layers are read without the department and type filters.
    List<HourlyWindow> fromSpeed = speed.hourly(q.wholeRange()); // before the snapshot: see the class comment
    LakehouseSnapshot s = lakehouse.current();
    List<HourlyWindow> windows = LambdaMerge.hourly(q, s.horizon(), batch.hourly(q.wholeRange(), s), fromSpeed);
    return new Responses.Hourly(from, to, s.horizon(),
        Responses.Served.of(windows, HourlyWindow::source), windows);
  }

  Responses.Daily daily(Map<String, List<String>> raw) {
    QueryParams p = new QueryParams(raw).only(DAILY_PARAMS);
    LocalDate from = p.date("from");
    LocalDate to = p.date("to");
    if (to.isBefore(from)) {
      throw new BadRequestException("to", "'to' (" + to + ") must not be before 'from' (" + from + ")");
    }
    QueryParams.checkRange(from.atStartOfDay(java.time.ZoneOffset.UTC).toInstant(),
        to.plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant(), maxRange);
    DailyQuery q = new DailyQuery(from, to, p.optional("device_type"));
    List<DailyWindow> fromSpeed = speed.daily(q.wholeRange()); // before the snapshot: see the class comment
    LakehouseSnapshot s = lakehouse.current();
    List<DailyWindow> windows = LambdaMerge.daily(q, s.horizon(), batch.daily(q.wholeRange(), s), fromSpeed);
    return new Responses.Daily(from, to, s.horizon(),
        Responses.Served.of(windows, DailyWindow::source), windows);
  }

  /** The reconciliation's results for the ingest hours in {@code [from, to)}. */
  Responses.Completeness completeness(Map<String, List<String>> raw) {
    QueryParams p = new QueryParams(raw).only(COMPLETENESS_PARAMS);
    Instant from = p.instant("from");
    Instant to = p.instant("to");
    QueryParams.checkRange(from, to, maxRange);
    List<Responses.Hour> hours = new java.util.ArrayList<>();
    long[] sum = new long[8];
    for (HourCompleteness h : completeness.between(from, to)) {
      hours.add(new Responses.Hour(h.hour(), h.checkedAt(), h.sourceRows(), h.rejected(), h.inKafka(), h.repaired(),
          h.unrepaired(), h.inHudi(), h.notInHudi(), h.notInSource(), h.unrepaired() == 0 && h.notInHudi() == 0));
      long[] v = {h.sourceRows(), h.rejected(), h.inKafka(), h.repaired(), h.unrepaired(), h.inHudi(), h.notInHudi(),
          h.notInSource()};
      for (int i = 0; i < v.length; i++) {
        sum[i] += v[i];
      }
    }
    return new Responses.Completeness(from, to, new Responses.Totals(hours.size(), sum[0], sum[1], sum[2], sum[3],
        sum[4], sum[5], sum[6], sum[7]), hours);
  }

  /** The profile, or null when the employee is not known (404). */
  Responses.Profile profile(String rawId, Map<String, List<String>> raw) {
    new QueryParams(raw).only(Set.of());
    long id = QueryParams.employeeId(rawId);
    return profiles.profile(id)
        .map(pr -> new Responses.Profile(pr.employee(), pr.recentActivity(), Source.SPEED))
        .orElse(null);
  }

  /** Current employees matching {@code q} (name, e-mail, department, job title; or an id). */
  Responses.Search search(Map<String, List<String>> raw) {
    QueryParams p = new QueryParams(raw).only(SEARCH_PARAMS);
    String q = p.required("q");
    String limit = p.optional("limit");
    int max = limit == null ? 20 : limit.matches("[0-9]{1,3}") ? Integer.parseInt(limit) : -1;
    if (max < 1 || max > SEARCH_MAX_HITS) {
      throw new BadRequestException("limit", "'limit' must be a whole number from 1 to " + SEARCH_MAX_HITS);
    }
    List<EmployeeProfiles.Match> hits = profiles.search(q, max + 1);
    return new Responses.Search(q, hits.size() > max, hits.subList(0, Math.min(max, hits.size())));
  }

  PipelineHealth.Report health(Map<String, List<String>> raw) {
    new QueryParams(raw).only(Set.of());
    return health.report();
  }

  Responses.Status status(Map<String, List<String>> raw) {
    new QueryParams(raw).only(Set.of());
    LakehouseSnapshot s = lakehouse.current();
    // A short code, not the exception text: that names hosts and ports (the serving log has it).
    return new Responses.Status(s.horizon(), s.horizonComputedAt(), s.ingestInstant(), s.hourlyInstant(),
        lakehouse.healthy(), lakehouse.lastError().isPresent() ? "lakehouse_unreachable" : null, speed.hourlyWindows(), speed.dailyWindows(),
        caughtUp(), profiles.employees(), speed.invalidRecords() + profiles.invalidRecords());
  }

  /** Ready: every topic read up to where it stood at start, and the lakehouse reachable. */
  boolean ready() {
    return caughtUp() && lakehouse.healthy();
  }

  private boolean caughtUp() {
    return tailers.stream().allMatch(TopicTailer::caughtUp);
  }
}
