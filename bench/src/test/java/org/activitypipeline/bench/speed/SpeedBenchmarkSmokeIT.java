package org.activitypipeline.bench.speed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.activitypipeline.localstack.junit.LocalStackExtension;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Proves {@code bench speed} works end to end on a small input: its own Kafka, one alternating round
 * of copy / processor / Kafka Streams peer (each verified), the live equality check, a latency run of
 * both, a backlog replay whose processor output must match the truth exactly, a scaling run, and
 * the PNG charts. The real measurement is run by hand (docs/BENCHMARKS.md).
 */
class SpeedBenchmarkSmokeIT {
  @Test
  void smallRunVerifiesEverythingAndReports() throws Exception {
    int offset = LocalStackExtension.portOffset() + 600;
    Path charts = Path.of("target/speed-smoke-img");
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      code = new CommandLine(new SpeedBenchmark()).execute("--records", "10000", "--employees", "200", "--pairs", "1",
          "--equality-records", "4000", "--equality-rate", "2000", "--latency-rates", "500", "--latency-seconds", "3",
          "--latency-warmup-seconds", "1",
          "--backlog-records", "10000", "--scaling-threads", "2", "--scaling-rounds", "1",
          // one Streams configuration keeps the run short; a variant differs only in its overrides
          "--streams-variants", "defaults",
          "--port-offset", Integer.toString(offset), "--data-dir", "target/speed-smoke-stack",
          "--charts-dir", charts.toString(), "--report", "target/speed-smoke-report.md");
    } finally {
      System.setOut(stdout);
    }
    String report = captured.toString(StandardCharsets.UTF_8);
    stdout.println(report);
    assertEquals(0, code, "every run verified and the backlog replay matched the truth");
    assertTrue(report.contains("| Kafka Streams peer |"), report);
    assertTrue(report.contains("| Kafka Streams peer (dropped) |"), report);
    assertTrue(report.contains("| processor vs Streams peer | "), report);
    assertTrue(report.contains("| speed-layer processor (late-activities) |"), report);
    assertTrue(report.contains("#### Processor scaling"), report);
    assertTrue(report.contains("| speed-layer processor, warm-up only |"), report);
    for (String png : new String[] {"speed-throughput.png", "speed-latency.png", "speed-backlog.png",
        "speed-scaling.png"}) {
      assertTrue(Files.size(charts.resolve(png)) > 1000, png);
    }
  }
}
