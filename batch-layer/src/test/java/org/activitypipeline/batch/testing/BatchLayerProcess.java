package org.activitypipeline.batch.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code java -jar batch-layer.jar <args> --config FILE}, the way an operator runs it, with its output in a log file. */
public final class BatchLayerProcess implements AutoCloseable {

  private final List<String> command;
  private final Path log;
  private Process process;

  public BatchLayerProcess(Path dir, String name, Map<String, String> config, String... args) throws IOException {
    Path jar = Path.of("target", "batch-layer.jar").toAbsolutePath();
    if (!Files.exists(jar)) {
      throw new IllegalStateException("package the module first: " + jar);
    }
    Files.createDirectories(dir);
    Path file = dir.resolve(name + ".properties");
    StringBuilder sb = new StringBuilder();
    config.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    Files.writeString(file, sb);
    this.log = dir.resolve(name + ".log");
    this.command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-Djdk.attach.allowAttachSelf=true", "-jar", jar.toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("--config", file.toString()));
  }

  public BatchLayerProcess start() throws IOException {
    process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    return this;
  }

  /** Runs to the end and returns the exit code. */
  public int runToEnd(long timeoutSeconds) throws Exception {
    start();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("batch-layer " + command + " did not finish in " + timeoutSeconds + " s:\n" + logTail());
    }
    return process.exitValue();
  }

  /** SIGKILL, as a crash. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  /** SIGTERM, then waits for the exit code. */
  public int stop(long timeoutSeconds) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("no exit within " + timeoutSeconds + " s of SIGTERM:\n" + logTail());
    }
    return process.exitValue();
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  public String logText() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  public String logTail() {
    String text = logText();
    return text.length() > 6000 ? text.substring(text.length() - 6000) : text;
  }

  @Override
  public void close() throws InterruptedException {
    if (isAlive()) {
      kill();
    }
  }
}
