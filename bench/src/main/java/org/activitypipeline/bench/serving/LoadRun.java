package org.activitypipeline.bench.serving;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A load generator on loopback. {@link #fixedRate} is an open model: requests are due at a fixed
 * rate whether or not earlier ones have returned, and each latency is measured from the time the
 * request was due, so a stalled server shows as latency, not as a lower rate (no coordinated
 * omission). {@link #closedLoop} keeps {@code concurrency} requests in flight for the maximum rate.
 * Any non-200 answer is counted as an error, and a run with errors does not count.
 */
final class LoadRun {
  /** Latency percentiles in milliseconds, the achieved rate and the error count. */
  record Result(double rate, long requests, long errors, double p50Ms, double p99Ms, double maxMs) {}

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  Result fixedRate(IntFunction<String> urls, double perSecond, Duration length) throws InterruptedException {
    Recorder recorder = new Recorder(3);
    AtomicLong errors = new AtomicLong();
    AtomicLong done = new AtomicLong();
    ConcurrentLinkedQueue<CompletableFuture<?>> pending = new ConcurrentLinkedQueue<>();
    long start = System.nanoTime();
    long intervalNanos = (long) (1e9 / perSecond);
    long n = (long) (perSecond * length.toSeconds());
    for (int i = 0; i < n; i++) {
      long due = start + i * intervalNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      pending.add(send(urls.apply(i)).handle((status, e) -> {
        if (e != null || status != 200) {
          errors.incrementAndGet();
        }
        recorder.recordValue(Math.max(0, System.nanoTime() - due) / 1000);
        done.incrementAndGet();
        return null;
      }));
      pending.removeIf(CompletableFuture::isDone);
    }
    try {
      CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // The server fell behind the rate: requests still open count as errors, the run does not count.
      errors.addAndGet(pending.stream().filter(f -> !f.isDone()).count());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return result(recorder.getIntervalHistogram(), done.get() / seconds, errors.get());
  }

  Result closedLoop(IntFunction<String> urls, int concurrency, Duration length) throws InterruptedException {
    Recorder recorder = new Recorder(3);
    AtomicLong errors = new AtomicLong();
    AtomicLong done = new AtomicLong();
    Semaphore slots = new Semaphore(concurrency);
    long start = System.nanoTime();
    long end = start + length.toNanos();
    int i = 0;
    while (System.nanoTime() < end) {
      slots.acquire();
      long sent = System.nanoTime();
      send(urls.apply(i++)).handle((status, e) -> {
        if (e != null || status != 200) {
          errors.incrementAndGet();
        }
        recorder.recordValue((System.nanoTime() - sent) / 1000);
        done.incrementAndGet();
        slots.release();
        return null;
      });
    }
    slots.acquire(concurrency);
    double seconds = (System.nanoTime() - start) / 1e9;
    return result(recorder.getIntervalHistogram(), done.get() / seconds, errors.get());
  }

  private CompletableFuture<Integer> send(String url) {
    return http.sendAsync(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode);
  }

  private static Result result(Histogram h, double rate, long errors) {
    return new Result(rate, h.getTotalCount(), errors, h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
  }

  static List<String> header() {
    return List.of("| run | requests | achieved req/s | p50 ms | p99 ms | max ms |", "|---|---|---|---|---|---|");
  }

  static String row(String name, Result r) {
    return String.format("| %s | %,d | %,.0f | %.1f | %.1f | %.1f |", name, r.requests(), r.rate(), r.p50Ms(),
        r.p99Ms(), r.maxMs());
  }
}
