package org.activitypipeline.speed.processor;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Properties;
import java.util.Map;
import org.activitypipeline.common.kafka.KafkaClients;
import org.activitypipeline.speed.employees.EmployeeDirectory;
import org.activitypipeline.speed.employees.EmployeeDirectoryReader;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream processor of one process: the employee directory (every employee and department, read
 * from the compacted topics) and {@code threads} {@link StreamThread}s sharing the consumer group.
 *
 * <pre>{@code
 * try (Processor p = Processor.start(config, registry)) {   // returns once the threads run
 *   ...                                                    // SIGTERM: p.stop(); p.awaitFinished(...)
 * }
 * }</pre>
 *
 * <p>{@link #start} checks the topics, creates the internal ones, loads the directory and starts the
 * threads; it throws {@link IllegalStateException} with a readable message when Kafka or a topic is
 * not as required. {@link #close} stops the threads (each commits its open transaction and leaves the
 * group) within {@code shutdown.timeout}; safe to call twice.
 */
public final class Processor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Processor.class);

  private final ProcessorConfig cfg;
  private final EmployeeDirectoryReader directoryReader;
  private final List<StreamThread> threads = new ArrayList<>();
  private final EmployeeDirectory directory;

  private Processor(ProcessorConfig cfg, EmployeeDirectory directory, EmployeeDirectoryReader directoryReader) {
    this.cfg = cfg;
    this.directory = directory;
    this.directoryReader = directoryReader;
  }

  public static Processor start(ProcessorConfig cfg, MeterRegistry registry) throws InterruptedException {
    int rawPartitions;
    Properties a = KafkaClients.properties(cfg.kafka(), Map.of(),
        Map.of("client.id", cfg.applicationId() + "-" + cfg.instanceId() + "-admin"));
    try (Admin admin = Admin.create(a)) {
      rawPartitions = InternalTopics.ensure(admin, cfg);
    }
    EmployeeDirectory directory = new EmployeeDirectory(cfg.employeeHistory());
    ProcessorConfig.TopicNames t = cfg.topics();
    EmployeeDirectoryReader reader = new EmployeeDirectoryReader(directory, cfg.kafka(),
        t.processedEmployees(), t.processedDepartments(), t.cdcProgress(), List.of(t.cdcEmployees(), t.cdcDepartments()),
        cfg.consumerOverrides());
    Processor p = new Processor(cfg, directory, reader);
    try {
      reader.start();
      long t0 = System.nanoTime();
      reader.awaitCaughtUp(cfg.restoreTimeout());
      LOG.info("event=directory_loaded employees={} millis={}", directory.employeeCount(),
          (System.nanoTime() - t0) / 1_000_000);
      registry.gauge("processor.directory.employees", directory, EmployeeDirectory::employeeCount);
      registry.gauge("processor.directory.versions", directory, EmployeeDirectory::versionCount);
      // How far behind the wall clock the directory is known complete (NaN until every cdc partition reported).
      io.micrometer.core.instrument.Gauge.builder("processor.directory.cdc.lag", directory, d ->
              d.completeThroughMillis() == Long.MIN_VALUE ? Double.NaN
                  : Math.max(0, System.currentTimeMillis() - d.completeThroughMillis()) / 1000.0)
          .baseUnit("seconds").description("Now minus the time through which the employee directory is complete")
          .register(registry);
      ProcessorMetrics metrics = new ProcessorMetrics(registry, StreamThread.inputTopics(t));
      Clock clock = Clock.systemUTC();
      Set<String> reported = ConcurrentHashMap.newKeySet();
      TaskFactory factory = new TaskFactory(cfg, directory, reader, rawPartitions, column -> {
        metrics.unlistedColumn(column);
        if (reported.add(column)) {
          LOG.warn("event=unlisted_column column={} action={} hint=\"not published until listed in employee.columns"
              + " (column:allow or column:hash)\"", column, cfg.columnPolicy().actionFor(column).name().toLowerCase(
              java.util.Locale.ROOT));
        }
      }, clock);
      for (int i = 0; i < cfg.threads(); i++) {
        StreamThread st = new StreamThread(i, cfg, factory, metrics, clock);
        p.threads.add(st);
        Thread th = new Thread(st, "processor-" + i);
        th.start();
      }
      return p;
    } catch (RuntimeException e) {
      p.close();
      throw e;
    }
  }

  /** Asks every thread to finish; returns at once. */
  public void stop() {
    threads.forEach(StreamThread::stop);
  }

  /** @return true if every thread finished within the timeout */
  public boolean awaitFinished(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (StreamThread t : threads) {
      long left = Math.max(0, deadline - System.nanoTime());
      if (!t.awaitFinished(Duration.ofNanos(left))) {
        return false;
      }
    }
    return true;
  }

  /** Up when the directory is read and no thread has stopped (recovering counts as up: it retries). */
  public boolean isHealthy() {
    return directoryReader.isHealthy() && threads.stream().noneMatch(t -> t.state() == StreamThread.State.STOPPED);
  }

  @Override
  public void close() {
    stop();
    try {
      if (!awaitFinished(cfg.shutdownTimeout())) {
        LOG.warn("event=shutdown_timeout timeout={}", cfg.shutdownTimeout());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    directoryReader.close();
  }
}
