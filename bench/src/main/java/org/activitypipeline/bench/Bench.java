package org.activitypipeline.bench;

import org.activitypipeline.bench.batch.BatchBenchmark;
import org.activitypipeline.bench.batch.ReconcileBenchmark;
import org.activitypipeline.bench.processor.ProcessorBenchmark;
import org.activitypipeline.bench.serving.FreshnessBenchmark;
import org.activitypipeline.bench.serving.ServingBenchmark;
import org.activitypipeline.bench.speed.SpeedBenchmark;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar bench/target/bench.jar <benchmark>}, run from the project root (the local stack's
 * servers are found under {@code local-stack/servers}). Each benchmark starts the servers it needs,
 * measures side by side in one run, verifies the outputs, and prints a markdown report.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, version = "bench 0.1.0",
    description = "Benchmark harnesses of the activity pipeline.", subcommands = {ProcessorBenchmark.class,
        SpeedBenchmark.class, BatchBenchmark.class, ReconcileBenchmark.class, ServingBenchmark.class,
        FreshnessBenchmark.class})
public final class Bench implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    int code = new CommandLine(new Bench()).execute(args);
    System.exit(code);
  }
}
