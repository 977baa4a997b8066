package org.activitypipeline.common.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Immutable, validated configuration of one process. Built only by {@link ConfigDef#parse}, so
 * every value present here already passed its key's type and validation rules.
 */
public final class Config {
  private final ConfigDef def;
  private final Map<String, Object> values;
  private final Map<String, String> passThrough;

  Config(ConfigDef def, Map<String, Object> values, Map<String, String> passThrough) {
    this.def = def;
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    this.passThrough = Collections.unmodifiableMap(new TreeMap<>(passThrough));
  }

  /** The value of {@code key}; {@code null} only for an {@link ConfigKey#optional()} key left unset. */
  @SuppressWarnings("unchecked")
  public <T> T get(ConfigKey<T> key) {
    if (!def.declares(key)) {
      throw new IllegalArgumentException("config key '" + key.name() + "' is not declared for this process");
    }
    return (T) values.get(key.name());
  }

  /**
   * Keys under a declared pass-through prefix (for example {@code kafka.producer.}), with the
   * prefix removed: handed unchanged to a client library that validates them itself.
   */
  public Map<String, String> withPrefix(String prefix) {
    Map<String, String> out = new TreeMap<>();
    passThrough.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        out.put(k.substring(prefix.length()), v);
      }
    });
    return out;
  }

  /** Every key with its effective value; passwords hidden. For the start-up log line. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (ConfigKey<?> key : def.keys()) {
      sb.append(key.name()).append('=').append(printed(key)).append('\n');
    }
    passThrough.forEach((k, v) -> sb.append(k).append('=').append(k.contains("password") ? "[hidden]" : v).append('\n'));
    return sb.toString();
  }

  private <T> String printed(ConfigKey<T> key) {
    return key.type().print(get(key));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Config other && values.equals(other.values) && passThrough.equals(other.passThrough);
  }

  @Override
  public int hashCode() {
    return Objects.hash(values, passThrough);
  }
}
