package org.activitypipeline.bench.batch;

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
 * Proves {@code bench batch} works end to end on a small input (its own PostgreSQL, Kafka and HDFS;
 * an ingest and a bulk insert it verifies; small files and a clustering run it checks); the real
 * measurement is run by hand (docs/BENCHMARKS.md).
 */
class BatchBenchmarkSmokeIT {
  @Test
  void smallRunVerifiesAndReports() throws IOException {
    Path charts = Path.of("target/batch-smoke-img");
    Files.deleteIfExists(charts.resolve("batch-ingest.png"));
    Files.deleteIfExists(charts.resolve("batch-files.png"));
    int offset = LocalStackExtension.portOffset() + 600;
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      code = new CommandLine(new BatchBenchmark()).execute("--records", "6000", "--commit-records", "2000",
          "--pairs", "1", "--small-ingests", "4", "--small-records", "500", "--target-file-mb", "1",
          "--port-offset", Integer.toString(offset), "--charts-dir", charts.toString(),
          "--data-dir", "target/bench-batch-smoke-stack");
    } finally {
      System.setOut(stdout);
    }
    String report = captured.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, "the benchmark verified its tables and finished:\n" + report);
    assertTrue(report.contains("| batch-layer ingest"), report);
    assertTrue(report.contains("| before clustering | 4 files"), report);
    assertTrue(report.contains("The same activity ids before and after clustering (checked)."), report);
    assertTrue(Files.size(charts.resolve("batch-ingest.png")) > 1000, "batch-ingest.png written");
    assertTrue(Files.size(charts.resolve("batch-files.png")) > 1000, "batch-files.png written");
  }
}
