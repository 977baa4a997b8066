package org.activitypipeline.batch.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.activitypipeline.localstack.testing.JarProcess;

/** {@code java -jar batch-layer.jar <args> --config FILE}, the way an operator runs it, with its output in a log file. */
public final class BatchLayerProcess implements AutoCloseable {
  private final JarProcess process;

  public BatchLayerProcess(Path dir, String name, Map<String, String> config, String... args) throws IOException {
    Path file = JarProcess.writeConfig(dir, name, config);
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--config", file.toString()));
    this.process = new JarProcess(Path.of("target", "batch-layer.jar"),
        List.of("-Xmx512m", "-Djdk.attach.allowAttachSelf=true"), all, Map.of(), dir.resolve(name + ".log"));
  }

  public BatchLayerProcess start() throws IOException {
    process.start();
    return this;
  }

  /** Runs to the end and returns the exit code. */
  public int runToEnd(long timeoutSeconds) throws Exception {
    return process.runToEnd(timeoutSeconds);
  }

  /** SIGKILL, as a crash. */
  public void kill() throws InterruptedException {
    process.kill();
  }

  /** SIGTERM, then waits for the exit code. */
  public int stop(long timeoutSeconds) throws InterruptedException {
    return process.stop(timeoutSeconds);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public String logText() {
    return process.logText();
  }

  public String logTail() {
    return process.logTail();
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
