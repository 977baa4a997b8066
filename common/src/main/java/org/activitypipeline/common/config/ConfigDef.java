package org.activitypipeline.common.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The declared configuration keys of one process and how to load them: a properties file, then
 * environment variables on top. A key {@code kafka.bootstrap.servers} with env prefix {@code SPEED}
 * is overridden by {@code SPEED_KAFKA_BOOTSTRAP_SERVERS}. Unknown keys in the file are rejected
 * (a typo must not silently fall back to a default), except under declared pass-through prefixes.
 * A secret can come from a file instead: {@code SPEED_KAFKA_CLIENT_PASSWORD_FILE=/run/credentials/...}
 * sets the key to that file's content (trailing line breaks removed).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ConfigDef {
  /** Suffix of the environment variable naming a file that holds a key's value: {@code SERVING_AUTH_TOKEN_FILE}. */
  public static final String FILE_SUFFIX = "_FILE";
  private final String envPrefix;
  private final Map<String, ConfigKey<?>> keys;
  private final List<String> passThroughPrefixes;
  /** Old key name to the key that replaced it: an old name in a file or the environment is refused by name. */
  private final Map<String, String> renamed;

  private ConfigDef(String envPrefix, Map<String, ConfigKey<?>> keys, List<String> passThroughPrefixes,
                    Map<String, String> renamed) {
    this.envPrefix = envPrefix;
    this.keys = keys;
    this.passThroughPrefixes = passThroughPrefixes;
    this.renamed = renamed;
  }

  /** @param envPrefix prefix of environment overrides, e.g. {@code SPEED} for {@code SPEED_POLL_INTERVAL} */
  public static ConfigDef withEnvPrefix(String envPrefix) {
    return new ConfigDef(envPrefix, new LinkedHashMap<>(), List.of(), Map.of());
  }

  public ConfigDef define(ConfigKey<?> key) {
    if (keys.containsKey(key.name())) {
      throw new IllegalArgumentException("config key '" + key.name() + "' is defined twice");
    }
    Map<String, ConfigKey<?>> copy = new LinkedHashMap<>(keys);
    copy.put(key.name(), key);
    return new ConfigDef(envPrefix, copy, passThroughPrefixes, renamed);
  }

  /** Accept any key starting with {@code prefix} and hand it through {@link Config#withPrefix}. */
  public ConfigDef passThrough(String prefix) {
    List<String> copy = new ArrayList<>(passThroughPrefixes);
    copy.add(prefix);
    return new ConfigDef(envPrefix, keys, List.copyOf(copy), renamed);
  }

  /**
   * Declares that {@code oldName} was renamed to {@code now}: a file or environment that still sets
   * the old name is refused with a message naming both, rather than the generic unknown-key error
   * (or, in the environment, being silently ignored).
   */
  public ConfigDef renamed(String oldName, ConfigKey<?> now) {
    if (!declares(now)) {
      throw new IllegalArgumentException("config key '" + now.name() + "' must be defined before its old name");
    }
    Map<String, String> copy = new LinkedHashMap<>(renamed);
    copy.put(oldName, now.name());
    return new ConfigDef(envPrefix, keys, passThroughPrefixes, Map.copyOf(copy));
  }

  public List<ConfigKey<?>> keys() {
    return List.copyOf(keys.values());
  }

  boolean declares(ConfigKey<?> key) {
    return keys.get(key.name()) == key;
  }

  /** The environment variable that overrides {@code key}. */
  public String envName(String key) {
    return envPrefix + "_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /**
   * Loads {@code file} (may be {@code null}: defaults and environment only) and applies overrides
   * from {@code env}.
   *
   * @throws ConfigException naming the first bad key, or the file if it cannot be read
   */
  public Config load(Path file, Map<String, String> env) {
    Map<String, String> raw = new LinkedHashMap<>();
    Map<String, String> origin = new LinkedHashMap<>();
    if (file != null) {
      Properties props = new Properties();
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        props.load(reader);
      } catch (NoSuchFileException e) {
        throw new ConfigException(null, "Config file not found: " + file.toAbsolutePath());
      } catch (IOException | IllegalArgumentException e) {
        throw new ConfigException(null, "Cannot read config file " + file.toAbsolutePath() + ": " + e.getMessage());
      }
      for (String name : props.stringPropertyNames()) {
        raw.put(name, props.getProperty(name));
        origin.put(name, "file " + file.getFileName());
      }
    }
    for (String old : renamed.keySet()) {
      if (env.containsKey(envName(old))) {
        raw.put(old, env.get(envName(old)));
        origin.put(old, "environment variable " + envName(old));
      }
    }
    for (String name : keys.keySet()) {
      String value = env.get(envName(name));
      String secretFile = declaresEnv(envName(name) + FILE_SUFFIX) ? null : env.get(envName(name) + FILE_SUFFIX);
      if (value != null && secretFile != null) {
        throw new ConfigException(name, "Config key '" + name + "' is set by both " + envName(name) + " and "
            + envName(name) + FILE_SUFFIX + ": set one");
      }
      if (value != null) {
        raw.put(name, value);
        origin.put(name, "environment variable " + envName(name));
      } else if (secretFile != null) {
        raw.put(name, secretFile(name, secretFile));
        origin.put(name, "file named by " + envName(name) + FILE_SUFFIX);
      }
    }
    return parse(raw, origin);
  }

  private boolean declaresEnv(String variable) {
    return keys.keySet().stream().anyMatch(k -> envName(k).equals(variable));
  }

  /**
   * The value in a file named by {@code <ENV>_FILE} (a secret kept out of the environment and the
   * config file, e.g. a systemd credential or a mounted secret), without its trailing line break.
   */
  private String secretFile(String name, String file) {
    try {
      return Files.readString(Path.of(file), StandardCharsets.UTF_8).stripTrailing();
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(name, "Cannot read config key '" + name + "' from " + envName(name) + FILE_SUFFIX
          + "=" + file + ": " + e.getClass().getSimpleName());
    }
  }

  /** Parses already-collected raw values (every origin reported as {@code "properties"}). */
  public Config parse(Map<String, String> raw) {
    return parse(raw, Map.of());
  }

  private Config parse(Map<String, String> raw, Map<String, String> origins) {
    Map<String, String> passThrough = new LinkedHashMap<>();
    for (String name : raw.keySet()) {
      if (keys.containsKey(name)) {
        continue;
      }
      if (renamed.containsKey(name)) {
        throw new ConfigException(name, "Config key '" + name + "' (from " + origins.getOrDefault(name, "properties")
            + ") was renamed to '" + renamed.get(name) + "' (environment " + envName(renamed.get(name)) + ")");
      }
      if (passThroughPrefixes.stream().anyMatch(name::startsWith)) {
        passThrough.put(name, raw.get(name));
      } else {
        throw new ConfigException(name, "Unknown config key '" + name + "' (from "
            + origins.getOrDefault(name, "properties") + "); known keys: " + String.join(", ", keys.keySet()));
      }
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (ConfigKey<?> key : keys.values()) {
      String value = raw.get(key.name());
      String from = origins.getOrDefault(key.name(), "properties");
      if (value == null || value.isBlank()) {
        if (key.required()) {
          throw new ConfigException(key.name(), "Missing required config key '" + key.name()
              + "': set it in the config file or in environment variable " + envName(key.name())
              + (key.doc().isEmpty() ? "" : " (" + key.doc() + ")"));
        }
        values.put(key.name(), key.defaultValue());
      } else {
        values.put(key.name(), key.parse(value, from));
      }
    }
    return new Config(this, values, passThrough);
  }

  /** A Markdown table of every key (name, type, default, env variable, doc): the config reference. */
  public String toMarkdown() {
    StringBuilder sb = new StringBuilder("| key | type | default | environment | description |\n|---|---|---|---|---|\n");
    for (ConfigKey<?> key : keys.values()) {
      sb.append("| `").append(key.name()).append("` | ").append(key.type().name()).append(" | ")
          .append(key.required() ? "(required)" : defaultText(key)).append(" | `")
          .append(envName(key.name())).append("` | ").append(key.doc().replace("|", "\\|"));
      if (key.validatorDoc() != null) {
        sb.append(" Must be ").append(key.validatorDoc()).append('.');
      }
      sb.append(" |\n");
    }
    for (String prefix : passThroughPrefixes) {
      sb.append("| `").append(prefix).append("*` | any | | | passed unchanged to the client library |\n");
    }
    return sb.toString();
  }

  private static <T> String defaultText(ConfigKey<T> key) {
    return key.defaultValue() == null ? "(unset)" : "`" + key.type().print(key.defaultValue()) + "`";
  }
}
