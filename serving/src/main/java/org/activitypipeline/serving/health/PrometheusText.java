package org.activitypipeline.serving.health;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the Prometheus text exposition format (version 0.0.4, what every process's {@code /metrics}
 * writes through Micrometer) into samples. Comments and {@code # HELP}/{@code # TYPE} lines are
 * skipped; label values are unescaped; an optional timestamp after the value is ignored. A line that
 * does not parse is skipped and counted, never fatal: one odd metric must not blank the health view.
 *
 * <p>Hand-written because the Prometheus Java libraries only write this format; it is small and
 * tested against Micrometer's own output.
 */
public final class PrometheusText {
  private PrometheusText() {}

  /** One sample line: {@code name{labels} value}. */
  public record Sample(String name, Map<String, String> labels, double value) {
    public Sample {
      labels = Map.copyOf(labels);
    }
  }

  /** The samples of one exposition, and how many lines could not be read. */
  public record Parsed(List<Sample> samples, int skippedLines) {}

  public static Parsed parse(String text) {
    List<Sample> samples = new ArrayList<>();
    int skipped = 0;
    for (String line : text.split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      Sample s = parseLine(l);
      if (s == null) {
        skipped++;
      } else {
        samples.add(s);
      }
    }
    return new Parsed(List.copyOf(samples), skipped);
  }

  /** The sample of one non-comment line, or null when it is not one. */
  static Sample parseLine(String line) {
    int i = 0;
    int n = line.length();
    while (i < n && isNameChar(line.charAt(i), i == 0)) {
      i++;
    }
    if (i == 0) {
      return null;
    }
    String name = line.substring(0, i);
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < n && line.charAt(i) == '{') {
      i++;
      while (true) {
        while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == ',')) {
          i++;
        }
        if (i < n && line.charAt(i) == '}') {
          i++;
          break;
        }
        int start = i;
        while (i < n && isNameChar(line.charAt(i), i == start)) {
          i++;
        }
        if (i == start || i + 1 >= n || line.charAt(i) != '=' || line.charAt(i + 1) != '"') {
          return null;
        }
        String label = line.substring(start, i);
        i += 2;
        StringBuilder value = new StringBuilder();
        boolean closed = false;
        while (i < n) {
          char c = line.charAt(i++);
          if (c == '\\' && i < n) {
            char e = line.charAt(i++);
            value.append(e == 'n' ? '\n' : e); // \\ and \" stand for themselves
          } else if (c == '"') {
            closed = true;
            break;
          } else {
            value.append(c);
          }
        }
        if (!closed) {
          return null;
        }
        labels.put(label, value.toString());
      }
    }
    String[] rest = line.substring(i).strip().split("\\s+");
    if (rest.length < 1 || rest[0].isEmpty()) {
      return null;
    }
    Double value = number(rest[0]);
    return value == null ? null : new Sample(name, labels, value);
  }

  private static Double number(String s) {
    switch (s) {
      case "NaN":
        return Double.NaN;
      case "+Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      default:
        try {
          return Double.parseDouble(s);
        } catch (NumberFormatException e) {
          return null;
        }
    }
  }

  private static boolean isNameChar(char c, boolean first) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':' || !first && c >= '0' && c <= '9';
  }
}
