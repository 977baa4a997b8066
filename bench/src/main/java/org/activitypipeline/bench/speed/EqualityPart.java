package org.activitypipeline.bench.speed;

import org.activitypipeline.common.topic.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The equality check: both implementations run at the same time over one input written live at a
 * rate both keep up with, without late uploads (event times at most 3 min behind the write order,
 * under the grace), so no event is late by any definition and neither reads a backlog. Both must
 * produce exactly the windows computed from all of the input, and so the same windows.
 *
 * <p>Why live: over a pre-written input (the throughput runs) the Streams peer's stream time runs
 * ahead of the partitions it has not read yet and it drops events that are not late; that is its
 * documented behaviour and is reported there, but it would hide whether the two compute the same
 * values.
 */
final class EqualityPart {
  record Result(Input input, double rate, Runner.Outcome processor, Runner.Outcome streams, WindowDiff hourly,
                WindowDiff daily, WindowDiff streamsVsReferenceHourly, WindowDiff streamsVsReferenceDaily) {
    boolean equal() {
      return hourly.identical() && daily.identical();
    }
  }

  private EqualityPart() {
  }

  static Result run(Runner runner, BenchKafka kafka, int records, double rate, int employees, long graceMillis,
                    int threads) throws Exception {
    String topic = "bench.equal-raw";
    kafka.create(BenchKafka.topic(topic, Topics.RAW_ACTIVITIES.partitions(), false));
    Runner.Concurrent o = runner.concurrently("equal", topic, threads, () -> {
      try (KafkaProducer<byte[], byte[]> p = kafka.producer()) {
        return Input.writeLive(p, topic, Topics.RAW_ACTIVITIES.partitions(), records, rate, employees, 43,
            graceMillis, false);
      }
    });
    Runner.Outcome proc = o.processor();
    Runner.Outcome streams = o.streams();
    Input in = o.input();
    References ref = new References(in);
    Result r = new Result(in, rate, proc, streams, WindowDiff.of(proc.result().hourly(), streams.result().hourly()),
        WindowDiff.of(proc.result().daily(), streams.result().daily()),
        WindowDiff.of(ref.hourlyAll(), streams.result().hourly()), WindowDiff.of(ref.dailyAll(), streams.result().daily()));
    System.err.printf("equality input: processor vs streams hourly %s; daily %s%n", r.hourly(), r.daily());
    return r;
  }
}
