package org.activitypipeline.speed.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CdcCommandTest {
  @TempDir
  Path dir;

  @Test
  void badConfigIsOneLineNamingTheKeyAndExitCode2() throws IOException {
    Path file = dir.resolve("cdc.properties");
    Files.writeString(file, "postgres.password=x\nmax.batch.size=lots\n");
    Result r = run("--config", file.toString());
    assertEquals(2, r.code);
    assertTrue(r.err.startsWith("error: ") && r.err.contains("'max.batch.size'"), r.err);
    assertEquals(1, r.err.strip().lines().count(), "one line, no stack trace: " + r.err);
  }

  @Test
  void missingFileExitsWith2() {
    Result r = run("--config", dir.resolve("absent.properties").toString());
    assertEquals(2, r.code);
    assertFalse(r.err.contains("Exception"), r.err);
  }

  @Test
  void printsTheConfigReference() {
    Result r = run("--config-reference");
    assertEquals(0, r.code);
    assertEquals(CdcConfig.DEF.toMarkdown(), r.out);
  }

  private static Result run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int code = new CommandLine(new CdcCommand()).execute(args);
      return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  record Result(int code, String out, String err) {
  }
}
