package org.activitypipeline.serving.tail;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows every partition of some topics on its own thread, {@code read_committed} and without a
 * consumer group (each serving instance holds the whole view), handing each record to a handler.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #close()} any number of times. The thread starts at
 * the beginning of each partition or, with a lookback, at the first record written after
 * {@code now - lookback}; it is {@link #caughtUp()} once it has read up to the end offsets it saw at
 * start (the readiness signal). Topics that do not exist yet are waited for; partitions added later
 * are picked up within {@link #PARTITION_REFRESH} and read from their beginning. Broker outages
 * are ridden out by the consumer's own retries; the loop only logs and keeps polling.
 *
 * <p>The handler runs on the tailer's thread, one record at a time, in offset order per partition.
 * A handler that throws is a bug: the record is counted in {@link #handlerErrors()}, logged, and skipped.
 */
public final class TopicTailer implements AutoCloseable {
  static final Duration PARTITION_REFRESH = Duration.ofSeconds(60);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Logger log = LoggerFactory.getLogger(TopicTailer.class);

  /** Receives each record (tombstones have a null value). */
  @FunctionalInterface
  public interface Handler {
    void handle(ConsumerRecord<byte[], byte[]> record);
  }

  enum State { NEW, RUNNING, CLOSED }

  private final String name;
  private final Map<String, Object> kafka;
  private final List<String> topics;
  private final Duration lookback;
  private final Handler handler;
  private final Clock clock;
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  private final AtomicLong records = new AtomicLong();
  private final AtomicLong handlerErrors = new AtomicLong();
  private final AtomicLong newestTimestamp = new AtomicLong(Long.MIN_VALUE);
  private volatile boolean caughtUp;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private Thread thread;

  /**
   * @param kafka consumer settings (at least {@code bootstrap.servers}); group, isolation and deserializers are set here
   * @param lookback {@code null}: read each partition from its beginning; else from {@code now - lookback}
   */
  public TopicTailer(String name, Map<String, Object> kafka, List<String> topics, Duration lookback, Handler handler,
                     Clock clock) {
    this.name = name;
    this.kafka = Map.copyOf(kafka);
    this.topics = List.copyOf(topics);
    this.lookback = lookback;
    this.handler = handler;
    this.clock = clock;
  }

  public void start() {
    if (!state.compareAndSet(State.NEW, State.RUNNING)) {
      throw new IllegalStateException("tailer " + name + " was already started");
    }
    Map<String, Object> props = new HashMap<>(kafka);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "serving-" + name);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    thread = new Thread(this::run, "serving-tail-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  public String name() {
    return name;
  }

  /** True once every partition was read up to the end offsets seen at start. */
  public boolean caughtUp() {
    return caughtUp;
  }

  public long recordsRead() {
    return records.get();
  }

  public long handlerErrors() {
    return handlerErrors.get();
  }

  /** The newest record time read so far (the freshness of what the handler holds), or null before any record. */
  public Instant newestRecordTime() {
    long t = newestTimestamp.get();
    return t == Long.MIN_VALUE ? null : Instant.ofEpochMilli(t);
  }

  private void run() {
    KafkaConsumer<byte[], byte[]> c = consumer;
    Set<TopicPartition> assigned = new HashSet<>();
    Map<TopicPartition, Long> catchUpTo = null;
    long nextRefresh = 0;
    try {
      while (state.get() == State.RUNNING) {
        try {
          if (System.nanoTime() - nextRefresh >= 0) {
            Set<TopicPartition> added = assignNewPartitions(c, assigned);
            if (catchUpTo == null && everyTopicFound(assigned)) {
              catchUpTo = c.endOffsets(assigned);
              log.info("event=tail_started tailer={} partitions={} catch_up_to={}", name, assigned.size(),
                  total(catchUpTo));
            }
            nextRefresh = System.nanoTime() + (catchUpTo == null ? Duration.ofSeconds(1) : PARTITION_REFRESH).toNanos();
            if (!added.isEmpty() && catchUpTo != null) {
              log.info("event=tail_partitions_added tailer={} added={}", name, added);
            }
          }
          if (assigned.isEmpty()) {
            Thread.sleep(200);
            continue;
          }
          ConsumerRecords<byte[], byte[]> batch = c.poll(POLL);
          for (ConsumerRecord<byte[], byte[]> r : batch) {
            records.incrementAndGet();
            newestTimestamp.accumulateAndGet(r.timestamp(), Math::max);
            try {
              handler.handle(r);
            } catch (RuntimeException e) {
              handlerErrors.incrementAndGet();
              log.error("event=tail_handler_error tailer={} topic={} partition={} offset={} error=\"{}\"", name,
                  r.topic(), r.partition(), r.offset(), e.toString(), e);
            }
          }
          if (!caughtUp && catchUpTo != null && reached(c, catchUpTo)) {
            caughtUp = true;
            log.info("event=tail_caught_up tailer={} records={}", name, records.get());
          }
        } catch (WakeupException e) {
          // close() woke us up; the loop condition ends it
        } catch (KafkaException e) {
          log.warn("event=tail_error tailer={} error=\"{}\"", name, e.toString());
          Thread.sleep(1000);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      c.close(Duration.ofSeconds(5));
    }
  }

  private Set<TopicPartition> assignNewPartitions(KafkaConsumer<byte[], byte[]> c, Set<TopicPartition> assigned) {
    Set<TopicPartition> added = new HashSet<>();
    for (String topic : topics) {
      List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(10));
      if (infos == null || infos.isEmpty()) {
        continue; // not created yet: waited for
      }
      for (PartitionInfo p : infos) {
        TopicPartition tp = new TopicPartition(p.topic(), p.partition());
        if (!assigned.contains(tp)) {
          added.add(tp);
        }
      }
    }
    if (added.isEmpty()) {
      return added;
    }
    boolean first = assigned.isEmpty();
    assigned.addAll(added);
    c.assign(new ArrayList<>(assigned));
    if (first && lookback != null) {
      long since = clock.millis() - lookback.toMillis();
      Map<TopicPartition, Long> query = new HashMap<>();
      added.forEach(tp -> query.put(tp, since));
      Map<TopicPartition, OffsetAndTimestamp> found = c.offsetsForTimes(query);
      Map<TopicPartition, Long> ends = c.endOffsets(added);
      for (TopicPartition tp : added) {
        OffsetAndTimestamp at = found.get(tp);
        c.seek(tp, at != null ? at.offset() : ends.get(tp));
      }
    } else {
      c.seekToBeginning(added); // later partitions: everything in them is new
    }
    return added;
  }

  private boolean everyTopicFound(Set<TopicPartition> assigned) {
    Set<String> found = new HashSet<>();
    assigned.forEach(tp -> found.add(tp.topic()));
    return found.containsAll(topics);
  }

  private static boolean reached(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> targets) {
    for (Map.Entry<TopicPartition, Long> e : targets.entrySet()) {
      if (c.position(e.getKey(), Duration.ofSeconds(5)) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static long total(Map<TopicPartition, Long> offsets) {
    return offsets.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Stops the thread (waits up to 10 s for it) and closes the consumer. Safe to call twice. */
  @Override
  public void close() {
    State before = state.getAndSet(State.CLOSED);
    if (before != State.RUNNING) {
      return;
    }
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
