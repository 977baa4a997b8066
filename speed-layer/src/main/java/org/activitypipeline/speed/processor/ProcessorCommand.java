package org.activitypipeline.speed.processor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.activitypipeline.common.config.ConfigException;
import org.activitypipeline.common.kafka.KafkaClients;
import org.activitypipeline.common.ops.MetricsServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code speed-layer processor --config FILE}: enrichment and windowed aggregations, exactly once. */
@Command(name = "processor", mixinStandardHelpOptions = true,
    description = {"Transforms employee changes, enriches activities and keeps the hourly and daily window"
        + " aggregates, in Kafka transactions (exactly once). Run several instances with distinct instance.id"
        + " to scale out. Runs until SIGTERM. Config keys: docs/PROCESSOR.md; environment PROCESSOR_* overrides."})
public final class ProcessorCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessorCommand.class);

  @Option(names = "--config", paramLabel = "FILE", description = "Properties file (default: built-in defaults).")
  Path config;

  @Override
  public Integer call() throws Exception {
    ProcessorConfig cfg;
    try {
      cfg = ProcessorConfig.load(config, System.getenv());
    } catch (ConfigException e) {
      System.err.println("error: " + e.getMessage());
      return 2;
    }
    LOG.info("event=starting process=processor application_id={} instance_id={} threads={} commit_interval_ms={}"
            + " allowed_lateness_ms={}", cfg.applicationId(), cfg.instanceId(), cfg.threads(), cfg.commitInterval().toMillis(),
        cfg.windowAllowedLateness().toMillis());
    AtomicReference<Processor> running = new AtomicReference<>();
    try (MetricsServer metrics = MetricsServer.start("processor", cfg.metricsBind(), cfg.metricsPort(),
        () -> running.get() != null && running.get().isHealthy())) {
      Processor processor;
      try {
        processor = Processor.start(cfg, metrics.registry());
      } catch (IllegalStateException | org.apache.kafka.common.KafkaException e) {
        LOG.error("event=fatal process=processor error=\"{}\"", KafkaClients.explain(e));
        return 1;
      }
      running.set(processor);
      Thread hook = new Thread(() -> {
        LOG.info("event=shutdown_requested process=processor");
        processor.close();
      }, "processor-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      LOG.info("event=started process=processor");
      while (!processor.awaitFinished(Duration.ofSeconds(1))) {
        // threads run until SIGTERM
      }
    }
    LOG.info("event=stopped process=processor");
    return 0;
  }
}
