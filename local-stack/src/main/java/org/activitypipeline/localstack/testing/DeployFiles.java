package org.activitypipeline.localstack.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.activitypipeline.common.config.ConfigDef;
import org.activitypipeline.common.config.ConfigKey;
import org.activitypipeline.common.config.ConfigType;

/**
 * The shipped deployment files ({@code deploy/config/} for VMs, {@code deploy/compose/} for
 * docker-compose.yml), read by every process's config test so that they cannot drift from the config
 * classes. Paths are relative to a module folder (tests run there).
 */
public final class DeployFiles {
  /** Example production configs and the examples of their systemd environment files. */
  public static final Path PRODUCTION = Path.of("..", "deploy", "config");
  /** The configs docker-compose.yml mounts. */
  public static final Path COMPOSE = Path.of("..", "deploy", "compose");

  private DeployFiles() {
  }

  /**
   * The variables an {@code .env.example} file sets (comments skipped), after asserting that each
   * is the environment name of a key of {@code def}, or {@code JAVA_OPTS} (read by the unit, not
   * the process).
   */
  public static Map<String, String> envExample(String name, ConfigDef def) {
    Set<String> known = def.keys().stream().map(k -> def.envName(k.name())).collect(Collectors.toSet());
    Map<String, String> env = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(PRODUCTION.resolve(name))) {
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#")) {
          continue;
        }
        int eq = l.indexOf('=');
        assertTrue(eq > 0, name + ": not KEY=value: " + line);
        String variable = l.substring(0, eq);
        if (!variable.equals("JAVA_OPTS")) {
          assertTrue(known.contains(variable), name + ": " + variable + " overrides no key of this process");
          env.put(variable, l.substring(eq + 1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return env;
  }

  /** Asserts that {@code file} sets no key of type password: secrets belong in the environment file. */
  public static void assertNoSecrets(Path file, ConfigDef def) {
    Properties props = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      props.load(r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertFalse(props.isEmpty(), file + " is empty");
    for (ConfigKey<?> key : def.keys()) {
      if (key.type() == ConfigType.PASSWORD) {
        assertFalse(props.containsKey(key.name()),
            file + " sets " + key.name() + ": put it in the environment (" + def.envName(key.name()) + ")");
      }
    }
  }
}
