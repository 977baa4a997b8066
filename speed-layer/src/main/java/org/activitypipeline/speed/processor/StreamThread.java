package org.activitypipeline.speed.processor;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import org.activitypipeline.common.kafka.KafkaClients;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.activitypipeline.common.retry.Backoff;
import org.activitypipeline.common.topic.RecordLimits;
import org.activitypipeline.common.topic.Topics;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consume → process → produce loop with its own consumer (member of the processor's group) and
 * its own transactional producer.
 *
 * <p><b>Transactions.</b> Everything the thread's tasks send between two commits, the changelog
 * entries of their state and the input offsets ({@code sendOffsetsToTransaction} with the consumer's
 * current group metadata) commit as one Kafka transaction, every {@code commit.interval}. A zombie
 * (a thread whose partitions were reassigned while it stalled) is fenced by the group generation.
 *
 * <p><b>Failures.</b> Any Kafka failure (broker gone, fenced, rebalance during commit, send error)
 * aborts the open transaction, closes the producer, drops every task's in-memory state, rewinds the
 * consumer to the committed offsets and rebuilds the tasks from their changelogs, then goes on after a
 * backoff: the state always matches the last committed transaction. Bad records never get here; tasks
 * send them to the dead-letter topic.
 *
 * <p><b>Rebalances.</b> Revoked partitions: the open transaction is committed first (so the next
 * owner starts exactly where this one stopped), then their tasks are dropped. Lost partitions (this
 * member was kicked out): the transaction is aborted and all tasks rebuilt. Assigned partitions: tasks
 * are built from their changelogs right after the poll that assigned them, before their first record
 * is processed.
 *
 * <p>{@link #stop()} may be called from any thread; everything else runs on the thread itself.
 */
final class StreamThread implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamThread.class);

  /** Lifecycle, visible to health checks. */
  enum State { CREATED, RUNNING, RECOVERING, STOPPED }

  private final int index;
  private final ProcessorConfig cfg;
  private final TaskFactory factory;
  private final ProcessorMetrics metrics;
  private final Clock clock;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final ChangelogReader changelogs;
  private final Backoff backoff;
  private final Map<TopicPartition, Task> tasks = new HashMap<>();
  private final Map<TopicPartition, Long> positions = new HashMap<>();
  private final Map<TopicPartition, Long> committed = new HashMap<>();
  /**
   * Per assigned partition, since when it is behind if it is: the Kafka timestamp of the last record
   * processed, or the assignment time before the first (the lag in seconds).
   */
  private final Map<TopicPartition, Long> behindSince = new HashMap<>();
  /** Partitions paused by {@link TaskOutput#retryLater}, with the time to resume them. */
  private final Map<TopicPartition, Long> pausedUntil = new HashMap<>();
  private final Output output = new Output();
  /** Largest value this thread's producer sends as it is (max.request.size less headroom). */
  private final int maxValueBytes;
  private final CountDownLatch finished = new CountDownLatch(1);
  private KafkaProducer<byte[], byte[]> producer;
  private boolean inTransaction;
  private boolean resetNeeded;
  private volatile boolean running = true;
  private volatile State state = State.CREATED;

  StreamThread(int index, ProcessorConfig cfg, TaskFactory factory, ProcessorMetrics metrics, Clock clock) {
    this.index = index;
    this.cfg = cfg;
    this.maxValueBytes = RecordLimits.maxValueBytes(cfg.producerOverrides());
    this.factory = factory;
    this.metrics = metrics;
    this.clock = clock;
    this.backoff = new Backoff(cfg.backoffInitial(), cfg.backoffMax());
    Map<String, Object> tuning = new HashMap<>();
    tuning.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
    tuning.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "2000");
    tuning.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
    tuning.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
    tuning.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    tuning.putAll(cfg.consumerOverrides());
    Properties p = KafkaClients.properties(cfg.kafka(), tuning, Map.of(
        ConsumerConfig.GROUP_ID_CONFIG, cfg.applicationId(),
        ConsumerConfig.CLIENT_ID_CONFIG, cfg.transactionalId(index),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"));
    this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.changelogs = new ChangelogReader(cfg.kafka(), cfg.transactionalId(index) + "-restore",
        cfg.restoreTimeout(), cfg.consumerOverrides());
  }

  @Override
  public void run() {
    ProcessorConfig.TopicNames t = cfg.topics();
    long nextCommit = clock.millis() + cfg.commitInterval().toMillis();
    Duration pollTimeout = cfg.commitInterval().compareTo(Duration.ofMillis(100)) < 0 ? cfg.commitInterval()
        : Duration.ofMillis(100);
    state = State.RUNNING;
    try {
      consumer.subscribe(inputTopics(t), new Listener());
      long upSince = System.nanoTime();
      while (running) {
        try {
          ensureProducer();
          if (resetNeeded) {
            rewind();
          }
          ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTimeout);
          // After poll(): a rebalance inside it has settled the assignment, so no task is built for
          // a partition that is about to move.
          createMissingTasks();
          for (TopicPartition tp : records.partitions()) {
            Task task = tasks.get(tp);
            long next = -1;
            long timestamp = -1;
            for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
              if (task == null || pausedUntil.containsKey(tp)) {
                break; // dropped by a reset inside poll(), or paused: delivered again later
              }
              processOne(task, r);
              if (!pausedUntil.containsKey(tp)) {
                next = r.offset() + 1;
                timestamp = r.timestamp();
              }
            }
            if (next >= 0) {
              positions.put(tp, next);
              if (timestamp >= 0) { // -1: a record without a timestamp tells nothing
                behindSince.put(tp, timestamp);
              }
            }
          }
          long now = clock.millis();
          resumeDue(now);
          for (Task task : tasks.values()) {
            task.punctuate(output, now);
          }
          if (now >= nextCommit) {
            commit();
            nextCommit = now + cfg.commitInterval().toMillis();
            updateGauges();
          }
          if (state == State.RECOVERING) {
            state = State.RUNNING;
            upSince = System.nanoTime();
            LOG.info("event=recovered thread={}", index);
          }
        } catch (WakeupException e) {
          // stop() was called: the loop condition ends it
        } catch (RuntimeException e) {
          recover(e, Duration.ofNanos(System.nanoTime() - upSince));
        }
      }
      shutdown();
    } finally {
      state = State.STOPPED;
      finished.countDown();
    }
  }

  /**
   * A task failing on a record for a reason other than Kafka is a bug or input no rule foresaw: the
   * record goes to the dead-letter topic with the error instead of stopping the partition forever.
   */
  private void processOne(Task task, ConsumerRecord<byte[], byte[]> r) {
    try {
      task.process(r, output);
    } catch (KafkaException | IllegalStateException e) {
      throw e;
    } catch (OversizedOutputException e) {
      output.deadLetter(r, "processor", e.getMessage());
    } catch (RuntimeException e) {
      if (factory.carriesPersonalData(r.topic())) {
        // An exception's message may quote the input (a salary, a name): its type and place only.
        StackTraceElement at = e.getStackTrace().length > 0 ? e.getStackTrace()[0] : null;
        LOG.error("event=task_error topic={} partition={} offset={} error={} at={}", r.topic(), r.partition(),
            r.offset(), e.getClass().getName(), at);
        output.deadLetter(r, "processor", "unexpected error: " + e.getClass().getName() + " at " + at);
        return;
      }
      LOG.error("event=task_error topic={} partition={} offset={} error=\"{}\"", r.topic(), r.partition(), r.offset(),
          e.toString(), e);
      output.deadLetter(r, "processor", "unexpected error: " + e);
    }
  }

  private void ensureProducer() {
    if (producer != null) {
      return;
    }
    Map<String, Object> tuning = new HashMap<>();
    tuning.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    tuning.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(128 * 1024));
    tuning.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    // Right after a commit the broker may still be finishing it and answers the next transaction's
    // first sends with CONCURRENT_TRANSACTIONS; the default 100 ms retry backoff was then a floor
    // under the output latency.
    tuning.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "10");
    tuning.putAll(cfg.producerOverrides());
    Properties p = KafkaClients.properties(cfg.kafka(), tuning, Map.of(
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, cfg.transactionalId(index),
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, String.valueOf(cfg.transactionTimeout().toMillis())));
    KafkaProducer<byte[], byte[]> created = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    try {
      // Aborts whatever a previous run of this transactional id left open and fences that run.
      created.initTransactions();
    } catch (RuntimeException e) {
      created.close(Duration.ZERO);
      throw e;
    }
    producer = created;
  }

  /** Flushes all tasks and commits their output together with the input offsets. */
  private void commit() {
    if (producer == null) {
      return;
    }
    long now = clock.millis();
    for (Task task : tasks.values()) {
      task.flush(output, now);
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    positions.forEach((tp, next) -> {
      if (!next.equals(committed.get(tp))) {
        offsets.put(tp, new OffsetAndMetadata(next));
      }
    });
    if (!inTransaction && offsets.isEmpty()) {
      return;
    }
    output.begin();
    if (!offsets.isEmpty()) {
      producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
    }
    long t0 = System.nanoTime();
    producer.commitTransaction();
    metrics.committed(System.nanoTime() - t0);
    inTransaction = false;
    offsets.forEach((tp, o) -> committed.put(tp, o.offset()));
  }

  /**
   * Abort, forget all in-memory state and start over from the last commit (see class doc). The
   * producer is always recreated: after a fencing or a timed-out abort it is unusable anyway, and a new
   * one (same transactional id) cleanly aborts whatever may still be open.
   */
  private void recover(RuntimeException cause, Duration uptime) {
    state = State.RECOVERING;
    metrics.aborted();
    LOG.warn("event=transaction_failed thread={} in_transaction={} error=\"{}\"", index, inTransaction, cause.toString());
    closeProducer();
    resetNeeded = true;
    if (cause instanceof CommitFailedException || cause instanceof RebalanceInProgressException) {
      return; // the group is rebalancing: rejoin at once, nothing is broken
    }
    Duration wait = backoff.afterFailure(uptime);
    if (running) {
      sleep(wait);
    }
  }

  private void closeProducer() {
    if (producer != null) {
      try {
        if (inTransaction) {
          producer.abortTransaction();
        }
      } catch (RuntimeException e) {
        LOG.debug("event=abort_failed thread={} error=\"{}\"", index, e.toString());
      }
      try {
        producer.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        LOG.debug("event=producer_close_failed thread={} error=\"{}\"", index, e.toString());
      }
    }
    producer = null;
    inTransaction = false;
  }

  /**
   * Drops every task and rewinds every assigned partition to its committed offset; the tasks are
   * built again from their changelogs by {@link #createMissingTasks()} after the next poll.
   */
  private void rewind() {
    consumer.resume(consumer.paused());
    pausedUntil.clear();
    tasks.clear();
    positions.clear();
    committed.clear();
    Set<TopicPartition> assigned = consumer.assignment();
    if (!assigned.isEmpty()) {
      Map<TopicPartition, OffsetAndMetadata> offsets = consumer.committed(assigned, cfg.restoreTimeout());
      for (TopicPartition tp : assigned) {
        OffsetAndMetadata o = offsets.get(tp);
        if (o == null) {
          consumer.seekToBeginning(List.of(tp));
        } else {
          consumer.seek(tp, o.offset());
          committed.put(tp, o.offset());
        }
      }
    }
    resetNeeded = false;
    LOG.info("event=rewound thread={} partitions={}", index, assigned.size());
  }

  private void resumeDue(long now) {
    if (pausedUntil.isEmpty()) {
      return;
    }
    List<TopicPartition> due = pausedUntil.entrySet().stream().filter(e -> e.getValue() <= now)
        .map(Map.Entry::getKey).toList();
    if (!due.isEmpty()) {
      due.forEach(pausedUntil::remove);
      consumer.resume(due.stream().filter(consumer.assignment()::contains).toList());
    }
  }

  /** Builds (restores) the task of every assigned partition that has none yet. */
  private void createMissingTasks() {
    Set<TopicPartition> missing = new HashSet<>(consumer.assignment());
    missing.removeAll(tasks.keySet());
    if (missing.isEmpty()) {
      return;
    }
    // The consumer asks for stable offsets (KIP-447): while the partitions' previous owner still has
    // a transaction with offsets for them open (it stalled past the session timeout), this waits for
    // that transaction to commit or abort. Restoring before that would build the task from a state
    // the stalled transaction is about to change (see ChangelogReader). What this thread has open is
    // committed first, so that the wait cannot outlast its own transaction's timeout.
    commit();
    long waitStart = System.nanoTime();
    consumer.committed(missing, cfg.restoreTimeout());
    long waitedMillis = (System.nanoTime() - waitStart) / 1_000_000;
    if (waitedMillis >= 1_000) {
      LOG.info("event=awaited_stable_offsets thread={} partitions={} millis={}", index, missing, waitedMillis);
    }
    for (TopicPartition tp : missing) {
      if (!tasks.containsKey(tp)) {
        long t0 = System.nanoTime();
        tasks.put(tp, factory.create(tp, changelogs));
        LOG.debug("event=task_created thread={} partition={} millis={}", index, tp, (System.nanoTime() - t0) / 1_000_000);
      }
    }
  }

  private void shutdown() {
    try {
      if (producer != null && !resetNeeded) {
        commit();
      }
    } catch (RuntimeException e) {
      LOG.warn("event=final_commit_failed thread={} error=\"{}\"", index, e.toString());
    }
    closeProducer();
    try {
      consumer.close(Duration.ofSeconds(10));
    } catch (RuntimeException e) {
      LOG.warn("event=consumer_close_failed thread={} error=\"{}\"", index, e.toString());
    }
    changelogs.close();
    metrics.noLag(index);
    LOG.info("event=thread_stopped thread={}", index);
  }

  private void updateGauges() {
    long now = clock.millis();
    List<ConsumerLagTable.PartitionLag> lag = new ArrayList<>();
    for (TopicPartition tp : consumer.assignment()) {
      // Empty until the consumer has a position and an end offset for the partition: nothing known to be behind.
      OptionalLong records = consumer.currentLag(tp);
      lag.add(new ConsumerLagTable.PartitionLag(tp.topic(), records.orElse(0), behindSince.getOrDefault(tp, now)));
    }
    long entries = 0;
    for (Task task : tasks.values()) {
      entries += task.stateSize();
    }
    metrics.lag(index, lag, now);
    metrics.state(index, entries);
  }

  /** The topics every thread subscribes to. */
  static List<String> inputTopics(ProcessorConfig.TopicNames t) {
    return List.of(t.cdcEmployees(), t.cdcDepartments(), t.rawActivities(), t.windowPartials());
  }

  /** Asks the loop to commit, leave the group and end; returns at once. */
  void stop() {
    running = false;
    consumer.wakeup();
  }

  boolean awaitFinished(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  State state() {
    return state;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs inside {@code poll()} on this thread. */
  private final class Listener implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        return;
      }
      try {
        if (!resetNeeded) {
          commit();
        }
      } catch (KafkaException | IllegalStateException e) {
        LOG.warn("event=commit_on_revoke_failed thread={} error=\"{}\"", index, e.toString());
        closeProducer();
        resetNeeded = true;
      }
      for (TopicPartition tp : partitions) {
        tasks.remove(tp);
        positions.remove(tp);
        committed.remove(tp);
        pausedUntil.remove(tp);
        behindSince.remove(tp);
      }
      LOG.info("event=partitions_revoked thread={} partitions={}", index, partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      LOG.warn("event=partitions_lost thread={} partitions={}", index, partitions);
      closeProducer();
      for (TopicPartition tp : partitions) {
        tasks.remove(tp);
        positions.remove(tp);
        committed.remove(tp);
        pausedUntil.remove(tp);
        behindSince.remove(tp);
      }
      resetNeeded = true;
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        return;
      }
      // Their tasks are built right after this poll() returns (createMissingTasks).
      long now = clock.millis();
      partitions.forEach(tp -> behindSince.put(tp, now));
      LOG.info("event=partitions_assigned thread={} partitions={}", index, partitions);
    }
  }

  /** The thread's {@link TaskOutput}: sends into the open transaction, begun on the first send. */
  private final class Output implements TaskOutput {
    void begin() {
      if (!inTransaction) {
        if (producer == null) {
          throw new IllegalStateException("no producer (recovering)");
        }
        producer.beginTransaction();
        inTransaction = true;
      }
    }

    @Override
    public void send(String topic, Integer partition, byte[] key, byte[] value, Headers headers) {
      if (value != null && value.length > maxValueBytes) {
        throw new OversizedOutputException(topic, value.length, maxValueBytes);
      }
      begin();
      producer.send(new ProducerRecord<>(topic, partition, key, value, headers));
    }

    @Override
    public void deadLetter(ConsumerRecord<byte[], byte[]> record, String stage, String reason) {
      RecordHeaders h = new RecordHeaders();
      h.add(Topics.DlqHeaders.STAGE, stage.getBytes(StandardCharsets.UTF_8));
      h.add(Topics.DlqHeaders.REASON, String.valueOf(reason).getBytes(StandardCharsets.UTF_8));
      h.add(Topics.DlqHeaders.SOURCE_TOPIC, record.topic().getBytes(StandardCharsets.UTF_8));
      h.add(Topics.DlqHeaders.SOURCE_PARTITION, Integer.toString(record.partition()).getBytes(StandardCharsets.UTF_8));
      h.add(Topics.DlqHeaders.SOURCE_OFFSET, Long.toString(record.offset()).getBytes(StandardCharsets.UTF_8));
      TaskFactory.DeadLetterValue content = factory.deadLetterValue(record);
      byte[] value = content.value();
      if (content.removed() != null) {
        h.add(Topics.DlqHeaders.VALUE_REDACTED, content.removed().getBytes(StandardCharsets.UTF_8));
      }
      if (value != null && value.length > maxValueBytes) {
        // A copy would be refused as well: the reference (source position, reason, size) is what goes out.
        h.add(Topics.DlqHeaders.VALUE_OMITTED_BYTES, Integer.toString(value.length).getBytes(StandardCharsets.UTF_8));
        value = null;
      }
      send(cfg.topics().deadLetters(), null, record.key(), value, h);
      count(stage, "dead_letter", 1);
      LOG.warn("event=dead_letter stage={} topic={} partition={} offset={} reason=\"{}\"", stage, record.topic(),
          record.partition(), record.offset(), reason);
    }

    @Override
    public void retryLater(ConsumerRecord<byte[], byte[]> record, Duration delay) {
      TopicPartition tp = new TopicPartition(record.topic(), record.partition());
      consumer.seek(tp, record.offset());
      consumer.pause(List.of(tp));
      pausedUntil.put(tp, clock.millis() + delay.toMillis());
    }

    @Override
    public void count(String stage, String outcome, long n) {
      metrics.count(stage, outcome, n);
    }
  }
}
