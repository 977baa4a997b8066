package org.activitypipeline.speed.enrich;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.activitypipeline.common.event.EmployeeChange;
import org.activitypipeline.common.json.InvalidRecordException;
import org.activitypipeline.common.json.Json;
import org.activitypipeline.common.time.EventWindows;
import org.activitypipeline.speed.employees.EmployeeDirectory;
import org.activitypipeline.speed.enrich.ActivityReader.ActivityFields;
import org.activitypipeline.speed.processor.ChangelogReader;
import org.activitypipeline.speed.processor.HeadOfLineWait;
import org.activitypipeline.speed.processor.Task;
import org.activitypipeline.speed.processor.TaskOutput;
import org.activitypipeline.speed.window.PartialAggregates;
import org.activitypipeline.speed.window.WatermarkMarker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The activity enricher for one raw-activities partition. Each activity goes out once to
 * {@code processed-activities} with the employee's attributes as of its event time (the directory's
 * version committed at or before it: a move committed after the event does not change where the
 * event counts, and a deleted employee's late uploads keep their last department) and the name the
 * department had then (a rename is history too), and is counted
 * into partial window aggregates unless it is late; a late one also goes to {@code late-activities}.
 *
 * <p><b>Lateness</b> is decided on arrival: an activity is late for a window when the window's end
 * plus the allowed lateness ({@code window.allowed-lateness}) is at or below this partition's watermark;
 * anything less late still updates its window. Judging by the partition's own progress (not
 * another partition's, not the wall clock) makes the decision the same live and in a replay.
 *
 * <p><b>CDC alignment.</b> An activity is enriched only once the directory is complete through its
 * event time ({@link EmployeeDirectory#completeThroughMillis}, the CDC stream's progress): a move
 * committed a moment before the event may still be on its way through cdc. Until then the partition
 * waits ({@link TaskOutput#retryLater}, nothing is buffered). Late events pass at once; an event dated
 * after its write time needs the progress only up to the write time (later commits cannot be waited
 * for: the batch layer has them). If the progress does not arrive within {@code cdcWaitMillis} (cdc
 * down), the activity and the partition's next ones go on with what the directory has, counted
 * {@code cdc_unaligned}, until one of them finds the progress past its time again.
 *
 * <p><b>Unknown employees.</b> An activity whose employee is not in the directory waits (in memory and
 * in the changelog, so it survives a crash) until the employee appears or the wait is over; then it
 * goes out, flagged {@code employee_known=false} if still unknown. While activities wait, the markers
 * this task sends do not pass the oldest waiting event time, so their windows stay open.
 *
 * <p><b>Future-dated activities</b> (event time more than {@code maxFutureSkewMillis} after the row's
 * write time, its {@code ingest_time}) are invalid: a device with a wrong clock must not move the
 * watermark (and with it the close of every window) into the future. They go to the dead-letter
 * topic with the reason and are neither published nor counted.
 *
 * <p><b>Idleness.</b> A partition without input for {@code idleTimeoutMillis} (wall clock) sends an
 * idle marker; window tasks then leave it out of their minimum until it has input again, so one quiet
 * partition does not keep every window open. It never goes idle while activities wait.
 *
 * <p><b>State</b> in the enrich changelog partition with this task's number: {@code ~wm} (highest
 * event time and last marker) and {@code p|<activity_id>} per waiting activity.
 */
public final class EnrichTask implements Task {
  static final String STAGE = "enrich";
  static final String LATE_HEADER = "late.windows";
  private static final byte[] WATERMARK_KEY = "~wm".getBytes(StandardCharsets.UTF_8);
  private static final String PENDING_PREFIX = "p|";
  private static final Duration CDC_RETRY = Duration.ofMillis(50);
  private static final Logger LOG = LoggerFactory.getLogger(EnrichTask.class);

  /** Topics and settings shared by all enrich tasks of a process. */
  public record Settings(String processedActivities, String lateActivities, String windowPartials,
                         int windowPartitions, String changelog, int rawPartitions, long allowedLatenessMillis,
                         long maxOutOfOrdernessMillis, long unknownEmployeeWaitMillis, long cdcWaitMillis,
                         long maxFutureSkewMillis, long idleTimeoutMillis) {
  }

  private final Settings settings;
  private final int partition;
  private final EmployeeDirectory directory;
  private final Clock clock;
  private final PartitionWatermark watermark;
  private final Map<String, PendingActivity> pending = new LinkedHashMap<>();
  private final PartialAggregates partials = new PartialAggregates();
  private final EnrichedActivityJson enrichedJson = new EnrichedActivityJson();
  private long emittedMarker = Long.MIN_VALUE;
  private boolean watermarkDirty;
  private boolean inputThisTurn;
  private long lastInputMillis;
  private boolean idle;
  private boolean idleChanged;
  private final HeadOfLineWait cdcWait;
  private boolean cdcWaitExpired;

  EnrichTask(Settings settings, int partition, EmployeeDirectory directory, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.partition = partition;
    this.directory = directory;
    this.watermark = new PartitionWatermark(settings.maxOutOfOrdernessMillis());
    this.cdcWait = new HeadOfLineWait(settings.cdcWaitMillis());
    this.lastInputMillis = clock.millis();
  }

  /** Builds the task of raw-activities partition {@code partition}, its state restored from the changelog. */
  public static EnrichTask restore(Settings settings, int partition, EmployeeDirectory directory,
                                   ChangelogReader reader, Clock clock) {
    EnrichTask t = new EnrichTask(settings, partition, directory, clock);
    reader.readAll(new TopicPartition(settings.changelog(), partition), t::restoreEntry);
    return t;
  }

  private void restoreEntry(byte[] key, byte[] value) {
    String k = new String(key, StandardCharsets.UTF_8);
    if (k.equals("~wm")) {
      if (value != null) {
        WatermarkState s = WatermarkState.fromJson(value);
        watermark.observe(s.maxEventMillis());
        emittedMarker = s.emittedMarker();
      }
    } else if (k.startsWith(PENDING_PREFIX)) {
      String id = k.substring(PENDING_PREFIX.length());
      if (value == null) {
        pending.remove(id);
      } else {
        pending.put(id, PendingActivity.fromJson(value));
      }
    }
  }

  @Override
  public void process(ConsumerRecord<byte[], byte[]> record, TaskOutput out) {
    inputThisTurn = true;
    ActivityFields a;
    try {
      a = ActivityReader.read(record.value());
    } catch (InvalidRecordException e) {
      out.deadLetter(record, STAGE, e.getMessage());
      return;
    }
    long eventMillis = a.eventMillis();
    // The poller always sets ingest_time; the record's timestamp (when it was produced, so no earlier
    // than the write) stands in for producers that do not.
    long writeMillis = a.writeMillis() != ActivityFields.NO_WRITE_TIME ? a.writeMillis() : record.timestamp();
    if (writeMillis >= 0 && eventMillis - writeMillis > settings.maxFutureSkewMillis()) {
      out.deadLetter(record, STAGE, "event_time " + Instant.ofEpochMilli(eventMillis) + " is "
          + Duration.ofMillis(eventMillis - writeMillis) + " after the write time " + Instant.ofEpochMilli(writeMillis)
          + ", more than the allowed future skew of " + Duration.ofMillis(settings.maxFutureSkewMillis())
          + " (enrich.max-future-skew)");
      return;
    }
    if (settings.cdcWaitMillis() > 0 && waitForCdc(record, Math.min(eventMillis, writeMillis < 0 ? eventMillis
        : writeMillis), out)) {
      return;
    }
    long wm = watermark.current();
    boolean lateHourly = EventWindows.hourEndMillis(eventMillis) + settings.allowedLatenessMillis() <= wm;
    boolean lateDaily = EventWindows.dayEndMillis(eventMillis) + settings.allowedLatenessMillis() <= wm;
    if (watermark.observe(eventMillis)) {
      watermarkDirty = true;
    }
    if (!pending.isEmpty() && pending.containsKey(a.activityId())) {
      // The same activity again while its first copy waits: it goes out once, with the first copy.
      out.count(STAGE, "duplicate", 1);
      return;
    }
    EmployeeChange employee = directory.employeeAt(a.employeeId(), eventMillis);
    if (needsToWait(employee) && settings.unknownEmployeeWaitMillis() > 0) {
      PendingActivity p = new PendingActivity(new String(record.value(), StandardCharsets.UTF_8), a.employeeId(),
          eventMillis, clock.millis(), lateHourly, lateDaily);
      pending.put(a.activityId(), p);
      out.send(settings.changelog(), partition, pendingKey(a.activityId()), p.toJson(), null);
      out.count(STAGE, "waiting", 1);
      return;
    }
    emit(out, a, record.value(), employee, lateHourly, lateDaily);
  }

  /**
   * Holds the partition at {@code record} while the directory is not complete through {@code needMillis}.
   *
   * @return true if the record was left for a retry
   */
  private boolean waitForCdc(ConsumerRecord<byte[], byte[]> record, long needMillis, TaskOutput out) {
    long progress = directory.completeThroughMillis();
    if (progress >= needMillis) {
      if (cdcWaitExpired) {
        cdcWaitExpired = false;
        LOG.info("event=cdc_aligned_again partition={} progress={}", partition, Instant.ofEpochMilli(progress));
      }
      cdcWait.release();
      return false;
    }
    if (!cdcWaitExpired) {
      long now = clock.millis();
      if (cdcWait.mayHold(record.offset(), now)) {
        out.retryLater(record, CDC_RETRY);
        return true;
      }
      cdcWaitExpired = true;
      LOG.warn("event=cdc_wait_expired partition={} event_time={} progress={} waited_ms={} (enrich.cdc-wait):"
          + " enriching with the directory as it is until the cdc progress passes an activity again", partition,
          Instant.ofEpochMilli(needMillis), progress == Long.MIN_VALUE ? "none" : Instant.ofEpochMilli(progress),
          cdcWait.heldMillis(now));
      cdcWait.release();
    }
    out.count(STAGE, "cdc_unaligned", 1);
    return false;
  }

  /**
   * Unknown employee, or a known one whose department has no name yet (its department change is
   * still on its way through another task): enriching now would publish a wrong department.
   */
  private boolean needsToWait(EmployeeChange employee) {
    return employee == null || (employee.departmentId() != null && employee.departmentName() == null
        && directory.departmentName(employee.departmentId()) == null);
  }

  private void emit(TaskOutput out, ActivityFields a, byte[] activityJson, EmployeeChange employee,
                    boolean lateHourly, boolean lateDaily) {
    // The department's name when the event happened: a rename after it does not rename it.
    String deptName = employee == null ? null : directory.departmentNameAt(employee.departmentId(), a.eventMillis());
    byte[] key = Long.toString(a.employeeId()).getBytes(StandardCharsets.UTF_8);
    byte[] value = enrichedJson.encode(activityJson, employee, deptName, clock.millis());
    out.send(settings.processedActivities(), key, value);
    long eventMillis = a.eventMillis();
    if (!lateHourly) {
      partials.addHourly(Enrichment.aggregationDepartment(employee, deptName), a.activityType(), a.employeeId(),
          a.durationSeconds(), eventMillis);
    }
    if (!lateDaily) {
      partials.addDaily(a.deviceType(), a.activityType(), a.employeeId(), eventMillis);
    }
    if (lateHourly || lateDaily) {
      RecordHeaders h = new RecordHeaders();
      h.add(LATE_HEADER, (lateHourly && lateDaily ? "hourly,daily" : lateHourly ? "hourly" : "daily")
          .getBytes(StandardCharsets.UTF_8));
      out.send(settings.lateActivities(), null, key, value, h);
      out.count(STAGE, "late", 1);
    }
    out.count(STAGE, employee == null ? "unknown_employee" : "ok", 1);
  }

  @Override
  public void punctuate(TaskOutput out, long nowMillis) {
    trackIdleness(nowMillis);
    if (pending.isEmpty()) {
      return;
    }
    Iterator<Map.Entry<String, PendingActivity>> it = pending.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, PendingActivity> e = it.next();
      PendingActivity p = e.getValue();
      EmployeeChange employee = directory.employeeAt(p.employeeId(), p.eventMillis());
      if (needsToWait(employee) && nowMillis - p.arrivedMillis() < settings.unknownEmployeeWaitMillis()) {
        continue;
      }
      byte[] activityJson = p.activity().getBytes(StandardCharsets.UTF_8);
      emit(out, ActivityReader.read(activityJson), activityJson, employee, p.lateHourly(), p.lateDaily());
      out.send(settings.changelog(), partition, pendingKey(e.getKey()), null, null);
      it.remove();
    }
  }

  /** Called once per loop turn, after the turn's records. */
  private void trackIdleness(long nowMillis) {
    if (inputThisTurn) {
      inputThisTurn = false;
      lastInputMillis = nowMillis;
      if (idle) {
        idle = false;
        idleChanged = true;
      }
    } else if (!idle && settings.idleTimeoutMillis() > 0 && pending.isEmpty()
        && nowMillis - lastInputMillis >= settings.idleTimeoutMillis()) {
      idle = true;
      idleChanged = true;
    }
  }

  @Override
  public void flush(TaskOutput out, long nowMillis) {
    partials.flushTo(out, settings.windowPartials());
    long marker = watermark.current();
    for (PendingActivity p : pending.values()) {
      marker = Math.min(marker, p.eventMillis() - 1);
    }
    boolean markerMoved = marker > emittedMarker;
    if (markerMoved || idleChanged) {
      long sent = Math.max(marker, emittedMarker);
      byte[] value = new WatermarkMarker(partition, settings.rawPartitions(), sent, idle).toJson();
      for (int q = 0; q < settings.windowPartitions(); q++) {
        out.send(settings.windowPartials(), q, WatermarkMarker.KEY.getBytes(StandardCharsets.UTF_8), value, null);
      }
      emittedMarker = sent;
      idleChanged = false;
    }
    if (markerMoved || watermarkDirty) {
      out.send(settings.changelog(), partition, WATERMARK_KEY,
          new WatermarkState(watermark.maxEventMillis(), emittedMarker).toJson(), null);
      watermarkDirty = false;
    }
  }

  @Override
  public long stateSize() {
    return pending.size();
  }

  private static byte[] pendingKey(String activityId) {
    return (PENDING_PREFIX + activityId).getBytes(StandardCharsets.UTF_8);
  }

  /** The {@code ~wm} changelog entry. */
  record WatermarkState(long maxEventMillis, long emittedMarker) {
    byte[] toJson() {
      return Json.write(this);
    }

    static WatermarkState fromJson(byte[] bytes) {
      return Json.read(bytes, WatermarkState.class, "watermark state");
    }
  }
}
