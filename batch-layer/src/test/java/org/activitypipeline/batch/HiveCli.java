package org.activitypipeline.batch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One run of {@code java -jar local-stack/target/local-stack.jar hive ...}, as an analyst types it. */
record HiveCli(int exit, String stdout, String stderr) {
  static HiveCli run(Path dir, String stdin, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", Path.of("..", "local-stack", "target", "local-stack.jar").toAbsolutePath().toString(), "hive"));
    cmd.addAll(List.of(args));
    Files.createDirectories(dir);
    Path out = Files.createTempFile(dir, "hive-cli", ".out");
    Path err = Files.createTempFile(dir, "hive-cli", ".err");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("hive command did not finish: " + Files.readString(err));
    }
    return new HiveCli(p.exitValue(), Files.readString(out), Files.readString(err));
  }
}
