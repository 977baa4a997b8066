package org.activitypipeline.serving.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class QueryLimiterTest {

  @Test
  void pastTheLimitAQueryIsRefusedAtOnceAndAFreedPermitIsReused() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    QueryLimiter limiter = new QueryLimiter(2, registry);
    CountDownLatch running = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?>[] held = new Future<?>[2];
      for (int i = 0; i < 2; i++) {
        held[i] = pool.submit(() -> limiter.call(() -> {
          running.countDown();
          return release.await(1, TimeUnit.MINUTES);
        }));
      }
      // Both permits are taken while the latch holds the two queries.
      running.await(1, TimeUnit.MINUTES);
      assertThrows(QueryLimiter.OverloadedException.class, () -> limiter.call(() -> "third"));
      assertEquals(1.0, registry.get("serving_queries_rejected").counter().count());
      assertEquals(2.0, registry.get("serving_queries_in_flight").gauge().value());
      release.countDown();
      for (Future<?> f : held) {
        f.get(1, TimeUnit.MINUTES);
      }
      assertEquals("again", limiter.call(() -> "again"));
      assertEquals(2, limiter.maxInFlight());
      assertEquals(0.0, registry.get("serving_queries_in_flight").gauge().value());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aFailingQueryGivesItsPermitBack() throws Exception {
    QueryLimiter limiter = new QueryLimiter(1, new SimpleMeterRegistry());
    assertThrows(IllegalStateException.class, () -> limiter.call(() -> {
      throw new IllegalStateException("boom");
    }));
    assertEquals("next", limiter.call(() -> "next"));
  }
}
