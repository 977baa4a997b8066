package org.activitypipeline.speed;

import org.activitypipeline.speed.cdc.CdcCommand;
import org.activitypipeline.speed.poller.PollerCommand;
import org.activitypipeline.speed.processor.ProcessorCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar speed-layer.jar <process> --config FILE}: one fat JAR, one subcommand per
 * long-running process of the speed layer. Each process runs until SIGTERM, then shuts down
 * cleanly (finishing or aborting its open Kafka transaction).
 */
@Command(name = "speed-layer", mixinStandardHelpOptions = true, version = "speed-layer 0.1.0",
    description = "The speed layer of the activity pipeline.",
    subcommands = {CdcCommand.class, PollerCommand.class, ProcessorCommand.class})
public final class SpeedLayer implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    int code = new CommandLine(new SpeedLayer()).execute(args);
    // No System.exit(0): on SIGTERM the shutdown hook waits for this thread to return, and exit()
    // called while shutdown hooks run would block until the hook gives up.
    if (code != 0) {
      System.exit(code);
    }
  }
}
