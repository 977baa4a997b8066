package org.activitypipeline.localstack.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/** Resident memory of server processes, read from {@code /proc} (Linux). */
public final class ProcessMemory {
  private ProcessMemory() {
  }

  /**
   * Sum of VmRSS over {@code pids} and all their descendants (PostgreSQL's backends, for example),
   * in bytes; 0 where a process is gone or {@code /proc} is unavailable.
   */
  public static long residentBytes(Collection<Long> pids) {
    long total = 0;
    for (long pid : pids) {
      if (pid <= 0) {
        continue;
      }
      total += rss(pid);
      total += ProcessHandle.of(pid).map(p -> p.descendants().mapToLong(d -> rss(d.pid())).sum()).orElse(0L);
    }
    return total;
  }

  private static long rss(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }
}
