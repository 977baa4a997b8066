package org.activitypipeline.serving.batch;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.activitypipeline.common.time.EventWindows;
import org.activitypipeline.lakehouse.hudi.HudiSnapshot;
import org.activitypipeline.lakehouse.hudi.HudiTable;
import org.activitypipeline.serving.lambda.DailyQuery;
import org.activitypipeline.serving.lambda.DailyWindow;
import org.activitypipeline.serving.lambda.HourlyQuery;
import org.activitypipeline.serving.lambda.HourlyWindow;
import org.apache.avro.generic.GenericRecord;

/**
 * The batch views ({@code hourly_activity_agg}, {@code daily_device_agg}, Hudi on HDFS) as the
 * API needs them: the windows of a query that end at or before the batch horizon.
 *
 * <p>Two Caffeine caches sit in front of Hudi: whole event-date partitions of a view (bounded by
 * rows), and query results (bounded by their estimated heap, {@link ResultWeights}). Both are keyed by the {@link LakehouseSnapshot} the request was served
 * under, so a new commit or horizon makes older entries unreachable (and {@link #invalidate()}
 * frees them). With caching off every request reads the partitions it needs from Hudi.
 *
 * <p>Thread-safe. Hudi or HDFS failures surface as {@link BatchViewsUnavailableException}.
 */
public final class BatchViews {
  private record PartitionKey(String instant, LocalDate date) {}

  private record HourlyKey(HourlyQuery query, LakehouseSnapshot snapshot) {}

  private record DailyKey(DailyQuery query, LakehouseSnapshot snapshot) {}

  private final HudiTable hourlyTable;
  private final HudiTable dailyTable;
  private final boolean cacheEnabled;
  private final Cache<PartitionKey, List<HourlyWindow>> hourlyPartitions;
  private final Cache<PartitionKey, List<DailyWindow>> dailyPartitions;
  private final Cache<HourlyKey, List<HourlyWindow>> hourlyResults;
  private final Cache<DailyKey, List<DailyWindow>> dailyResults;
  /** One open snapshot per table and commit: the timeline is loaded once per commit, not per partition read. */
  private final Cache<String, HudiSnapshot> snapshots = Caffeine.newBuilder().maximumSize(4).build();

  public BatchViews(HudiTable hourlyTable, HudiTable dailyTable, boolean cacheEnabled, long maxPartitionRows,
                    long maxResultBytes, MeterRegistry registry) {
    this.hourlyTable = hourlyTable;
    this.dailyTable = dailyTable;
    this.cacheEnabled = cacheEnabled;
    // The two partition caches share the row budget evenly; a list's weight is its row count.
    this.hourlyPartitions = Caffeine.newBuilder().maximumWeight(Math.max(1, maxPartitionRows / 2))
        .<PartitionKey, List<HourlyWindow>>weigher((k, v) -> Math.max(1, v.size())).recordStats().build();
    this.dailyPartitions = Caffeine.newBuilder().maximumWeight(Math.max(1, maxPartitionRows / 2))
        .<PartitionKey, List<DailyWindow>>weigher((k, v) -> Math.max(1, v.size())).recordStats().build();
    // The two result caches share the byte budget evenly; a result larger than its half is not kept.
    this.hourlyResults = Caffeine.newBuilder().maximumWeight(Math.max(1, maxResultBytes / 2))
        .<HourlyKey, List<HourlyWindow>>weigher((k, v) -> ResultWeights.hourly(v)).recordStats().build();
    this.dailyResults = Caffeine.newBuilder().maximumWeight(Math.max(1, maxResultBytes / 2))
        .<DailyKey, List<DailyWindow>>weigher((k, v) -> ResultWeights.daily(v)).recordStats().build();
    CaffeineCacheMetrics.monitor(registry, hourlyPartitions, "batch_hourly_partitions");
    CaffeineCacheMetrics.monitor(registry, dailyPartitions, "batch_daily_partitions");
    CaffeineCacheMetrics.monitor(registry, hourlyResults, "batch_hourly_results");
    CaffeineCacheMetrics.monitor(registry, dailyResults, "batch_daily_results");
  }

  /** The query's hourly windows that end at or before the snapshot's horizon (none without a horizon). */
  public List<HourlyWindow> hourly(HourlyQuery q, LakehouseSnapshot snapshot) {
    if (snapshot.horizon() == null || snapshot.hourlyInstant() == null) {
      return List.of();
    }
    return cacheEnabled ? hourlyResults.get(new HourlyKey(q, snapshot), k -> loadHourly(q, snapshot))
        : loadHourly(q, snapshot);
  }

  public List<DailyWindow> daily(DailyQuery q, LakehouseSnapshot snapshot) {
    if (snapshot.horizon() == null || snapshot.dailyInstant() == null) {
      return List.of();
    }
    return cacheEnabled ? dailyResults.get(new DailyKey(q, snapshot), k -> loadDaily(q, snapshot))
        : loadDaily(q, snapshot);
  }

  private List<HourlyWindow> loadHourly(HourlyQuery q, LakehouseSnapshot s) {
    // Windows in the range that end by the horizon start at or before horizon - 1h.
    Instant lastStart = min(q.to().minusNanos(1), s.horizon().minusSeconds(3600));
    List<HourlyWindow> out = new ArrayList<>();
    if (lastStart.isBefore(q.from())) {
      return out;
    }
    for (LocalDate d = EventWindows.utcDay(q.from()); !d.isAfter(EventWindows.utcDay(lastStart)); d = d.plusDays(1)) {
      for (HourlyWindow w : partition(hourlyPartitions, hourlyTable, s.hourlyInstant(), d, BatchViewRows::hourly)) {
        if (q.matches(w) && !w.windowEnd().isAfter(s.horizon())) {
          out.add(w);
        }
      }
    }
    return List.copyOf(out);
  }

  private List<DailyWindow> loadDaily(DailyQuery q, LakehouseSnapshot s) {
    // A day ends at the next midnight: the days up to the one before the horizon's day are complete.
    LocalDate lastDay = EventWindows.utcDay(s.horizon()).minusDays(1);
    LocalDate to = q.to().isBefore(lastDay) ? q.to() : lastDay;
    List<DailyWindow> out = new ArrayList<>();
    for (LocalDate d = q.from(); !d.isAfter(to); d = d.plusDays(1)) {
      for (DailyWindow w : partition(dailyPartitions, dailyTable, s.dailyInstant(), d, BatchViewRows::daily)) {
        if (q.matches(w)) {
          out.add(w);
        }
      }
    }
    return List.copyOf(out);
  }

  private <W> List<W> partition(Cache<PartitionKey, List<W>> cache, HudiTable table, String instant, LocalDate date,
                                Function<GenericRecord, W> row) {
    Function<PartitionKey, List<W>> load = k -> {
      List<W> rows = new ArrayList<>();
      try {
        HudiSnapshot snapshot = snapshots.get(table.spec().name() + "@" + instant, t -> table.snapshot());
        snapshot.read(table.partitionPath(date.toString()), r -> rows.add(row.apply(r)));
      } catch (RuntimeException e) {
        throw new BatchViewsUnavailableException(table.spec().name() + " partition " + date + ": " + e.getMessage(), e);
      }
      return List.copyOf(rows);
    };
    PartitionKey key = new PartitionKey(instant, date);
    return cacheEnabled ? cache.get(key, load) : load.apply(key);
  }

  /** Frees every cached entry (they are unreachable once the snapshot changed). */
  public void invalidate() {
    snapshots.invalidateAll();
    hourlyPartitions.invalidateAll();
    dailyPartitions.invalidateAll();
    hourlyResults.invalidateAll();
    dailyResults.invalidateAll();
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
