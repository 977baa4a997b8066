package org.activitypipeline.speed.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A speed-layer process run the way production runs it: {@code java -jar speed-layer.jar <command>
 * --config FILE} in its own JVM, so a test can {@code kill -9} it for real. Output goes to a log
 * file next to the config.
 */
public final class SpeedLayerProcess implements AutoCloseable {
  private final List<String> command;
  private final Path log;
  private Process process;

  private SpeedLayerProcess(List<String> command, Path log) {
    this.command = command;
    this.log = log;
  }

  /** Writes {@code config} to {@code dir/<name>.properties}; nothing starts until {@link #start()}. */
  public static SpeedLayerProcess of(String subcommand, Path dir, String name, Map<String, String> config)
      throws IOException {
    Path jar = Path.of("target", "speed-layer.jar").toAbsolutePath();
    if (!Files.exists(jar)) {
      throw new IllegalStateException("package the module first: " + jar);
    }
    Files.createDirectories(dir);
    Path file = dir.resolve(name + ".properties");
    StringBuilder sb = new StringBuilder();
    config.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    Files.writeString(file, sb.toString());
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-jar", jar.toString(), subcommand, "--config", file.toString()));
    return new SpeedLayerProcess(cmd, dir.resolve(name + ".log"));
  }

  public synchronized void start() throws IOException {
    process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
  }

  /** {@code kill -9}: no shutdown hook, no flush, the open transaction left hanging. */
  public synchronized void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM and wait: the graceful path. @return the exit code */
  public synchronized int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("did not stop within 60 s after SIGTERM; log: " + log);
    }
    return process.exitValue();
  }

  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  public Path log() {
    return log;
  }

  /**
   * SIGTERM, then checks the process shut down cleanly: exit code 0 or 143 (killed by SIGTERM after
   * the shutdown hook finished) and its {@code event=stopped process=<subcommand>} log line.
   *
   * @throws AssertionError with the log's tail otherwise
   */
  public void stopCleanly() throws InterruptedException {
    int exit = stop();
    String subcommand = command.get(command.indexOf("--config") - 1);
    if ((exit != 0 && exit != 143) || !logText().contains("event=stopped process=" + subcommand)) {
      throw new AssertionError("no clean stop of " + subcommand + " (exit code " + exit + "):\n" + logTail());
    }
  }

  /** The last 4,000 characters of the log, for assertion messages. */
  public String logTail() {
    String text = logText();
    return text.substring(Math.max(0, text.length() - 4_000));
  }

  /** The log's content, for assertion messages. */
  public String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  @Override
  public synchronized void close() throws InterruptedException {
    if (isAlive()) {
      kill();
    }
  }
}
