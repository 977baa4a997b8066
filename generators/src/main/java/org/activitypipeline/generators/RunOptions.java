package org.activitypipeline.generators;

import java.security.SecureRandom;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** How long a generator runs and its seed; shared by both subcommands. */
final class RunOptions {
  @Option(names = "--count", paramLabel = "N",
      description = "Stop after N rows (with --duration: whichever comes first). Neither: run until Ctrl-C / SIGTERM.")
  Long count;

  @Option(names = "--duration", paramLabel = "TIME", converter = DurationConverter.class,
      description = "Stop after this long, e.g. 30s, 5m, 1h30m (with --count: whichever comes first).")
  Duration duration;

  @Option(names = "--seed", paramLabel = "N",
      description = "Seed of every random choice, to reproduce a run. Default: a random seed, printed at start.")
  Long seed;

  RunLimits limits(CommandLine commandLine) {
    try {
      return new RunLimits(count, duration);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(commandLine, e.getMessage());
    }
  }

  long seed() {
    return seed != null ? seed : new SecureRandom().nextLong();
  }
}
