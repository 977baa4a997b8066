package org.activitypipeline.localstack.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One of the project's fat JARs run the way an operator runs it ({@code java [jvm args] -jar
 * X.jar <args>}) in its own JVM, so tests can stop it with SIGTERM or kill it with SIGKILL for
 * real. Output (stdout and stderr) goes to a log file, emptied when the object is made and appended
 * to by each (re)start. Not thread-safe beyond the synchronized lifecycle methods.
 */
public final class JarProcess implements AutoCloseable {
  private final List<String> command;
  private final Map<String, String> env;
  private final Path log;
  private Process process;

  /**
   * @param jvmArgs e.g. {@code -Xmx256m}
   * @param env extra environment variables (config overrides such as {@code SERVING_HTTP_PORT})
   */
  public JarProcess(Path jar, List<String> jvmArgs, List<String> args, Map<String, String> env, Path log) {
    if (!Files.exists(jar)) {
      throw new IllegalStateException("package the module first: " + jar.toAbsolutePath());
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs);
    cmd.add("-jar");
    cmd.add(jar.toAbsolutePath().toString());
    cmd.addAll(args);
    this.command = List.copyOf(cmd);
    this.env = Map.copyOf(env);
    this.log = log;
    // A new process object is a new run: a log left by an earlier build must not answer for this one
    // (tests search it for events). Restarts of this object append to it.
    try {
      Files.deleteIfExists(log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the old log " + log, e);
    }
  }

  /** Writes {@code config} as {@code dir/<name>.properties} and returns its path. */
  public static Path writeConfig(Path dir, String name, Map<String, String> config) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(name + ".properties");
    StringBuilder sb = new StringBuilder();
    config.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    Files.writeString(file, sb.toString());
    return file;
  }

  public synchronized JarProcess start() throws IOException {
    Files.createDirectories(log.toAbsolutePath().getParent());
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(new HashMap<>(env));
    process = pb.start();
    return this;
  }

  /** Starts, waits for the exit and returns its code; kills the process after {@code timeoutSeconds}. */
  public int runToEnd(long timeoutSeconds) throws IOException, InterruptedException {
    start();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError(command + " did not finish in " + timeoutSeconds + " s:\n" + logTail());
    }
    return process.exitValue();
  }

  /** {@code kill -9}: no shutdown hook runs, nothing is flushed. */
  public synchronized void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /**
   * {@code SIGSTOP}: every thread of the process freezes where it is (a stall: a long GC pause, a VM
   * paused by its host), sockets stay open; the kernel still delivers what it had already sent.
   */
  public synchronized void suspend() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** {@code SIGCONT}: a {@link #suspend() suspended} process carries on from where it stopped. */
  public synchronized void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  /** Operating-system process id. */
  public synchronized long pid() {
    return process.pid();
  }

  private void signal(String name) throws IOException, InterruptedException {
    if (!isAlive()) {
      throw new IllegalStateException("not running: " + command);
    }
    // The shell's built-in kill: no package needed.
    Process kill = new ProcessBuilder("sh", "-c", "kill -" + name + " " + process.pid()).inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  /** SIGTERM and wait for the exit code (SIGKILL and an error after {@code timeoutSeconds}). */
  public synchronized int stop(long timeoutSeconds) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("no exit within " + timeoutSeconds + " s of SIGTERM:\n" + logTail());
    }
    return process.exitValue();
  }

  /**
   * SIGTERM, then checks the process shut down cleanly: exit code 0 or 143 (terminated by SIGTERM
   * after the shutdown hook finished) and its {@code event=stopped process=<processName>} log line.
   *
   * @throws AssertionError with the log's tail otherwise
   */
  public void stopCleanly(String processName) throws InterruptedException {
    int exit = stop(60);
    if ((exit != 0 && exit != 143) || !logText().contains("event=stopped process=" + processName)) {
      throw new AssertionError("no clean stop of " + processName + " (exit code " + exit + "):\n" + logTail());
    }
  }

  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  public Path log() {
    return log;
  }

  /** The log's content ("" before anything was written). */
  public String logText() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  /** The last 6,000 characters of the log, for assertion messages. */
  public String logTail() {
    String text = logText();
    return text.substring(Math.max(0, text.length() - 6_000));
  }

  @Override
  public synchronized void close() throws InterruptedException {
    if (isAlive()) {
      kill();
    }
  }
}
