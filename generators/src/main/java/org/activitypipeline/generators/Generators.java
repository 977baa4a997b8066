package org.activitypipeline.generators;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar generators.jar employees|activities ...}. */
@Command(name = "generators", mixinStandardHelpOptions = true, version = "generators 0.1.0",
    description = "Realistic load for the pipeline's two sources.")
public final class Generators implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Generators()).execute(args));
  }
}
