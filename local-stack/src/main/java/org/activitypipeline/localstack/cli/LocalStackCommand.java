package org.activitypipeline.localstack.cli;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.activitypipeline.localstack.LocalStack;
import org.activitypipeline.localstack.ServerKind;
import org.activitypipeline.localstack.StackPorts;
import org.activitypipeline.localstack.process.ProcessMemory;
import org.activitypipeline.localstack.process.ServerStartException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar local-stack.jar up --data-dir DIR [--only LIST] [--port-offset N]}. */
@Command(name = "local-stack", mixinStandardHelpOptions = true, version = "local-stack 0.1.0",
    description = "Runs real PostgreSQL, Kafka, Cassandra, HDFS, Hive Metastore and HiveServer2 on 127.0.0.1.",
    subcommands = {LocalStackCommand.Up.class, HiveCommand.class, KafkaCommand.class})
public final class LocalStackCommand implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalStackCommand.class);

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    CommandLine cmd = new CommandLine(new LocalStackCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    // Everything after "kafka TOOL" belongs to the tool (its own options, its own --help).
    cmd.getSubcommands().get("kafka").setStopAtPositional(true);
    System.exit(cmd.execute(args));
  }

  @Command(name = "up", mixinStandardHelpOptions = true,
      description = {"Starts the servers, applies the schemas, writes DIR/stack.properties, prints READY and runs "
          + "until SIGTERM or Ctrl-C, then stops every server cleanly. Running it again on the same DIR keeps all data.",
          "Servers: postgres, kafka, cassandra, hdfs, hive-metastore, hiveserver2."})
  static final class Up implements Callable<Integer> {
    @Option(names = "--data-dir", required = true, description = "Folder for all server data and logs.")
    Path dataDir;

    @Option(names = "--only", split = ",", paramLabel = "SERVER",
        description = "Start only these servers (and what they need), e.g. --only postgres,kafka.")
    List<String> only;

    @Option(names = "--port-offset", defaultValue = "0",
        description = "Added to every default port (postgres 15432, kafka 19092, cassandra 19042, hdfs 18020, "
            + "metastore 19083, hiveserver2 20000), to run a second stack beside the first. Default: ${DEFAULT-VALUE}.")
    int portOffset;

    @Override
    public Integer call() throws Exception {
      Set<ServerKind> kinds;
      try {
        kinds = only == null ? EnumSet.allOf(ServerKind.class)
            : EnumSet.copyOf(only.stream().map(ServerKind::fromCliName).toList());
      } catch (IllegalArgumentException e) {
        System.err.println("error: " + e.getMessage());
        return 2;
      }
      CountDownLatch stopped = new CountDownLatch(1);
      long t0 = System.nanoTime();
      LocalStack stack;
      try {
        stack = LocalStack.create(dataDir, StackPorts.defaults().shiftedBy(portOffset));
      } catch (ServerStartException | IllegalArgumentException | java.io.IOException e) {
        System.err.println("error: " + e.getMessage());
        return 1;
      }
      Thread hook = new Thread(() -> {
        LOG.info("event=shutdown_requested");
        stack.close();
        stopped.countDown();
      }, "local-stack-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      Path props;
      try {
        stack.start(kinds);
        props = stack.writeStackProperties();
      } catch (ServerStartException | java.io.IOException e) {
        System.err.println("error: " + e.getMessage());
        return 1;
      }
      LOG.info("event=ready seconds={} stack_properties={}", String.format("%.1f", (System.nanoTime() - t0) / 1e9),
          props);
      stack.startTimes().forEach((kind, took) -> LOG.info("event=server_summary server={} start_seconds={} rss_mb={}",
          kind.cliName(), String.format("%.1f", took.toMillis() / 1000.0),
          ProcessMemory.residentBytes(stack.server(kind).pids()) / (1024 * 1024)));
      System.out.println("READY");
      System.out.flush();
      stopped.await();
      return 0;
    }
  }
}
