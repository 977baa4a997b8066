package org.activitypipeline.speed.processor;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.activitypipeline.common.event.Activity;
import org.activitypipeline.common.topic.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a scenario's activities to raw-activities in order, at a steady rate, from its own thread
 * (as the poller would), each to partition {@code employee_id % partitions}. Optionally slips poison
 * records in between.
 */
final class Feeder implements AutoCloseable {
  /** Poison values sent by {@link #withPoison}: each must end up in the dead-letter topic. */
  static final Map<String, String> POISON = Map.of(
      "not json", "not JSON at all",
      "newer schema", "{\"schema_version\":99,\"activity_id\":\"x\"}",
      "no event time", "{\"schema_version\":1,\"activity_id\":\"00000000-0000-1000-8000-999999999999\","
          + "\"employee_id\":1,\"activity_type\":\"login\",\"device_type\":\"laptop\",\"duration_seconds\":1}",
      "wrong type", "{\"schema_version\":1,\"activity_id\":\"a\",\"employee_id\":\"abc\"}");

  /**
   * A valid activity of employee 1 dated at the scenario's start (so it moves no watermark) whose
   * enriched copy is larger than a record may be (1 MiB less 4 KiB), as is the activity itself: it must
   * be dead-lettered as a reference, not stall its partition.
   */
  static final String OVERSIZED = "{\"schema_version\":1,\"activity_id\":\"00000000-0000-1000-8000-0000000000aa\","
      + "\"employee_id\":1,\"activity_type\":\"login\",\"device_type\":\"laptop\",\"duration_seconds\":1,"
      + "\"event_time\":\"" + java.time.Instant.ofEpochMilli(Scenario.T0) + "\",\"ingest_time\":\""
      + java.time.Instant.ofEpochMilli(Scenario.T0) + "\",\"metadata\":{\"blob\":\"" + "x".repeat(1_045_500) + "\"}}";

  private final Scenario scenario;
  private final ProcessorTopics topics;
  private final double perSecond;
  private final boolean poison;
  private final AtomicInteger sent = new AtomicInteger();
  private final Thread thread;
  private volatile Throwable failure;

  private Feeder(Scenario scenario, ProcessorTopics topics, double perSecond, boolean poison) {
    this.scenario = scenario;
    this.topics = topics;
    this.perSecond = perSecond;
    this.poison = poison;
    this.thread = new Thread(this::run, "feeder");
  }

  static Feeder start(Scenario s, ProcessorTopics t, double perSecond) {
    Feeder f = new Feeder(s, t, perSecond, false);
    f.thread.start();
    return f;
  }

  static Feeder withPoison(Scenario s, ProcessorTopics t, double perSecond) {
    Feeder f = new Feeder(s, t, perSecond, true);
    f.thread.start();
    return f;
  }

  private void run() {
    String topic = topics.topic(Topics.RAW_ACTIVITIES);
    long t0 = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> p = topics.producer()) {
      int i = 0;
      for (Activity a : scenario.activities) {
        p.send(new ProducerRecord<>(topic, scenario.partitionOf(a), Scenario.key(a.employeeId()),
            Scenario.activityValue(a)));
        i++;
        if (poison && i == 2_500) {
          p.send(new ProducerRecord<>(topic, i % scenario.partitions, "1".getBytes(StandardCharsets.UTF_8),
              OVERSIZED.getBytes(StandardCharsets.UTF_8)));
        }
        if (poison && i % 5_000 == 0 && i / 5_000 <= POISON.size()) {
          String value = POISON.values().stream().sorted().toList().get(i / 5_000 - 1);
          p.send(new ProducerRecord<>(topic, i % scenario.partitions, "1".getBytes(StandardCharsets.UTF_8),
              value.getBytes(StandardCharsets.UTF_8)));
        }
        sent.set(i);
        if (i % 100 == 0) {
          long due = t0 + (long) (i / perSecond * 1e9);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
        }
      }
      p.flush();
    } catch (Throwable e) {
      failure = e;
    }
  }

  int sent() {
    return sent.get();
  }

  boolean done() {
    return !thread.isAlive();
  }

  void await() throws InterruptedException {
    thread.join();
    if (failure != null) {
      throw new AssertionError("feeding failed", failure);
    }
  }

  @Override
  public void close() throws InterruptedException {
    thread.join(5_000);
  }
}
