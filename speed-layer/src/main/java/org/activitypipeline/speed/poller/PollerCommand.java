package org.activitypipeline.speed.poller;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.activitypipeline.common.config.ConfigException;
import org.activitypipeline.common.ops.MetricsServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code speed-layer poller --config FILE}: the Cassandra poller process. */
@Command(name = "poller", mixinStandardHelpOptions = true,
    description = {"Streams new activity rows from Cassandra to the raw-activities topic, exactly once.",
        "Reads only recent write-time partitions; the watermark is committed in the same Kafka transaction"
            + " as the rows. Runs until SIGTERM. Config keys: docs/POLLER.md; environment POLLER_* overrides."})
public final class PollerCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(PollerCommand.class);

  @Option(names = "--config", paramLabel = "FILE", description = "Properties file (default: built-in defaults).")
  Path config;

  @Override
  public Integer call() throws Exception {
    PollerConfig cfg;
    try {
      cfg = PollerConfig.load(config, System.getenv());
    } catch (ConfigException e) {
      System.err.println("error: " + e.getMessage());
      return 2;
    }
    LOG.info("event=starting process=poller transactional_id={} shards={} interval_ms={} lag_ms={} late_window_ms={}",
        cfg.transactionalId(), cfg.shards(), cfg.pollInterval().toMillis(), cfg.lag().toMillis(),
        cfg.lateWindow().toMillis());
    ActivityPoller[] holder = new ActivityPoller[1];
    try (MetricsServer metrics = MetricsServer.start("poller", cfg.metricsBind(), cfg.metricsPort(),
        () -> holder[0] != null && holder[0].isHealthy());
        ActivityPoller poller = new ActivityPoller(cfg, Clock.systemUTC(), metrics.registry())) {
      holder[0] = poller;
      Thread main = Thread.currentThread();
      Thread hook = new Thread(() -> {
        LOG.info("event=shutdown_requested process=poller");
        poller.stop();
        try {
          if (!poller.awaitFinished(Duration.ofSeconds(60))) {
            LOG.warn("event=shutdown_timeout process=poller");
          }
          main.join(15_000); // let the main thread close the producer and the session
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "poller-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        poller.run();
      } catch (IllegalStateException e) {
        LOG.error("event=fatal process=poller error=\"{}\"", e.getMessage());
        return 1;
      }
    }
    LOG.info("event=stopped process=poller");
    return 0;
  }
}
