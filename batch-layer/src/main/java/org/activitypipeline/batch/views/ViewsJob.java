package org.activitypipeline.batch.views;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.activitypipeline.batch.job.BatchJob;
import org.activitypipeline.batch.lock.TableLocks;
import org.activitypipeline.common.json.Json;
import org.activitypipeline.common.time.EventWindows;
import org.activitypipeline.common.time.WindowAccumulator;
import org.activitypipeline.lakehouse.BatchHorizon;
import org.activitypipeline.lakehouse.DailyDeviceAggRow;
import org.activitypipeline.lakehouse.HourlyActivityAggRow;
import org.activitypipeline.lakehouse.Tables;
import org.activitypipeline.lakehouse.hudi.HudiSettings;
import org.activitypipeline.lakehouse.hudi.HudiTable;
import org.activitypipeline.lakehouse.hudi.HudiTableSpec;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recomputes the batch views {@code hourly_activity_agg} and {@code daily_device_agg} for every
 * event date that {@code employee_activity} commits touched since the last run (late events
 * included: they land in their own date's partition), or for all dates ({@code views-full}).
 * A date is always recomputed whole from the master data, so the result does not depend on what
 * earlier runs did; windows that no longer exist (a department renamed in history) are deleted.
 * {@code batch_views_rows_total{view}} counts the rows each run writes to a view, deletes included.
 */
public final class ViewsJob implements BatchJob {

  public static final String NAME = "views";
  public static final String FULL_NAME = "views-full";
  /** Commit metadata of the view tables: the newest employee_activity instant the views include. */
  public static final String SOURCE_KEY = "activitypipeline.views.source-instant";
  /** Commit metadata of the view tables: the newest employee_changes instant the views include. */
  public static final String SOURCE_CHANGES_KEY = "activitypipeline.views.changes-instant";
  /** Commit metadata of the view tables: the newest department_changes instant the views include. */
  public static final String SOURCE_DEPARTMENTS_KEY = "activitypipeline.views.departments-instant";
  static final long FIRST_VERSION_REACH_HOURS = 1;
  private static final Logger log = LoggerFactory.getLogger(ViewsJob.class);

  private final HudiSettings hudi;
  private final TableLocks locks;
  private final Duration horizonLag;
  private final boolean full;
  private final Clock clock;
  private final MeterRegistry metrics;

  /**
   * @param horizonLag how far behind the newest ingested event time the horizon stays (the newest
   *     hour is still filling)
   */
  public ViewsJob(HudiSettings hudi, TableLocks locks, Duration horizonLag, boolean full, Clock clock,
                  MeterRegistry metrics) {
    this.hudi = hudi;
    this.locks = locks;
    this.horizonLag = horizonLag;
    this.full = full;
    this.clock = clock;
    this.metrics = metrics;
  }

  @Override
  public String name() {
    return full ? FULL_NAME : NAME;
  }

  @Override
  public String run() {
    HudiTable activity = new HudiTable(Tables.EMPLOYEE_ACTIVITY, hudi);
    HudiTable hourly = new HudiTable(Tables.HOURLY_ACTIVITY_AGG, hudi);
    HudiTable daily = new HudiTable(Tables.DAILY_DEVICE_AGG, hudi);
    Optional<String> sourceNow = activity.latestInstant();
    if (sourceNow.isEmpty()) {
      return "no activity ingested yet";
    }
    String last = full ? null : oldestSource(hourly, daily, SOURCE_KEY);
    Optional<String> earliestActive = activity.earliestActiveInstant();
    if (sourceArchived(last, earliestActive)) {
      // The commits since the views' source may be partly archived: commitsAfter would miss their dates.
      log.info("event=views_recompute_all reason=source_archived source={} earliest_active={}", last,
          earliestActive.orElse(null));
      last = null;
    }
    Set<String> partitions = new TreeSet<>();
    if (last == null) {
      partitions.addAll(activity.partitions());
    } else {
      for (HudiTable.CommitInfo c : activity.commitsAfter(last)) {
        if (c.instant().compareTo(sourceNow.get()) <= 0) {
          partitions.addAll(c.partitions());
        }
      }
    }
    // Employee changes that arrived after the activities they concern (a cdc outage, a slow ingest)
    // change the department of activities already in the views: their dates are recomputed too.
    HudiTable changesTable = new HudiTable(Tables.EMPLOYEE_CHANGES, hudi);
    Optional<String> changesNow = changesTable.latestInstant();
    List<GenericRecord> changes = changesNow.isPresent() ? changesTable.readAll() : List.of();
    // Department states (renames) likewise change the name of activities from their commit time on.
    HudiTable departmentsTable = new HudiTable(Tables.DEPARTMENT_CHANGES, hudi);
    Optional<String> departmentsNow = departmentsTable.latestInstant();
    List<GenericRecord> departmentStates = departmentsNow.isPresent() ? departmentsTable.readAll() : List.of();
    if (last != null) {
      LocalDate from = earliest(
          changesNow.isPresent()
              ? earliestDateChangedBy(changes, oldestSource(hourly, daily, SOURCE_CHANGES_KEY), "employee_id") : null,
          departmentsNow.isPresent()
              ? earliestDateChangedBy(departmentStates, oldestSource(hourly, daily, SOURCE_DEPARTMENTS_KEY),
                  "department_id") : null);
      if (from != null) {
        for (String p : activity.partitions()) {
          if (!LocalDate.parse(p.substring(p.indexOf('=') + 1)).isBefore(from)) {
            partitions.add(p);
          }
        }
      }
    }
    if (partitions.isEmpty()) {
      return "up to date at " + sourceNow.get();
    }
    long started = System.nanoTime();
    PointInTimeDepartments departments = PointInTimeDepartments.of(changes, departmentStates);
    long now = clock.millis();
    List<GenericRecord> hourlyRows = new ArrayList<>();
    List<GenericRecord> dailyRows = new ArrayList<>();
    long maxEventMs = Long.MIN_VALUE;
    for (String partition : partitions) {
      String date = partition.substring(partition.indexOf('=') + 1);
      ViewAggregates agg = new ViewAggregates(date, departments);
      activity.read(partition, agg::add);
      maxEventMs = Math.max(maxEventMs, agg.maxEventMs());
      Set<String> hourlyKeys = new HashSet<>();
      for (ViewAggregates.Hourly h : agg.hourly()) {
        hourlyRows.add(hourlyRow(h, date, now));
        hourlyKeys.add(h.key());
      }
      Set<String> dailyKeys = new HashSet<>();
      for (ViewAggregates.Daily d : agg.daily()) {
        dailyRows.add(dailyRow(agg, d, now));
        dailyKeys.add(agg.dailyKey(d));
      }
      deleteVanished(hourly, partition, hourlyKeys, Tables.hourlyActivityAgg(), date, now, hourlyRows);
      deleteVanished(daily, partition, dailyKeys, Tables.dailyDeviceAgg(), date, now, dailyRows);
    }
    Map<String, String> meta = new HashMap<>(Map.of(SOURCE_KEY, sourceNow.get()));
    changesNow.ifPresent(i -> meta.put(SOURCE_CHANGES_KEY, i));
    departmentsNow.ifPresent(i -> meta.put(SOURCE_DEPARTMENTS_KEY, i));
    try (TableLocks.Held lock = locks.acquire(hourly.spec().name())) {
      hourly.upsert(Tables.hourlyActivityAgg(), hourlyRows, meta);
    }
    rowsWritten(hourly).increment(hourlyRows.size());
    try (TableLocks.Held lock = locks.acquire(daily.spec().name())) {
      daily.upsert(Tables.dailyDeviceAgg(), dailyRows, meta);
    }
    rowsWritten(daily).increment(dailyRows.size());
    Instant horizon = advanceHorizon(maxEventMs, sourceNow.get());
    log.info("event=views_recomputed dates={} hourly_rows={} daily_rows={} employees={} horizon={} duration_ms={}",
        partitions.size(), hourlyRows.size(), dailyRows.size(), departments.employees(), horizon,
        (System.nanoTime() - started) / 1_000_000);
    return "dates=" + partitions.size() + " hourly_rows=" + hourlyRows.size() + " daily_rows=" + dailyRows.size()
        + " horizon=" + horizon + " source=" + sourceNow.get();
  }

  private Counter rowsWritten(HudiTable view) {
    return Counter.builder("batch_views_rows").tag("view", view.spec().name())
        .description("Rows the views jobs wrote to the batch view (recomputed windows and deletes)").register(metrics);
  }

  /**
   * True when the views' source instant is no longer on the active timeline: archival took it and
   * perhaps commits after it, whose dates then only a recompute of every date can cover.
   */
  static boolean sourceArchived(String lastSource, Optional<String> earliestActive) {
    return lastSource != null && earliestActive.isPresent() && earliestActive.get().compareTo(lastSource) > 0;
  }

  /**
   * The earliest date whose activities may have a different department (or department name) because
   * of the versions in {@code changes} (employee changes or department states, one row per version,
   * keyed by {@code keyField}) committed to their table after {@code afterInstant} (null: all of them):
   * the date of each such version's commit time, and for a key's first version (it also decides the
   * earlier activities) {@value #FIRST_VERSION_REACH_HOURS} hour before, which covers activities whose
   * clocks ran ahead of the database's. A version without a commit time is valid since ever: every
   * date. Null when no version is newer.
   */
  static LocalDate earliestDateChangedBy(List<GenericRecord> changes, String afterInstant, String keyField) {
    Map<Long, Long> firstVersionMs = new HashMap<>();
    for (GenericRecord r : changes) {
      firstVersionMs.merge((Long) r.get(keyField), sinceMs(r), Math::min);
    }
    long earliest = Long.MAX_VALUE;
    for (GenericRecord r : changes) {
      Object committed = r.get(HudiTableSpec.COMMIT_TIME_FIELD);
      if (afterInstant != null && committed != null && committed.toString().compareTo(afterInstant) <= 0) {
        continue;
      }
      long since = sinceMs(r);
      if (since == Long.MIN_VALUE) {
        return LocalDate.MIN;
      }
      if (since == firstVersionMs.get((Long) r.get(keyField))) {
        since -= FIRST_VERSION_REACH_HOURS * EventWindows.HOUR_MILLIS;
      }
      earliest = Math.min(earliest, since);
    }
    return earliest == Long.MAX_VALUE ? null : LocalDate.ofInstant(Instant.ofEpochMilli(earliest), ZoneOffset.UTC);
  }

  private static long sinceMs(GenericRecord r) {
    Object t = r.get("source_time_ms");
    return t == null ? Long.MIN_VALUE : (Long) t;
  }

  private static LocalDate earliest(LocalDate a, LocalDate b) {
    return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
  }

  /** The older of the two views' source instants under {@code key}; null when either has none. */
  private static String oldestSource(HudiTable hourly, HudiTable daily, String key) {
    Optional<String> h = hourly.latestCommitMetadataWith(key).map(m -> m.get(key));
    Optional<String> d = daily.latestCommitMetadataWith(key).map(m -> m.get(key));
    if (h.isEmpty() || d.isEmpty()) {
      return null;
    }
    return h.get().compareTo(d.get()) <= 0 ? h.get() : d.get();
  }

  /** Adds delete rows for the keys a partition of a view holds that the recompute did not produce. */
  private static void deleteVanished(HudiTable view, String partition, Set<String> keep, Schema schema, String date,
                                     long now, List<GenericRecord> out) {
    Map<String, GenericRecord> vanished = new HashMap<>();
    view.read(partition, r -> {
      String key = r.get("window_key").toString();
      if (!keep.contains(key)) {
        vanished.put(key, r);
      }
    });
    for (GenericRecord old : vanished.values()) {
      GenericRecord r = new GenericData.Record(schema);
      for (Schema.Field f : schema.getFields()) {
        Object v = old.get(f.name());
        r.put(f.name(), v);
      }
      r.put("computed_at_ms", now);
      r.put("event_date", date);
      r.put(HudiTableSpec.DELETED_FIELD, true);
      out.add(r);
    }
  }

  /**
   * Moves the horizon to the hour of the newest event time the views include, minus the lag, under a
   * lock of its own so that two views jobs (incremental and full, on two nodes) cannot interleave their
   * read, decide and write. It never moves back, and never past the wall clock: an event dated ahead
   * that reached the table (the speed layer rejects those now, older data may hold some) must not make
   * every future window "final" in batch.
   */
  private Instant advanceHorizon(long maxEventMs, String sourceInstant) {
    try (TableLocks.Held lock = locks.acquire(BatchHorizon.FILE)) {
      Instant previous = BatchHorizon.read(hudi.lakehouse(), HudiTable.hadoopConf(hudi))
          .map(BatchHorizon::horizon).orElse(Instant.EPOCH);
      if (maxEventMs == Long.MIN_VALUE) {
        return previous;
      }
      Instant horizon = nextHorizon(previous, maxEventMs, clock.millis(), horizonLag);
      new BatchHorizon(horizon, clock.instant(), sourceInstant).write(hudi.lakehouse(), HudiTable.hadoopConf(hudi));
      return horizon;
    }
  }

  /**
   * The start of the hour holding {@code min(newest event, now) - lag}, or {@code previous} if that is
   * not later.
   */
  static Instant nextHorizon(Instant previous, long maxEventMs, long nowMs, Duration lag) {
    long newest = Math.min(maxEventMs, nowMs);
    long candidate = EventWindows.hourStartMillis(newest - lag.toMillis());
    return candidate > previous.toEpochMilli() ? Instant.ofEpochMilli(candidate) : previous;
  }

  private static GenericRecord hourlyRow(ViewAggregates.Hourly h, String date, long now) {
    WindowAccumulator v = h.values;
    return new HourlyActivityAggRow(h.department, h.activityType, h.windowStartMs, v.count(), v.uniqueEmployees(),
        v.totalDurationSeconds(), v.firstEventMillis(), v.lastEventMillis(), now, date).toAvro();
  }

  private static GenericRecord dailyRow(ViewAggregates agg, ViewAggregates.Daily d, long now) {
    return new DailyDeviceAggRow(d.deviceType, agg.eventDate(), d.values.count(), d.values.uniqueEmployees(),
        d.values.countsByActivityType(), now).toAvro();
  }
}
