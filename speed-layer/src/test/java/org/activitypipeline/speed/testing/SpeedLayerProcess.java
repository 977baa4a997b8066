package org.activitypipeline.speed.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.activitypipeline.localstack.testing.JarProcess;

/**
 * A speed-layer process run the way production runs it: {@code java -jar speed-layer.jar <command>
 * --config FILE} in its own JVM, so a test can {@code kill -9} it for real. Output goes to a log
 * file next to the config.
 */
public final class SpeedLayerProcess implements AutoCloseable {
  private final JarProcess process;
  private final String subcommand;

  private SpeedLayerProcess(JarProcess process, String subcommand) {
    this.process = process;
    this.subcommand = subcommand;
  }

  /** Writes {@code config} to {@code dir/<name>.properties}; nothing starts until {@link #start()}. */
  public static SpeedLayerProcess of(String subcommand, Path dir, String name, Map<String, String> config)
      throws IOException {
    Path file = JarProcess.writeConfig(dir, name, config);
    return new SpeedLayerProcess(new JarProcess(Path.of("target", "speed-layer.jar"), List.of("-Xmx256m"),
        List.of(subcommand, "--config", file.toString()), Map.of(), dir.resolve(name + ".log")), subcommand);
  }

  public void start() throws IOException {
    process.start();
  }

  /** {@code kill -9}: no shutdown hook, no flush, the open transaction left hanging. */
  public void kill() throws InterruptedException {
    process.kill();
  }

  /** {@code SIGSTOP}: the whole process stalls (see {@link JarProcess#suspend()}). */
  public void suspend() throws IOException, InterruptedException {
    process.suspend();
  }

  /** {@code SIGCONT} after {@link #suspend()}. */
  public void resume() throws IOException, InterruptedException {
    process.resume();
  }

  /** SIGTERM and wait: the graceful path. @return the exit code */
  public int stop() throws InterruptedException {
    return process.stop(60);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Path log() {
    return process.log();
  }

  /** SIGTERM, then checks the process shut down cleanly (exit 0 or 143 and its stopped log line). */
  public void stopCleanly() throws InterruptedException {
    process.stopCleanly(subcommand);
  }

  /** The end of the log, for assertion messages. */
  public String logTail() {
    return process.logTail();
  }

  /** The log's content, for assertion messages. */
  public String logText() {
    return process.logText();
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
