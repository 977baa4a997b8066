package org.activitypipeline.bench.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.activitypipeline.localstack.junit.LocalStackExtension;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Proves the harness works end to end on a small input (its own Kafka, a copy run, a processor run
 * whose output it verifies, a latency run); the real measurement is run by hand (docs/BENCHMARKS.md).
 */
class ProcessorBenchmarkSmokeIT {
  @Test
  void smallRunVerifiesAndReports() {
    int offset = LocalStackExtension.portOffset() + 500;
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      code = new CommandLine(new ProcessorBenchmark()).execute("--records", "20000", "--employees", "200", "--pairs",
          "1", "--latency-seconds", "5", "--port-offset", Integer.toString(offset), "--data-dir",
          "target/bench-smoke-stack");
    } finally {
      System.setOut(stdout);
    }
    String report = captured.toString(StandardCharsets.UTF_8);
    stdout.println(report);
    assertEquals(0, code, "the benchmark verified its output and finished");
    assertTrue(report.contains("| processor (enrich + hourly + daily, EOS) |"), report);
    assertTrue(report.contains("Event → aggregate update"), report);
  }
}
