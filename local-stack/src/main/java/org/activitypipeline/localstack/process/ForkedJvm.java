package org.activitypipeline.localstack.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server running in its own JVM on its own classpath folder, with stdout and stderr appended to
 * one log file. {@link #stop} sends SIGTERM (the server's shutdown hooks run) and falls back to
 * SIGKILL after a timeout; {@link #kill} is SIGKILL straight away, as a crash test needs.
 */
public final class ForkedJvm {
  private static final Logger LOG = LoggerFactory.getLogger(ForkedJvm.class);

  private final String name;
  private final List<String> command;
  private final Path workDir;
  private final Path logFile;
  private final Map<String, String> environment;
  private Process process;

  private ForkedJvm(Builder b) {
    this.name = b.name;
    this.workDir = b.workDir;
    this.logFile = b.logFile;
    this.environment = Map.copyOf(b.environment);
    List<String> cmd = new ArrayList<>();
    cmd.add(javaExecutable());
    cmd.addAll(b.jvmOptions);
    cmd.add("-cp");
    cmd.add(b.classpath);
    cmd.add(b.mainClass);
    cmd.addAll(b.args);
    this.command = List.copyOf(cmd);
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * The JDK that runs forked servers: {@code LOCAL_STACK_JAVA_HOME} if set, else this JVM's. The
   * servers need JDK 17 (Cassandra 5.0 and Hive 4.0.1 fail on 25); a newer launcher JVM can point
   * the servers at a 17 with that variable.
   */
  static String javaExecutable() {
    String home = System.getenv("LOCAL_STACK_JAVA_HOME");
    if (home == null || home.isBlank()) {
      home = System.getProperty("java.home");
    }
    return Path.of(home, "bin", "java").toString();
  }

  public synchronized void start() throws IOException {
    if (isAlive()) {
      throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
    }
    Files.createDirectories(workDir);
    Files.createDirectories(logFile.getParent());
    Files.writeString(logFile, "\n==== starting " + name + ": " + String.join(" ", command) + "\n",
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    ProcessBuilder pb = new ProcessBuilder(command)
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().putAll(environment);
    process = pb.start();
    LOG.info("event=forked server={} pid={} log={}", name, process.pid(), logFile);
  }

  /** Runs the command to completion (a one-shot tool such as a storage formatter). */
  public int runToCompletion(Duration timeout) throws IOException, InterruptedException {
    start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      kill();
      throw new IOException(name + " did not finish within " + timeout + "; see " + logFile);
    }
    return process.exitValue();
  }

  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  public synchronized long pid() {
    return isAlive() ? process.pid() : -1;
  }

  /** Exit code of a process that has ended, or -1 while it runs or before it started. */
  public synchronized int exitCode() {
    return process == null || process.isAlive() ? -1 : process.exitValue();
  }

  /** SIGTERM, wait up to {@code timeout}, then SIGKILL. Safe to call when not running. */
  public synchronized void stop(Duration timeout) {
    if (!isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("event=stop_timeout server={} timeout={} action=SIGKILL", name, timeout);
        kill();
      } else {
        LOG.info("event=stopped server={} exit={}", name, process.exitValue());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
    }
  }

  /** SIGKILL and wait for the process to be gone. Safe to call when not running. */
  public synchronized void kill() {
    if (process == null) {
      return;
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.info("event=killed server={}", name);
  }

  /** The last {@code lines} lines of the log, for an error message when start-up fails. */
  public String logTail(int lines) {
    try (Stream<String> all = Files.lines(logFile)) {
      List<String> list = all.toList();
      return String.join("\n", list.subList(Math.max(0, list.size() - lines), list.size()));
    } catch (IOException | java.io.UncheckedIOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  public Path logFile() {
    return logFile;
  }

  public String name() {
    return name;
  }

  /** Builder; the classpath is a conf folder (optional, first) plus every jar of a lib folder. */
  public static final class Builder {
    private final String name;
    private final List<String> jvmOptions = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> environment = new java.util.HashMap<>();
    private String classpath;
    private String mainClass;
    private Path workDir;
    private Path logFile;

    private Builder(String name) {
      this.name = name;
    }

    public Builder classpath(Path confDir, Path libDir) {
      String jars = libDir.resolve("*").toString();
      this.classpath = confDir == null ? jars : confDir + File.pathSeparator + jars;
      return this;
    }

    public Builder jvmOptions(List<String> options) {
      jvmOptions.addAll(options);
      return this;
    }

    public Builder mainClass(String mainClass, String... args) {
      this.mainClass = mainClass;
      this.args.addAll(List.of(args));
      return this;
    }

    public Builder workDir(Path dir) {
      this.workDir = dir;
      return this;
    }

    public Builder logFile(Path file) {
      this.logFile = file;
      return this;
    }

    public Builder env(String key, String value) {
      environment.put(key, value);
      return this;
    }

    public ForkedJvm build() {
      if (classpath == null || mainClass == null || workDir == null || logFile == null) {
        throw new IllegalStateException("classpath, mainClass, workDir and logFile are required for " + name);
      }
      return new ForkedJvm(this);
    }
  }
}
