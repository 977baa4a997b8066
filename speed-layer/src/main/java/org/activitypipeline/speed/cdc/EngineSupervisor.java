package org.activitypipeline.speed.cdc;

import org.activitypipeline.common.retry.Backoff;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.activitypipeline.common.kafka.KafkaClients;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one Debezium engine streaming into Kafka until {@link #close()}: each attempt creates a
 * transactional producer (its {@code initTransactions} aborts whatever an earlier attempt or a
 * crashed process left open) and an engine feeding a {@link KafkaBridge}; when the engine stops with
 * an error, the producer is closed and a new attempt starts after an exponential {@link Backoff}.
 *
 * <p>Errors are sorted as the Kafka clients do: transient ones (Kafka or PostgreSQL unreachable, a
 * transaction that timed out, ...) restart the engine, never the process; fatal ones end
 * {@link #run()} with {@link #EXIT_FATAL}: {@link ProducerFencedException} (another instance with the
 * same transactional.id took over; restarting would fence it back) and authorization failures.
 * PostgreSQL restarts are first retried inside the engine ({@code errors.max.retries=-1}).
 *
 * <p>Threads: {@link #run()} blocks the calling thread; {@link #close()} may be called from any
 * other (the SIGTERM hook), is idempotent, and returns once run() has finished or the shutdown
 * timeout passed.
 */
final class EngineSupervisor implements AutoCloseable {
  static final int EXIT_STOPPED = 0;
  static final int EXIT_FATAL = 3;
  private static final Logger LOG = LoggerFactory.getLogger(EngineSupervisor.class);

  private final CdcConfig config;
  private final Properties engineProperties;
  private final Supplier<Producer<String, String>> producers;
  private final CdcMetrics metrics;
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile DebeziumEngine<ChangeEvent<String, String>> engine;
  private volatile KafkaBridge bridge;

  EngineSupervisor(CdcConfig config, Supplier<Producer<String, String>> producers, CdcMetrics metrics) {
    this.config = config;
    this.engineProperties = DebeziumProperties.from(config);
    this.producers = producers;
    this.metrics = metrics;
  }

  /** Streams until {@link #close()} or a fatal error; returns the process exit code. */
  int run() {
    Backoff backoff = new Backoff(config.restartBackoffInitial(), config.restartBackoffMax());
    try {
      for (int attempt = 1; !stopping(); attempt++) {
        long started = System.nanoTime();
        Throwable failure = runOnce(attempt);
        if (stopping()) {
          break;
        }
        if (failure != null && isFatal(failure)) {
          String security = KafkaClients.securityFailure(failure);
          LOG.error("event=fatal reason={} transactional_id={} error=\"{}\" action=exit exit_code={}",
              hasCause(failure, ProducerFencedException.class) ? "fenced_by_another_instance" : "kafka_security",
              config.transactionalId(), security != null ? security : rootMessage(failure), EXIT_FATAL);
          return EXIT_FATAL;
        }
        Duration wait = backoff.afterFailure(Duration.ofNanos(System.nanoTime() - started));
        metrics.error("engine");
        LOG.warn("event=engine_failed attempt={} consecutive_failures={} error=\"{}\" restart_in_ms={}", attempt,
            backoff.consecutiveFailures(), failure == null ? "stopped unexpectedly" : rootMessage(failure),
            wait.toMillis());
        if (stopRequested.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
          break;
        }
        metrics.restarted();
      }
      return EXIT_STOPPED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return EXIT_STOPPED;
    } finally {
      finished.countDown();
    }
  }

  /** One producer + engine lifetime; returns why it ended ({@code null}: a clean stop). */
  private Throwable runOnce(int attempt) {
    Producer<String, String> producer;
    try {
      producer = producers.get();
    } catch (RuntimeException e) {
      return e;
    }
    try {
      producer.initTransactions(); // fences an older producer with our id, aborts its open transaction
    } catch (RuntimeException e) {
      closeQuietly(producer);
      return e;
    }
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try {
      KafkaBridge b = new KafkaBridge(producer, config.topicPrefix() + ".transaction", config.heartbeatTopic(),
          config.capturedTopics(), config.deadLetterTopic(), config.maxChangeBytes(), metrics);
      DebeziumEngine<ChangeEvent<String, String>> e = DebeziumEngine.create(Json.class)
          .using(engineProperties)
          .using(new Callbacks())
          .using((success, message, error) -> {
            if (!success) {
              failure.set(error != null ? error : new IllegalStateException(message));
            }
          })
          .notifying(b)
          .build();
      bridge = b;
      engine = e;
      if (stopping()) {
        return null;
      }
      LOG.info("event=engine_starting attempt={} slot={} publication={} tables={} offsets={}", attempt,
          config.slotName(), config.publicationName(), String.join(",", config.tableIncludeList()),
          config.offsetStorage().name().toLowerCase(java.util.Locale.ROOT));
      e.run();
      return failure.get() != null ? failure.get() : stopping() ? null : new IllegalStateException("engine stopped");
    } catch (RuntimeException e) {
      return e;
    } finally {
      metrics.streaming(false);
      engine = null;
      closeQuietly(producer);
    }
  }

  private static void closeQuietly(Producer<String, String> producer) {
    try {
      producer.close(Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      LOG.warn("event=producer_close_failed error=\"{}\"", e.toString());
    }
  }

  private boolean stopping() {
    return stopRequested.getCount() == 0;
  }

  /** Whether the engine is streaming (the /health answer). */
  boolean isHealthy() {
    return metrics.isStreaming();
  }

  /**
   * Graceful stop: lets the batch in flight commit, stops the engine (which stores the positions of
   * everything committed) and waits for {@link #run()} to return, bounded by shutdown.timeout.
   */
  @Override
  public void close() {
    if (stopping()) {
      awaitFinished();
      return;
    }
    stopRequested.countDown();
    long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
    try {
      KafkaBridge b = bridge;
      if (b != null && !b.drain(config.shutdownTimeout())) {
        LOG.warn("event=drain_timeout timeout_ms={}", config.shutdownTimeout().toMillis());
      }
      while (finished.getCount() > 0 && System.nanoTime() < deadline) {
        DebeziumEngine<ChangeEvent<String, String>> e = engine;
        if (e != null) {
          try {
            e.close();
          } catch (IllegalStateException notNow) {
            // Starting its tasks (closing now would leak connections) or already stopping: try again.
          } catch (IOException io) {
            LOG.warn("event=engine_close_failed error=\"{}\"", io.toString());
          }
        }
        if (finished.await(200, TimeUnit.MILLISECONDS)) {
          break;
        }
      }
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    }
    awaitFinished();
  }

  private void awaitFinished() {
    try {
      if (!finished.await(config.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("event=shutdown_timeout timeout_ms={}", config.shutdownTimeout().toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Fenced by another instance, or not authorized: restarting cannot help. */
  /** Fenced, or refused by Kafka (login, TLS handshake, ACL): a restart cannot help, an operator must. */
  static boolean isFatal(Throwable t) {
    return hasCause(t, ProducerFencedException.class) || hasCause(t, AuthorizationException.class)
        || KafkaClients.securityFailure(t) != null;
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String msg = root == t ? t.toString() : t.getClass().getSimpleName() + ": " + root;
    return msg.replace('"', '\'').replace('\n', ' ');
  }

  private final class Callbacks implements DebeziumEngine.ConnectorCallback {
    @Override
    public void pollingStarted() {
      metrics.streaming(true);
      LOG.info("event=streaming slot={}", config.slotName());
    }

    @Override
    public void pollingStopped() {
      metrics.streaming(false);
    }
  }
}
