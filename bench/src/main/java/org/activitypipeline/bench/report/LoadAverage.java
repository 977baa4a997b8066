package org.activitypipeline.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's 1-minute load average (as {@code uptime} prints it), sampled at the end of every
 * measured run: the other work on the machine changes the numbers more than anything else.
 */
public final class LoadAverage {
  private double min = Double.MAX_VALUE;
  private double max = 0;
  private double sum;
  private int samples;

  /** The 1-, 5- and 15-minute load averages, e.g. {@code 3.10 2.95 2.40}. */
  public static String now() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  public synchronized void sample() {
    try {
      double one = Double.parseDouble(now().split(" ")[0]);
      min = Math.min(min, one);
      max = Math.max(max, one);
      sum += one;
      samples++;
    } catch (NumberFormatException e) {
      // no /proc/loadavg: nothing to record
    }
  }

  @Override
  public synchronized String toString() {
    return samples == 0 ? "unknown" : String.format("%.1f–%.1f (mean %.1f over %d runs)", min, max, sum / samples,
        samples);
  }
}
