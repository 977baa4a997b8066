package org.activitypipeline.bench.speed;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time used so far by this JVM (the harness and whatever runs in it: the processor, the Streams
 * peer or the copy, with their GC and JIT threads) and by the processes it forked (the Kafka broker),
 * read from {@code OperatingSystemMXBean#getProcessCpuTime} and {@code /proc/PID/stat}.
 */
final class CpuMeter {
  /** Linux reports process times in clock ticks; USER_HZ is 100 on every mainstream kernel build. */
  private static final double TICKS_PER_SECOND = 100.0;

  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /** One reading. */
  record Sample(long jvmNanos, double childrenSeconds) {
    double jvmSecondsSince(Sample earlier) {
      return (jvmNanos - earlier.jvmNanos) / 1e9;
    }

    double childrenSecondsSince(Sample earlier) {
      return childrenSeconds - earlier.childrenSeconds;
    }
  }

  Sample sample() {
    double children = ProcessHandle.current().descendants().mapToDouble(CpuMeter::secondsOf).sum();
    return new Sample(os.getProcessCpuTime(), children);
  }

  /** utime + stime of one process, 0 when it is gone or /proc is not there. */
  private static double secondsOf(ProcessHandle p) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // after "pid (comm) ": state is field 0, utime field 11, stime field 12
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
