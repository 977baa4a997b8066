package org.activitypipeline.speed.employees;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
 */
public final class EmployeeDirectoryReader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmployeeDirectoryReader.class);

  private final EmployeeDirectory directory;
  private final String employeesTopic;
  private final String departmentsTopic;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Admin admin;
  private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Throwable failure;
  private volatile long skipped;

  public EmployeeDirectoryReader(EmployeeDirectory directory, String bootstrapServers, String employeesTopic,
                                 String departmentsTopic, Map<String, String> consumerOverrides) {
    this.directory = directory;
    this.employeesTopic = employeesTopic;
    this.departmentsTopic = departmentsTopic;
    Properties p = new Properties();
    p.putAll(consumerOverrides);
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "employee-directory");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    Properties a = new Properties();
    a.put("bootstrap.servers", bootstrapServers);
    a.put("client.id", "employee-directory-admin");
    this.admin = Admin.create(a);
    this.thread = new Thread(this::run, "employee-directory");
    this.thread.setDaemon(true);
  }

  public void start() {
    List<TopicPartition> parts = new ArrayList<>();
    for (String topic : List.of(employeesTopic, departmentsTopic)) {
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
    consumer.assign(parts);
    consumer.seekToBeginning(parts);
    parts.forEach(tp -> positions.put(tp, 0L));
    thread.start();
  }

  private void run() {
    try {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          apply(r);
        }
        for (TopicPartition tp : consumer.assignment()) {
          positions.put(tp, consumer.position(tp));
        }
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

  /**
   * Waits until every record committed before this call has been applied.
   *
   * @throws KafkaException on timeout or when the reader thread died
   */
  public void awaitCaughtUp(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<TopicPartition, Long> ends = committedEnds(timeout);
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

  private Map<TopicPartition, Long> committedEnds(Duration timeout) {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    positions.keySet().forEach(tp -> request.put(tp, OffsetSpec.latest()));
    try {
      Map<TopicPartition, Long> ends = new HashMap<>();
      admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
      return ends;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted while listing offsets", e);
    } catch (Exception e) {
      throw new KafkaException("cannot list the end offsets of " + positions.keySet() + ": " + e.getMessage(), e);
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
