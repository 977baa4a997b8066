package org.activitypipeline.bench.speed;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.Map;
import org.activitypipeline.bench.processor.BenchInput;
import org.apache.kafka.common.header.Header;

/**
 * Checks a run's output against the generator's record before its speed may count.
 *
 * <p><b>Processor</b> (exact): every activity once in processed-activities; late-activities holds
 * exactly the events that are late by the per-partition rule, each with the right {@code late.windows}
 * header; every hourly and daily window's latest value equals the reference computed from the input
 * without those late events.
 *
 * <p><b>Kafka Streams peer</b>: every activity once in processed-activities; the records it dropped
 * (its {@code dropped-records} metric) are exactly the input missing from the hourly plus the daily
 * windows (nothing else lost or double counted); no window counts more events than the input has for
 * it. Which events it drops depends on its stream time, i.e. on the order it happened to process the
 * partitions in, so its windows are compared with the references and the processor, not required equal.
 */
final class Verifier {
  private final BenchKafka kafka;

  Verifier(BenchKafka kafka) {
    this.kafka = kafka;
  }

  /** What a verified run produced. */
  record Result(long lateHourly, long lateDaily, Map<String, WindowValue> hourly, Map<String, WindowValue> daily) {
  }

  Result processor(Contender.Outputs out, Input in, References ref) {
    activitiesOnce(out.processedActivities(), in.size);
    BitSet seen = new BitSet(in.size);
    long[] late = new long[2];
    kafka.scan(out.late(), r -> {
      int seq = sequence(r.value());
      if (seen.get(seq)) {
        throw new IllegalStateException("activity " + seq + " twice in " + out.late());
      }
      seen.set(seq);
      Header h = r.headers().lastHeader("late.windows");
      String windows = h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
      boolean hourly = windows.contains("hourly");
      boolean daily = windows.contains("daily");
      if (hourly != in.lateHourlyByPartition.get(seq) || daily != in.lateDailyByPartition.get(seq)) {
        throw new IllegalStateException("activity " + seq + " in late-activities as '" + windows + "', but the truth"
            + " is hourly=" + in.lateHourlyByPartition.get(seq) + " daily=" + in.lateDailyByPartition.get(seq));
      }
      late[0] += hourly ? 1 : 0;
      late[1] += daily ? 1 : 0;
    });
    if (seen.cardinality() != in.lateAnyByPartition()) {
      throw new IllegalStateException(seen.cardinality() + " activities in late-activities, truly late: "
          + in.lateAnyByPartition());
    }
    Map<String, WindowValue> hourly = WindowValue.hourly(kafka.latest(out.hourly()));
    Map<String, WindowValue> daily = WindowValue.daily(kafka.latest(out.daily()));
    WindowDiff h = WindowDiff.of(ref.hourlyByPartition(), hourly);
    WindowDiff d = WindowDiff.of(ref.dailyByPartition(), daily);
    if (!h.identical() || !d.identical()) {
      throw new IllegalStateException("processor windows differ from the reference: hourly " + h + "; daily " + d);
    }
    System.err.printf("verified processor: %,d activities once each; %,d hourly + %,d daily windows equal the"
        + " reference; late %,d hourly / %,d daily, as the truth%n", in.size, hourly.size(), daily.size(), late[0],
        late[1]);
    return new Result(late[0], late[1], hourly, daily);
  }

  Result streams(Contender.Outputs out, Input in, long droppedMetric, long skipped, References ref) {
    activitiesOnce(out.processedActivities(), in.size);
    if (skipped != 0) {
      throw new IllegalStateException("the Streams peer skipped " + skipped + " unparseable records");
    }
    Map<String, WindowValue> hourly = WindowValue.hourly(kafka.latest(out.hourly()));
    Map<String, WindowValue> daily = WindowValue.daily(kafka.latest(out.daily()));
    long lateHourly = in.size - WindowValue.totalCount(hourly);
    long lateDaily = in.size - WindowValue.totalCount(daily);
    if (lateHourly + lateDaily != droppedMetric) {
      throw new IllegalStateException("Streams peer: input missing from the windows (" + lateHourly + " hourly + "
          + lateDaily + " daily) is not what it reports as dropped (" + droppedMetric + ")");
    }
    bounded(hourly, ref.hourlyAll(), "hourly");
    bounded(daily, ref.dailyAll(), "daily");
    System.err.printf("verified Streams peer: %,d activities once each; %,d hourly + %,d daily windows; dropped"
        + " %,d hourly / %,d daily (= its dropped-records metric)%n", in.size, hourly.size(), daily.size(),
        lateHourly, lateDaily);
    return new Result(lateHourly, lateDaily, hourly, daily);
  }

  private static void bounded(Map<String, WindowValue> actual, Map<String, WindowValue> all, String kind) {
    actual.forEach((k, v) -> {
      WindowValue most = all.get(k);
      if (most == null || v.count() > most.count() || v.uniqueEmployees() > most.uniqueEmployees()) {
        throw new IllegalStateException(kind + " window " + k + " holds more than the input has for it: " + v
            + " > " + most);
      }
    });
  }

  private void activitiesOnce(String topic, int size) {
    BitSet seen = new BitSet(size);
    long[] n = new long[1];
    kafka.scan(topic, r -> {
      int seq = sequence(r.value());
      if (seen.get(seq)) {
        throw new IllegalStateException("activity " + seq + " twice in " + topic);
      }
      seen.set(seq);
      n[0]++;
    });
    if (n[0] != size) {
      throw new IllegalStateException(topic + " holds " + n[0] + " activities, expected " + size);
    }
  }

  /** The input sequence number of an enriched activity (its activity id, see BenchInput). */
  private static int sequence(byte[] enriched) {
    String v = new String(enriched, StandardCharsets.UTF_8);
    int at = v.indexOf("\"activity_id\":\"") + 15;
    return (int) BenchInput.sequenceOf(v.substring(at, at + 36));
  }
}
