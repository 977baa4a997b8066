package org.activitypipeline.speed.cdc;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.activitypipeline.common.config.ConfigException;
import org.activitypipeline.common.ops.MetricsServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code speed-layer cdc --config FILE}: the CDC process (PostgreSQL → Kafka). Only wires; see {@link EngineSupervisor}. */
@Command(name = "cdc", mixinStandardHelpOptions = true,
    description = {"Streams PostgreSQL changes (pgoutput logical replication, embedded Debezium) to the"
        + " cdc.public.* topics, effectively once: each batch is one Kafka transaction, and a position is"
        + " acknowledged to Debezium only after its transaction committed.",
        "Runs until SIGTERM. Config keys: docs/CDC.md; environment variables CDC_* override the file.",
        "Exit codes: 0 stopped, 2 bad configuration, 3 fenced by another instance or not authorized."})
public final class CdcCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(CdcCommand.class);

  @Option(names = "--config", paramLabel = "FILE", description = "Properties file (keys: docs/CDC.md).")
  Path config;

  @Option(names = "--config-reference", description = "Print the Markdown reference of every config key and exit.")
  boolean configReference;

  @Override
  public Integer call() {
    if (configReference) {
      System.out.print(CdcConfig.DEF.toMarkdown());
      return 0;
    }
    CdcConfig cfg;
    try {
      cfg = CdcConfig.load(config, System.getenv());
    } catch (ConfigException e) {
      System.err.println("error: " + e.getMessage());
      return 2;
    }
    LOG.info("event=starting process=cdc config=\"{}\"", cfg);
    EngineSupervisor[] holder = new EngineSupervisor[1];
    MetricsServer metricsServer;
    try {
      metricsServer = MetricsServer.start("cdc", cfg.metricsBind(), cfg.metricsPort(),
          () -> holder[0] != null && holder[0].isHealthy());
    } catch (IOException e) {
      System.err.println("error: metrics.port: " + e.getMessage());
      return 2;
    }
    try (metricsServer; SlotMonitor slot = new SlotMonitor(cfg, metricsServer.registry())) {
      slot.start(Duration.ofSeconds(15));
      CdcMetrics metrics = new CdcMetrics(metricsServer.registry(), Clock.systemUTC());
      EngineSupervisor supervisor = new EngineSupervisor(cfg,
          () -> new KafkaProducer<>(KafkaBridge.producerConfig(cfg), new StringSerializer(), new StringSerializer()),
          metrics);
      holder[0] = supervisor;
      CountDownLatch done = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        LOG.info("event=shutdown_requested process=cdc");
        supervisor.close();
        try {
          done.await(5, TimeUnit.SECONDS); // let call() log its last line (not main's System.exit: it blocks now)
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "cdc-shutdown"));
      try {
        int code = supervisor.run();
        LOG.info("event=stopped process=cdc exit_code={} last_lsn={} restarts={}", code, metrics.lastLsn(),
            (long) metrics.restarts());
        return code;
      } finally {
        done.countDown();
      }
    }
  }
}
