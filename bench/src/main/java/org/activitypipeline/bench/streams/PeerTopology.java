package org.activitypipeline.bench.streams;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.activitypipeline.common.event.Activity;
import org.activitypipeline.common.event.DailyDeviceAggregate;
import org.activitypipeline.common.event.HourlyActivityAggregate;
import org.activitypipeline.common.json.InvalidRecordException;
import org.activitypipeline.common.json.JsonCodec;
import org.activitypipeline.common.time.EventWindows;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The speed layer's activity topology in the Kafka Streams DSL, written the way a Streams user would:
 *
 * <pre>
 * raw-activities ─► parse (event time becomes the record timestamp)
 *                ─► leftJoin GlobalKTable(processed-employees) ─► processed-activities
 *                     ├─► key (department, activity type) ─► hourly-repartition ─► 1 h windows, grace ─► hourly topic
 *                     └─► key device type                ─► daily-repartition  ─► 1 day windows, grace ─► daily topic
 * </pre>
 *
 * <p>Differences from the processor that Streams imposes (docs/BENCHMARKS.md): a record past its
 * window's end + grace by the aggregation task's stream time is dropped (counted in the
 * {@code dropped-records} metric), not sent to late-activities; stream time is the highest timestamp
 * the aggregation task has seen on its repartition partition, whatever the input partition, not a
 * minimum over the input partitions; an activity whose employee is not in the table is joined at once
 * as {@code unknown} instead of waiting; windows are never marked final ({@code is_final} is always
 * false: Streams only knows that with {@code suppress}, which would hide the updates); the department
 * name is the one on the employee's last change. Bad input is skipped instead of going to the DLQ.
 */
final class PeerTopology {
  static final String HOURLY = "hourly";
  static final String DAILY = "daily";
  private static final char SEP = '|';
  private static final JsonCodec<Activity> ACTIVITY = JsonCodec.of(Activity.class, Activity.SCHEMA_VERSION);
  private static final JsonCodec<HourlyActivityAggregate> HOURLY_CODEC =
      JsonCodec.of(HourlyActivityAggregate.class, HourlyActivityAggregate.SCHEMA_VERSION);
  private static final JsonCodec<DailyDeviceAggregate> DAILY_CODEC =
      JsonCodec.of(DailyDeviceAggregate.class, DailyDeviceAggregate.SCHEMA_VERSION);

  private PeerTopology() {
  }

  /** @param skipped counts raw records that could not be parsed (skipped, see {@link ParseActivity}) */
  static Topology build(PeerSettings s, AtomicLong skipped) {
    StreamsBuilder b = new StreamsBuilder();
    GlobalKTable<String, PeerEmployee> employees = b.globalTable(s.processedEmployees(),
        Consumed.with(Serdes.String(), PeerEmployee.serde()), Materialized.as("employees"));
    KStream<String, Enriched> enriched = b.stream(s.rawActivities(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
        .processValues(() -> new ParseActivity(skipped), Named.as("parse"))
        .leftJoin(employees, (employeeId, parsed) -> employeeId, Enriched::join, Named.as("enrich"));
    enriched.mapValues(e -> e.toJson(Instant.now()), Named.as("enriched-json"))
        .to(s.processedActivities(), Produced.with(Serdes.String(), Serdes.ByteArray()));

    enriched.map((k, e) -> KeyValue.pair(e.department() + SEP + e.activity().activityType(), hit(e)),
            Named.as(HOURLY + "-key"))
        .groupByKey(Grouped.with(HOURLY, Serdes.String(), Hit.serde()))
        .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofHours(1), s.grace()))
        .aggregate(WindowState::new, (k, hit, state) -> state.add(hit, false), Named.as(HOURLY + "-aggregate"),
            Materialized.<String, WindowState, WindowStore<Bytes, byte[]>>as(HOURLY + "-store")
                .withKeySerde(Serdes.String()).withValueSerde(WindowState.serde()))
        .toStream(Named.as(HOURLY + "-updates"))
        .map(PeerTopology::hourlyRecord, Named.as(HOURLY + "-json"))
        .to(s.hourly(), Produced.with(Serdes.String(), Serdes.ByteArray()));

    enriched.map((k, e) -> KeyValue.pair(e.activity().deviceType(), hit(e)), Named.as(DAILY + "-key"))
        .groupByKey(Grouped.with(DAILY, Serdes.String(), Hit.serde()))
        .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofDays(1), s.grace()))
        .aggregate(WindowState::new, (k, hit, state) -> state.add(hit, true), Named.as(DAILY + "-aggregate"),
            Materialized.<String, WindowState, WindowStore<Bytes, byte[]>>as(DAILY + "-store")
                .withKeySerde(Serdes.String()).withValueSerde(WindowState.serde()))
        .toStream(Named.as(DAILY + "-updates"))
        .map(PeerTopology::dailyRecord, Named.as(DAILY + "-json"))
        .to(s.daily(), Produced.with(Serdes.String(), Serdes.ByteArray()));
    return b.build();
  }

  private static Hit hit(Enriched e) {
    Activity a = e.activity();
    return new Hit(a.employeeId(), a.durationSeconds(), a.eventTime().toEpochMilli(), a.activityType());
  }

  /** Same key and JSON as the processor's hourly topic; {@code is_final} is always false (see class doc). */
  static KeyValue<String, byte[]> hourlyRecord(Windowed<String> w, WindowState s) {
    String group = w.key();
    int sep = group.indexOf(SEP);
    HourlyActivityAggregate a = new HourlyActivityAggregate(HourlyActivityAggregate.SCHEMA_VERSION,
        group.substring(0, sep), group.substring(sep + 1), w.window().startTime(), w.window().endTime(), s.count(),
        s.uniqueEmployees(), s.totalDurationSeconds(), (double) s.totalDurationSeconds() / s.count(),
        Instant.ofEpochMilli(s.firstEventMillis()), Instant.ofEpochMilli(s.lastEventMillis()), false, Instant.now());
    return KeyValue.pair(a.key(), HOURLY_CODEC.encode(a));
  }

  static KeyValue<String, byte[]> dailyRecord(Windowed<String> w, WindowState s) {
    DailyDeviceAggregate a = new DailyDeviceAggregate(DailyDeviceAggregate.SCHEMA_VERSION, w.key(),
        EventWindows.utcDay(w.window().startTime()), s.count(), s.uniqueEmployees(), s.countsByActivityType(), false,
        Instant.now());
    return KeyValue.pair(a.key(), DAILY_CODEC.encode(a));
  }

  /**
   * Decodes each raw activity once and makes its event time the record's timestamp, which drives the
   * windows downstream (and travels with the record through the repartition topics). Undecodable or
   * incomplete records are skipped and counted; the processor would dead-letter them.
   */
  static final class ParseActivity implements FixedKeyProcessor<String, byte[], Enriched.Parsed> {
    private final AtomicLong skipped;
    private FixedKeyProcessorContext<String, Enriched.Parsed> context;

    ParseActivity(AtomicLong skipped) {
      this.skipped = skipped;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Enriched.Parsed> context) {
      this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
      Activity a;
      try {
        a = ACTIVITY.decode(record.value());
      } catch (InvalidRecordException e) {
        skipped.incrementAndGet();
        return;
      }
      if (a.eventTime() == null || a.activityType() == null || a.deviceType() == null || record.key() == null) {
        skipped.incrementAndGet();
        return;
      }
      context.forward(record.withValue(new Enriched.Parsed(record.value(), a))
          .withTimestamp(a.eventTime().toEpochMilli()));
    }
  }
}
