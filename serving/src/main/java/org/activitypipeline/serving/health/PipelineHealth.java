package org.activitypipeline.serving.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.activitypipeline.common.event.HourCompleteness;

/**
 * The health view ({@code GET /api/v1/pipeline/health}): per stage the rate and the lag from the
 * processes' metrics, dead letters per stage with their latest reasons, late activities per hour,
 * the reconciliation's completeness, and the age of the newest data served. Computed per request
 * from what the scraper and the topic readers hold (cheap: a few hundred samples).
 */
public final class PipelineHealth {
  /**
   * One stage's figures; a null figure is unknown (process not watched, down, or not read twice yet).
   * {@code metrics}: the names of the metrics they come from (rate, records waiting, seconds behind).
   */
  public record StageFigures(String chain, String id, String from, String to, String process, String state,
                             Double ratePerSecond, Double lagRecords, Double lagSeconds, long deadLetters,
                             List<String> metrics) {}

  /** How old the newest served data is: the speed layer's newest window update, and the batch horizon. */
  public record Freshness(Instant newestSpeedUpdate, Double speedAgeSeconds, Instant batchHorizon,
                          Double batchHorizonAgeSeconds) {}

  /** What the reconciliation found over {@code hours} checked ingest hours of the last day. */
  public record Completeness(int hoursChecked, long sourceRows, long rejected, long repaired, long unrepaired,
                             long notInHudi, int incompleteHours) {
    public static Completeness of(List<HourCompleteness> hours) {
      long source = 0;
      long rejected = 0;
      long repaired = 0;
      long unrepaired = 0;
      long notInHudi = 0;
      int incomplete = 0;
      for (HourCompleteness h : hours) {
        source += h.sourceRows();
        rejected += h.rejected();
        repaired += h.repaired();
        unrepaired += h.unrepaired();
        notInHudi += h.notInHudi();
        incomplete += h.unrepaired() == 0 && h.notInHudi() == 0 ? 0 : 1;
      }
      return new Completeness(hours.size(), source, rejected, repaired, unrepaired, notInHudi, incomplete);
    }
  }

  public record Report(Instant generatedAt, Freshness freshness, List<StageFigures> stages,
                       List<MetricsScraper.TargetStatus> targets, long deadLettersTotal,
                       List<DeadLetterView.StageLetters> deadLetters, Instant deadLettersSince,
                       List<LateActivityCounts.Hour> latePerHour, Completeness completeness) {}

  /** The figures serving itself holds, read when the report is made. */
  public interface Sources {
    Instant newestSpeedUpdate();

    Instant batchHorizon();

    Completeness completenessSince(Instant from);
  }

  /** A stage's state: {@code not_watched} (no target configured), {@code down}, {@code up}. */
  static final String NOT_WATCHED = "not_watched";

  private final List<PipelineStages.Stage> stages;
  private final MetricsScraper metrics;
  private final DeadLetterView deadLetters;
  private final Instant deadLettersSince;
  private final LateActivityCounts late;
  private final Sources sources;
  private final Clock clock;

  /** @param deadLettersSince the oldest record time the dead-letter reader started from */
  public PipelineHealth(List<PipelineStages.Stage> stages, MetricsScraper metrics, DeadLetterView deadLetters,
                        Instant deadLettersSince, LateActivityCounts late, Sources sources, Clock clock) {
    this.stages = List.copyOf(stages);
    this.metrics = metrics;
    this.deadLetters = deadLetters;
    this.deadLettersSince = deadLettersSince;
    this.late = late;
    this.sources = sources;
    this.clock = clock;
  }

  public Report report() {
    Instant now = clock.instant();
    List<MetricsScraper.TargetStatus> targets = metrics.targets();
    List<StageFigures> figures = new ArrayList<>();
    for (PipelineStages.Stage s : stages) {
      String state = !metrics.watches(s.process()) ? NOT_WATCHED
          : targets.stream().anyMatch(t -> t.process().equals(s.process()) && t.up()) ? "up" : "down";
      figures.add(new StageFigures(s.chain(), s.id(), s.from(), s.to(), s.process(), state,
          value(metrics.rate(s.rate())), s.lagRecords() == null ? null : value(metrics.sum(s.lagRecords())),
          value(metrics.max(s.lagSeconds())),
          s.dlqStage() == null ? 0 : deadLetters.count(s.dlqStage(), s.dlqSourceTopic()),
          Stream.of(s.rate(), s.lagRecords(), s.lagSeconds()).filter(Objects::nonNull)
              .map(MetricQuery::metric).toList()));
    }
    Instant speed = sources.newestSpeedUpdate();
    Instant horizon = sources.batchHorizon();
    Freshness freshness = new Freshness(speed, speed == null ? null : seconds(speed, now), horizon,
        horizon == null ? null : seconds(horizon, now));
    return new Report(now, freshness, figures, targets, deadLetters.total(), deadLetters.byStage(), deadLettersSince,
        late.hours(now), sources.completenessSince(now.minus(Duration.ofDays(1))));
  }

  private static Double value(OptionalDouble d) {
    return d.isPresent() && Double.isFinite(d.getAsDouble()) ? d.getAsDouble() : null;
  }

  private static double seconds(Instant then, Instant now) {
    return Math.max(0, Duration.between(then, now).toMillis()) / 1000.0;
  }
}
