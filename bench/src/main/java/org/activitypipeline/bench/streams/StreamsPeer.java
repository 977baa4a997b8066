package org.activitypipeline.bench.streams;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * The Kafka Streams peer of the speed-layer processor (bench only): {@link PeerTopology} with
 * {@code exactly_once_v2}, the processor's commit interval and thread count, and the processor's
 * producer settings (lz4, {@code linger.ms=5}, 128 KB batches, 10 ms retry backoff) and poll size.
 *
 * <pre>{@code
 * try (StreamsPeer peer = StreamsPeer.start(settings)) {  // returns once the instance is RUNNING
 *   ...                                                  // peer.failure() is set if it died
 * }                                                      // close: stop, then delete its local state
 * }</pre>
 */
public final class StreamsPeer implements AutoCloseable {
  private final KafkaStreams streams;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final AtomicLong skipped = new AtomicLong();

  private StreamsPeer(PeerSettings s) {
    // Streams logs every record it drops for an expired window at WARN; the processor logs nothing per
    // late record. Neither should pay for a log line per event in a benchmark.
    Configurator.setLevel("org.apache.kafka.streams.kstream.internals.KStreamWindowAggregate", Level.ERROR);
    this.streams = new KafkaStreams(PeerTopology.build(s, skipped), properties(s));
    streams.setUncaughtExceptionHandler(e -> {
      failure.compareAndSet(null, e);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
  }

  /**
   * Starts the peer and waits until it is RUNNING (global table loaded, partitions assigned).
   *
   * @throws IllegalStateException when it fails or is not running within two minutes
   */
  public static StreamsPeer start(PeerSettings settings) throws InterruptedException {
    StreamsPeer peer = new StreamsPeer(settings);
    peer.streams.start();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (peer.streams.state() != KafkaStreams.State.RUNNING) {
      if (peer.failure.get() != null || peer.streams.state().hasCompletedShutdown()
          || System.nanoTime() > deadline) {
        peer.close();
        throw new IllegalStateException("Kafka Streams peer " + settings.applicationId() + " did not start: state "
            + peer.streams.state(), peer.failure.get());
      }
      Thread.sleep(50);
    }
    return peer;
  }

  static Properties properties(PeerSettings s) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, s.applicationId());
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, s.commitInterval().toMillis());
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, s.threads());
    p.put(StreamsConfig.STATE_DIR_CONFIG, s.stateDir().toAbsolutePath().toString());
    if (s.inMemoryStores()) {
      p.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, BuiltInDslStoreSuppliers.InMemoryDslStoreSuppliers.class);
    }
    // No processing exception handler is configured; this only silences Streams' start-up advice to enable it.
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
    p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 128 * 1024);
    p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
    p.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), 10);
    p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 2000);
    p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    p.putAll(s.overrides());
    return p;
  }

  /** The error that stopped the peer, or null while it runs. */
  public Throwable failure() {
    Throwable f = failure.get();
    if (f == null && streams.state() == KafkaStreams.State.ERROR) {
      return new IllegalStateException("Kafka Streams peer in state ERROR");
    }
    return f;
  }

  /**
   * Records the windowed aggregations dropped so far (Streams' task metric {@code dropped-records-total}
   * summed over all tasks): here, records past their window's end + grace by the task's stream time.
   */
  public long droppedRecords() {
    double sum = 0;
    for (var e : streams.metrics().entrySet()) {
      MetricName n = e.getKey();
      if (n.name().equals("dropped-records-total")) {
        Object v = ((Metric) e.getValue()).metricValue();
        sum += v instanceof Number num ? num.doubleValue() : 0;
      }
    }
    return Math.round(sum);
  }

  /** Raw records that could not be parsed and were skipped. */
  public long skippedRecords() {
    return skipped.get();
  }

  /** Stops the instance (committing what it processed) and deletes its local state directory. */
  @Override
  public void close() {
    streams.close(Duration.ofSeconds(60));
    streams.cleanUp();
  }
}
