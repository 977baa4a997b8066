package org.activitypipeline.generators;

import java.util.function.Supplier;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Mutes the Cassandra driver's warnings while the command connects: a refused connection or a wrong
 * datacenter is then reported once, as the command's own one-line error, instead of as driver log
 * lines. Afterwards (while running) the driver logs as configured, so reconnects stay visible.
 */
final class QuietDriverStartup {
  private static final String DRIVER = "com.datastax.oss.driver";

  private QuietDriverStartup() {
  }

  static <T> T run(Supplier<T> connect) {
    Level before = LogManager.getLogger(DRIVER).getLevel();
    Configurator.setLevel(DRIVER, Level.ERROR);
    try {
      return connect.get();
    } finally {
      Configurator.setLevel(DRIVER, before);
    }
  }
}
