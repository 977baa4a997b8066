package org.activitypipeline.serving;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.activitypipeline.common.config.ConfigException;
import org.activitypipeline.serving.api.Serving;
import org.activitypipeline.serving.config.ServingConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar serving.jar serve --config FILE}: the HTTP API and dashboard, until SIGTERM. */
@Command(name = "serving", mixinStandardHelpOptions = true, version = "serving 0.1.0",
    description = "The serving layer of the activity pipeline: HTTP API and dashboard over the batch and speed views.",
    subcommands = {ServingMain.Serve.class})
public final class ServingMain implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ServingMain.class);

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    int code = new CommandLine(new ServingMain()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Command(name = "serve", mixinStandardHelpOptions = true,
      description = {"Serves the API under /api/v1 (OpenAPI: /api/v1/openapi.yaml), the dashboard at /, and /health,"
          + " /ready, /metrics on http.port. Each window comes from the Hudi batch view when it ends at or before the"
          + " batch horizon, else from the speed layer's aggregation topics. Runs until SIGTERM.",
          "Config keys: docs/SERVING.md; environment SERVING_* overrides."})
  static final class Serve implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "Properties file (default: built-in defaults).")
    Path config;

    @Override
    public Integer call() throws Exception {
      ServingConfig cfg;
      try {
        cfg = ServingConfig.load(config, System.getenv());
      } catch (ConfigException e) {
        System.err.println("error: " + e.getMessage());
        return 2;
      }
      Serving serving;
      try {
        serving = Serving.start(cfg, Clock.systemUTC());
      } catch (Exception e) {
        LOG.error("event=fatal process=serving error=\"{}\"", e.getMessage());
        System.err.println("error: " + e.getMessage());
        return 1;
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        LOG.info("event=shutdown_requested process=serving");
        serving.close();
        stopped.countDown();
      }, "serving-shutdown"));
      stopped.await();
      return 0;
    }
  }
}
