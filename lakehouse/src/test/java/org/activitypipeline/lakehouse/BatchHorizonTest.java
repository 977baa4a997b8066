package org.activitypipeline.lakehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The horizon file on the local file system (HDFS is exercised by the batch-layer ITs). */
class BatchHorizonTest {
  private static final Instant T = Instant.parse("2026-11-24T10:00:00Z");

  @TempDir
  Path dir;

  private String lakehouse() {
    return dir.toUri().toString();
  }

  @Test
  void aNewHorizonReplacesTheOldAndLeavesNoTemporaryFileBehind() throws IOException {
    Configuration conf = new Configuration();
    assertEquals(Optional.empty(), BatchHorizon.read(lakehouse(), conf));
    new BatchHorizon(T, T, "a").write(lakehouse(), conf);
    new BatchHorizon(T.plusSeconds(3_600), T, "b").write(lakehouse(), conf);
    assertEquals(new BatchHorizon(T.plusSeconds(3_600), T, "b"), BatchHorizon.read(lakehouse(), conf).orElseThrow());
    try (Stream<Path> files = Files.list(dir)) {
      List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc")).toList();
      assertEquals(List.of(BatchHorizon.FILE), names);
    }
  }

  /** Replaced by delete-then-rename, a reader between the two found no horizon at all. */
  @Test
  void aReaderNeverFindsTheHorizonMissingOrHalfWrittenWhileItIsReplaced() throws Exception {
    Configuration conf = new Configuration();
    new BatchHorizon(T, T, "0").write(lakehouse(), conf);
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicReference<Throwable> readFailure = new AtomicReference<>();
    AtomicInteger reads = new AtomicInteger();
    Thread reader = new Thread(() -> {
      try {
        while (writing.get()) {
          assertTrue(BatchHorizon.read(lakehouse(), conf).isPresent(), "the horizon is always there");
          reads.incrementAndGet();
        }
      } catch (Throwable e) {
        readFailure.set(e);
      }
    });
    reader.start();
    for (int i = 1; i <= 150 && readFailure.get() == null; i++) {
      new BatchHorizon(T.plusSeconds(i), T, Integer.toString(i)).write(lakehouse(), conf);
    }
    writing.set(false);
    reader.join();
    if (readFailure.get() != null) {
      throw new AssertionError("after " + reads.get() + " good reads", readFailure.get());
    }
    assertTrue(reads.get() > 0);
  }
}
