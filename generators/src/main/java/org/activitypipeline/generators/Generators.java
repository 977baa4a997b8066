package org.activitypipeline.generators;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar generators.jar employees|activities ...}: realistic load for the pipeline's two
 * sources. The logic lives in {@code employees.EmployeeGenerator} and {@code activities.ActivityGenerator},
 * which integration tests of other modules drive in-process; the subcommands only add pacing,
 * progress, limits and signal handling.
 */
@Command(name = "generators", mixinStandardHelpOptions = true, version = "generators 0.1.0",
    description = "Realistic load for the pipeline's two sources.",
    subcommands = {EmployeesCommand.class, ActivitiesCommand.class})
public final class Generators implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Generators()).execute(args));
  }
}
