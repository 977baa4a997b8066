package org.activitypipeline.serving.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * At most {@code http.max-concurrent-queries} expensive queries at once. One more is refused at once
 * ({@link OverloadedException}: 503 with Retry-After), never queued: a queue would only turn a flood
 * into memory held by waiting requests and answers nobody waits for any more.
 *
 * <p>Metrics: {@code serving_queries_in_flight}, {@code serving_queries_in_flight_max} (the most ever
 * running at once: never above the limit) and {@code serving_queries_rejected_total}.
 */
final class QueryLimiter {
  private final int limit;
  private final Semaphore permits;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final Counter rejected;

  QueryLimiter(int limit, MeterRegistry registry) {
    this.limit = limit;
    this.permits = new Semaphore(limit);
    Gauge.builder("serving_queries_in_flight", inFlight, AtomicInteger::get).register(registry);
    Gauge.builder("serving_queries_in_flight_max", maxInFlight, AtomicInteger::get).register(registry);
    Gauge.builder("serving_queries_limit", () -> limit).register(registry);
    this.rejected = Counter.builder("serving_queries_rejected").register(registry);
  }

  /** Runs {@code query} if a permit is free, else throws {@link OverloadedException} at once. */
  <T> T call(Callable<T> query) throws Exception {
    if (!permits.tryAcquire()) {
      rejected.increment();
      throw new OverloadedException(limit);
    }
    try {
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      return query.call();
    } finally {
      inFlight.decrementAndGet();
      permits.release();
    }
  }

  int maxInFlight() {
    return maxInFlight.get();
  }

  /** Every permit is taken: 503 with Retry-After. */
  static final class OverloadedException extends RuntimeException {
    OverloadedException(int limit) {
      super(limit + " expensive queries are running; retry in a second", null, false, false);
    }
  }
}
