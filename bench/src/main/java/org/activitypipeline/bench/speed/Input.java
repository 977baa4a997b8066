package org.activitypipeline.bench.speed;

import java.util.BitSet;
import java.util.SplittableRandom;
import org.activitypipeline.bench.processor.BenchInput;
import org.activitypipeline.common.event.Activity;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;

/**
 * A pre-written activity topic and the generator's record of it: what each event is (for the
 * reference window values) and which events are <b>truly late</b>.
 *
 * <p>Events are written in sequence order {@code 0..size-1}, one every {@code stepMillis} of write
 * time, with {@link BenchInput}'s mix of event-time lags (most under 30 s, 7 % out of order by up to
 * 3 min, 3 % uploaded 5 min to 6 h late). An event is <b>late for a window</b> (its hour, or its UTC
 * day) when the window's end plus the grace is at or below the highest event time among the events
 * written before it: nothing that waits for the stream to pass a window's end + grace can count it.
 * Two readings of "written before it" are recorded:
 * <ul>
 *   <li><b>per partition</b>: the events written before it to the same raw-activities partition. This
 *       is the rule a stream with one watermark per input partition applies live, and the one the
 *       processor documents (docs/PROCESSOR.md): its lateness depends only on the data of the
 *       partition, never on how fast each partition is read.
 *   <li><b>global</b>: all events written before it, to any partition (the stream as one sequence).
 * </ul>
 * They differ only for events whose window end + grace falls between their partition's maximum and
 * the global maximum at the moment they were written (a few seconds of event time).
 *
 * <p>The partition of each event is chosen here with Kafka's default rule for its key (murmur2 of the
 * employee id), and set explicitly on the record, so the truth and the topic cannot disagree.
 */
final class Input {
  static final long HOUR = 3_600_000L;
  static final long DAY = 86_400_000L;

  final String topic;
  final int size;
  final int partitions;
  final long graceMillis;
  final long[] eventMillis;
  final int[] employee;
  final String[] type;
  final String[] device;
  final int[] duration;
  final byte[] partition;
  final BitSet lateHourlyByPartition = new BitSet();
  final BitSet lateDailyByPartition = new BitSet();
  final BitSet lateHourlyGlobal = new BitSet();
  final BitSet lateDailyGlobal = new BitSet();
  /** Events the generator uploaded 5 min or more after their event time (late uploads, not all late). */
  int lateUploads;
  long bytes;
  long firstWriteMillis;
  long lastWriteMillis;

  private Input(String topic, int size, int partitions, long graceMillis) {
    this.topic = topic;
    this.size = size;
    this.partitions = partitions;
    this.graceMillis = graceMillis;
    eventMillis = new long[size];
    employee = new int[size];
    type = new String[size];
    device = new String[size];
    duration = new int[size];
    partition = new byte[size];
  }

  /**
   * Writes {@code size} activities to {@code topic} (which has {@code partitions} partitions) as fast as
   * the producer goes, on a synthetic timeline, and records them.
   *
   * @param firstWriteMillis write time (and ingest time) of the first event
   * @param stepMillis       write time between two events
   * @param lateUploadsAllowed false for an input without late uploads (lags up to 3 min only)
   */
  static Input write(KafkaProducer<byte[], byte[]> producer, String topic, int partitions, int size,
                     long firstWriteMillis, double stepMillis, int employees, long seed, long graceMillis,
                     boolean lateUploadsAllowed) throws InterruptedException {
    return write(producer, topic, partitions, size, firstWriteMillis, stepMillis, 0, employees, seed, graceMillis,
        lateUploadsAllowed);
  }

  /** Like {@link #write}, but live: {@code perSecond} events a second, each written at its wall-clock time. */
  static Input writeLive(KafkaProducer<byte[], byte[]> producer, String topic, int partitions, int size,
                         double perSecond, int employees, long seed, long graceMillis, boolean lateUploadsAllowed)
      throws InterruptedException {
    return write(producer, topic, partitions, size, 0, 0, perSecond, employees, seed, graceMillis,
        lateUploadsAllowed);
  }

  private static Input write(KafkaProducer<byte[], byte[]> producer, String topic, int partitions, int size,
                             long firstWriteMillis, double stepMillis, double perSecond, int employees, long seed,
                             long graceMillis, boolean lateUploadsAllowed) throws InterruptedException {
    Input in = new Input(topic, size, partitions, graceMillis);
    java.util.concurrent.atomic.AtomicReference<Exception> failed = new java.util.concurrent.atomic.AtomicReference<>();
    producer.partitionsFor(topic);
    SplittableRandom r = new SplittableRandom(seed);
    long globalMax = Long.MIN_VALUE;
    long[] partitionMax = new long[partitions];
    java.util.Arrays.fill(partitionMax, Long.MIN_VALUE);
    long t0 = System.nanoTime();
    for (int i = 0; i < size; i++) {
      long write;
      if (perSecond > 0) {
        long wait = t0 + (long) (i / perSecond * 1e9) - System.nanoTime();
        if (wait > 1_000_000) {
          Thread.sleep(wait / 1_000_000);
        }
        write = System.currentTimeMillis();
      } else {
        write = firstWriteMillis + (long) (i * stepMillis);
      }
      if (i == 0) {
        in.firstWriteMillis = write;
      }
      Activity a = BenchInput.activityEvent(i, write, employees, r, lateUploadsAllowed);
      byte[] key = BenchInput.key(a);
      byte[] value = BenchInput.encode(a);
      int p = Utils.toPositive(Utils.murmur2(key)) % partitions;
      long t = a.eventTime().toEpochMilli();
      in.eventMillis[i] = t;
      in.employee[i] = (int) a.employeeId();
      in.type[i] = a.activityType();
      in.device[i] = a.deviceType();
      in.duration[i] = a.durationSeconds();
      in.partition[i] = (byte) p;
      in.bytes += value.length;
      if (write - t >= 300_000) {
        in.lateUploads++;
      }
      long hourClose = hourStart(t) + HOUR + graceMillis;
      long dayClose = dayStart(t) + DAY + graceMillis;
      if (hourClose <= partitionMax[p]) {
        in.lateHourlyByPartition.set(i);
      }
      if (dayClose <= partitionMax[p]) {
        in.lateDailyByPartition.set(i);
      }
      if (hourClose <= globalMax) {
        in.lateHourlyGlobal.set(i);
      }
      if (dayClose <= globalMax) {
        in.lateDailyGlobal.set(i);
      }
      partitionMax[p] = Math.max(partitionMax[p], t);
      globalMax = Math.max(globalMax, t);
      producer.send(new ProducerRecord<>(topic, p, write, key, value), (md, e) -> {
        if (e != null) {
          failed.compareAndSet(null, e);
        }
      });
      in.lastWriteMillis = write;
    }
    producer.flush();
    if (failed.get() != null) {
      throw new IllegalStateException("writing " + topic + " failed", failed.get());
    }
    return in;
  }

  static long hourStart(long millis) {
    return Math.floorDiv(millis, HOUR) * HOUR;
  }

  static long dayStart(long millis) {
    return Math.floorDiv(millis, DAY) * DAY;
  }

  String department(int i) {
    return BenchInput.departmentOf(employee[i]);
  }

  long averageBytes() {
    return size == 0 ? 0 : bytes / size;
  }

  /** Events late for their hour or their day, per partition. */
  int lateAnyByPartition() {
    BitSet any = (BitSet) lateHourlyByPartition.clone();
    any.or(lateDailyByPartition);
    return any.cardinality();
  }
}
