package org.activitypipeline.localstack.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A small log4j2 configuration for a forked server: one line per event on stdout (which the
 * launcher appends to the server's log file), INFO by default, quieter loggers as given.
 */
public final class Log4j2Config {
  private Log4j2Config() {
  }

  /** Writes the file and returns the JVM option that selects it. */
  public static String write(Path file, Map<String, String> loggerLevels) throws IOException {
    StringBuilder sb = new StringBuilder("""
        status = warn
        appender.out.type = Console
        appender.out.name = out
        appender.out.layout.type = PatternLayout
        appender.out.layout.pattern = %d{ISO8601}{UTC}Z %-5p [%t] %c{1.} - %m%n
        rootLogger.level = info
        rootLogger.appenderRef.out.ref = out
        """);
    int i = 0;
    for (Map.Entry<String, String> e : loggerLevels.entrySet()) {
      sb.append("logger.l").append(i).append(".name = ").append(e.getKey()).append('\n');
      sb.append("logger.l").append(i).append(".level = ").append(e.getValue()).append('\n');
      i++;
    }
    Files.createDirectories(file.getParent());
    Files.writeString(file, sb.toString());
    return "-Dlog4j2.configurationFile=" + file.toAbsolutePath();
  }
}
