package org.activitypipeline.speed.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The supervisor's failure handling, driven through the producer (no PostgreSQL needed). */
class EngineSupervisorTest {
  static final CdcConfig CONFIG = CdcConfig.load(null, Map.of("CDC_POSTGRES_PASSWORD", "x",
      "CDC_RETRY_BACKOFF_INITIAL", "10ms", "CDC_RETRY_BACKOFF_MAX", "40ms", "CDC_SHUTDOWN_TIMEOUT", "5s"));

  @Test
  void transientFailuresRestartWithBackoffUntilClosed() throws Exception {
    CdcMetrics metrics = new CdcMetrics(new SimpleMeterRegistry(), Clock.systemUTC());
    AtomicInteger attempts = new AtomicInteger();
    EngineSupervisor supervisor = new EngineSupervisor(CONFIG, () -> {
      attempts.incrementAndGet();
      MockProducer<String, String> p = new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
      p.initTransactionException = new TimeoutException("Kafka unreachable");
      return p;
    }, metrics);
    CompletableFuture<Integer> run = CompletableFuture.supplyAsync(supervisor::run);
    while (attempts.get() < 5) {
      Thread.sleep(10);
    }
    assertFalse(run.isDone(), "a transient error never ends the process");
    supervisor.close();
    assertEquals(EngineSupervisor.EXIT_STOPPED, run.get(5, TimeUnit.SECONDS));
    assertTrue(metrics.restarts() >= 4, "restarts counted: " + metrics.restarts());
    assertFalse(supervisor.isHealthy());
    supervisor.close(); // idempotent
  }

  @Test
  void fencedByAnotherInstanceIsFatal() {
    assertEquals(EngineSupervisor.EXIT_FATAL, runWith(new ProducerFencedException("epoch bumped")));
  }

  @Test
  void notAuthorizedIsFatal() {
    assertEquals(EngineSupervisor.EXIT_FATAL, runWith(new TransactionalIdAuthorizationException("no ACL")));
  }

  private static int runWith(RuntimeException initError) {
    CdcMetrics metrics = new CdcMetrics(new SimpleMeterRegistry(), Clock.systemUTC());
    MockProducer<String, String> p = new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
    p.initTransactionException = initError;
    int code = new EngineSupervisor(CONFIG, () -> p, metrics).run();
    assertTrue(p.closed(), "the failed producer is closed");
    return code;
  }
}
