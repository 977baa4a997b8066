package org.activitypipeline.speed.employees;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.activitypipeline.common.kafka.KafkaClients;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.activitypipeline.common.event.CdcProgress;
import org.activitypipeline.common.json.InvalidRecordException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an {@link EmployeeDirectory} current: one thread reads every partition of
 * {@code processed-employees} and of the departments topic from the beginning, {@code read_committed},
 * for as long as the process runs (a "global table": every instance holds all employees).
 *
 * <p>{@link #awaitCaughtUp} blocks until everything committed at the time of the call has been
 * applied; stream threads call it before they transform or enrich, so they never work from a table
 * older than what previous owners of their partitions committed.
 *
 * <p><b>CDC progress.</b> It also reads the processor's cdc-progress topic, where the employee and
 * department tasks forward each cdc partition's progress records after the changes before them. A
 * progress record is committed no earlier than those changes, but they sit on other topics this
 * thread may not have reached yet: so on seeing progress it takes the end offsets of the employee
 * and department partitions (high watermarks: read_committed end offsets stop at the first open
 * transaction, which may precede committed records), and applies the progress to the directory
 * ({@link EmployeeDirectory#completeThroughMillis}, the minimum over every cdc partition) only once
 * its positions have reached them.
 */
public final class EmployeeDirectoryReader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmployeeDirectoryReader.class);

  private final EmployeeDirectory directory;
  private final String employeesTopic;
  private final String departmentsTopic;
  private final String progressTopic;
  private final List<String> cdcTopics;
  private final Map<String, Long> progressByCdcPartition = new HashMap<>();
  private final ArrayDeque<ProgressBarrier> barriers = new ArrayDeque<>();
  /** The cdc partitions that must all have reported ({@code <topic>:<partition>}). */
  private List<String> cdcPartitions = List.of();
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Admin admin;
  private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Throwable failure;
  private volatile long skipped;

  /**
   * @param progressTopic where the tasks forward cdc progress ({@code <application.id>-cdc-progress})
   * @param cdcTopics     the cdc topics whose partitions all report progress (employees, departments)
   */
  public EmployeeDirectoryReader(EmployeeDirectory directory, Map<String, Object> kafka, String employeesTopic,
                                 String departmentsTopic, String progressTopic, List<String> cdcTopics,
                                 Map<String, String> consumerOverrides) {
    this.directory = directory;
    this.employeesTopic = employeesTopic;
    this.departmentsTopic = departmentsTopic;
    this.progressTopic = progressTopic;
    this.cdcTopics = List.copyOf(cdcTopics);
    Properties p = KafkaClients.properties(kafka, consumerOverrides, Map.of(
        ConsumerConfig.CLIENT_ID_CONFIG, "employee-directory",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"));
    this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.admin = Admin.create(KafkaClients.properties(kafka, Map.of(), Map.of("client.id", "employee-directory-admin")));
    this.thread = new Thread(this::run, "employee-directory");
    this.thread.setDaemon(true);
  }

  public void start() {
    List<TopicPartition> parts = partitionsOf(List.of(employeesTopic, departmentsTopic, progressTopic));
    cdcPartitions = partitionsOf(cdcTopics).stream().map(tp -> tp.topic() + ":" + tp.partition()).toList();
    consumer.assign(parts);
    consumer.seekToBeginning(parts);
    parts.forEach(tp -> positions.put(tp, 0L));
    thread.start();
  }

  private List<TopicPartition> partitionsOf(List<String> topics) {
    List<TopicPartition> parts = new ArrayList<>();
    for (String topic : topics) {
      // A topic created a moment ago (the internal departments topic on a first start) may not be in
      // the metadata yet: ask again for a while before calling it missing.
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(60));
      while ((infos == null || infos.isEmpty()) && System.nanoTime() < deadline) {
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new KafkaException("interrupted while looking up " + topic, e);
        }
        infos = consumer.partitionsFor(topic, Duration.ofSeconds(60));
      }
      if (infos == null || infos.isEmpty()) {
        throw new KafkaException("topic " + topic + " does not exist");
      }
      infos.forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
    }
    return parts;
  }

  private void run() {
    try {
      while (running) {
        Map<String, Long> progress = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.topic().equals(progressTopic)) {
            readProgress(r, progress);
          } else {
            apply(r);
          }
        }
        for (TopicPartition tp : consumer.assignment()) {
          positions.put(tp, consumer.position(tp));
        }
        if (!progress.isEmpty()) {
          barriers.add(new ProgressBarrier(progress, highWatermarks()));
        }
        applyReachedProgress();
      }
    } catch (WakeupException e) {
      if (running) {
        failure = e;
      }
    } catch (RuntimeException e) {
      failure = e;
      LOG.error("event=directory_failed error=\"{}\"", e.toString(), e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void apply(ConsumerRecord<byte[], byte[]> r) {
    try {
      if (r.topic().equals(employeesTopic)) {
        directory.applyEmployee(r.key(), r.value());
      } else {
        directory.applyDepartment(r.key(), r.value());
      }
    } catch (InvalidRecordException | NumberFormatException e) {
      // Only the processor writes these topics; a bad record here was dead-lettered upstream already.
      skipped++;
      LOG.warn("event=directory_record_skipped topic={} partition={} offset={} reason=\"{}\"", r.topic(),
          r.partition(), r.offset(), e.getMessage());
    }
  }

  private void readProgress(ConsumerRecord<byte[], byte[]> r, Map<String, Long> progress) {
    try {
      String cdcPartition = new String(r.key(), StandardCharsets.UTF_8);
      progress.merge(cdcPartition, CdcProgress.fromJson(r.value()).completeThroughMillis(), Math::max);
    } catch (InvalidRecordException | NullPointerException e) {
      skipped++;
      LOG.warn("event=directory_record_skipped topic={} partition={} offset={} reason=\"{}\"", r.topic(),
          r.partition(), r.offset(), e.getMessage());
    }
  }

  /** Applies, in order, the progress whose preceding changes this thread has read. */
  private void applyReachedProgress() {
    while (!barriers.isEmpty() && reached(barriers.peek().ends())) {
      barriers.poll().progress().forEach((p, millis) -> progressByCdcPartition.merge(p, millis, Math::max));
      // Only the configured topics count (the progress topic may hold others, from an earlier topic.prefix).
      if (progressByCdcPartition.keySet().containsAll(cdcPartitions)) {
        directory.completeThrough(cdcPartitions.stream().mapToLong(progressByCdcPartition::get).min()
            .orElse(Long.MIN_VALUE));
      }
    }
  }

  private boolean reached(Map<TopicPartition, Long> ends) {
    return ends.entrySet().stream().allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue());
  }

  /** Log ends of the employee and department partitions. */
  private Map<TopicPartition, Long> highWatermarks() {
    return logEnds(positions.keySet().stream().filter(tp -> !tp.topic().equals(progressTopic)).toList(),
        Duration.ofSeconds(60));
  }

  /** Progress per cdc partition ("topic:partition"), applicable once the positions reach {@code ends}. */
  private record ProgressBarrier(Map<String, Long> progress, Map<TopicPartition, Long> ends) {
  }

  /**
   * Waits until every record committed before this call has been applied (and the transactions open
   * at the call have ended: their records may be interleaved with committed ones).
   *
   * @throws KafkaException on timeout or when the reader thread died
   */
  public void awaitCaughtUp(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<TopicPartition, Long> ends = logEnds(List.copyOf(positions.keySet()), timeout);
    while (true) {
      if (failure != null) {
        throw new KafkaException("employee directory reader failed: " + failure, failure);
      }
      boolean caughtUp = ends.entrySet().stream().allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue());
      if (caughtUp) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new KafkaException("employee directory did not catch up with " + ends + " within " + timeout
            + " (at " + positions + ")");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KafkaException("interrupted while waiting for the employee directory", e);
      }
    }
  }

  /**
   * The log end offsets (high watermarks) of {@code partitions}, open transactions included: a
   * read_committed end offset stops at the first open transaction, which may precede records already
   * committed. A read_committed reader gets there once the transactions open now have ended.
   */
  private Map<TopicPartition, Long> logEnds(List<TopicPartition> partitions, Duration timeout) {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
    try {
      Map<TopicPartition, Long> ends = new HashMap<>();
      admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
      return ends;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted while listing offsets", e);
    } catch (Exception e) {
      throw new KafkaException("cannot list the end offsets of " + partitions + ": " + e.getMessage(), e);
    }
  }

  public boolean isHealthy() {
    return failure == null && thread.isAlive();
  }

  public long skipped() {
    return skipped;
  }

  @Override
  public void close() {
    running = false;
    if (thread.getState() == Thread.State.NEW) {
      consumer.close(Duration.ofSeconds(5)); // never started: the thread would have closed it
      admin.close(Duration.ofSeconds(5));
      return;
    }
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    admin.close(Duration.ofSeconds(5));
  }
}
