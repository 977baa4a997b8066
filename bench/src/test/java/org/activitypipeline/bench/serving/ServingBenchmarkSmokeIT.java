package org.activitypipeline.bench.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.activitypipeline.localstack.junit.LocalStackExtension;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Proves {@code bench serving} works end to end at a small size (its own Kafka and HDFS, 3 days of
 * views, serving.jar cached and uncached, answers checked before load); the real measurement is run
 * by hand (docs/BENCHMARKS.md).
 */
class ServingBenchmarkSmokeIT {
  @Test
  void smallRunVerifiesAndReports() throws IOException {
    Path charts = Path.of("target/serving-smoke-img");
    Files.deleteIfExists(charts.resolve("serving-rate.png"));
    Files.deleteIfExists(charts.resolve("serving-latency.png"));
    int offset = LocalStackExtension.portOffset() + 700;
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      code = new CommandLine(new ServingBenchmark()).execute("--days", "3", "--rates", "10", "--seconds", "3",
          "--rounds", "1", "--concurrency", "4", "--port-offset", Integer.toString(offset),
          "--charts-dir", charts.toString(), "--data-dir", "target/bench-serving-smoke-stack",
          "--serving-jar", "../serving/target/serving.jar");
    } finally {
      System.setOut(stdout);
    }
    String report = captured.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, "the benchmark checked the answers and finished:\n" + report);
    assertTrue(report.contains("| cached, fixed 10 req/s (round 1) |"), report);
    assertTrue(report.contains("| uncached, fixed 10 req/s (round 1) |"), report);
    assertTrue(report.contains("Errors (non-200 or failed requests) in all runs: 0"), report);
    assertTrue(Files.size(charts.resolve("serving-rate.png")) > 1000, "serving-rate.png written");
    assertTrue(Files.size(charts.resolve("serving-latency.png")) > 1000, "serving-latency.png written");
  }
}
