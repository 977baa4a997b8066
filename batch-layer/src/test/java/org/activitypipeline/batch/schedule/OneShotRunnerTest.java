package org.activitypipeline.batch.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class OneShotRunnerTest {

  @Test
  void unknownJobListsTheKnownNames() {
    OneShotRunner runner = new OneShotRunner(List.of(TestJobs.noop("views"), TestJobs.noop("ingest")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> runner.run("ingset"));
    assertEquals("unknown job 'ingset'; known jobs: ingest, views", e.getMessage());
  }

  @Test
  void runsTheJobAndReturnsItsSummary() throws Exception {
    OneShotRunner runner = new OneShotRunner(List.of(TestJobs.job("ingest", () -> "42 records")));
    assertEquals("42 records", runner.run("ingest"));
  }

  @Test
  void aFailureReachesTheCallerAndTheListenerUnchanged() {
    IOException boom = new IOException("hdfs down");
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    OneShotRunner runner = new OneShotRunner(List.of(TestJobs.job("ingest", () -> {
      throw boom;
    })), new JobScheduler.Listener() {
      @Override
      public void finished(String job, Duration duration) {}

      @Override
      public void failed(String job, Duration duration, Throwable error) {
        failures.add(error);
      }
    }, Clock.systemUTC());
    assertSame(boom, assertThrows(IOException.class, () -> runner.run("ingest")));
    assertEquals(List.of(boom), failures);
  }

  @Test
  void aBrokenListenerDoesNotFailASuccessfulRun() throws Exception {
    JobScheduler.Listener broken = new JobScheduler.Listener() {
      @Override
      public void finished(String job, Duration duration) {
        throw new IllegalStateException("metrics registry closed");
      }

      @Override
      public void failed(String job, Duration duration, Throwable error) {}
    };
    OneShotRunner runner = new OneShotRunner(List.of(TestJobs.job("ingest", () -> "ok")), broken, Clock.systemUTC());
    assertEquals("ok", runner.run("ingest"));
  }

  @Test
  void twoJobsWithTheSameNameAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new OneShotRunner(List.of(TestJobs.noop("ingest"), TestJobs.noop("ingest"))));
    assertEquals(true, e.getMessage().startsWith("two jobs are named 'ingest'"), e.getMessage());
  }
}
