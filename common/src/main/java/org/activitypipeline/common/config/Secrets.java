package org.activitypipeline.common.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Which pass-through client settings hold secrets, so a config can be printed (logs, {@code toString})
 * without them: Kafka's {@code sasl.jaas.config} and {@code ssl.*.password}, Hadoop's and
 * Cassandra's passwords and keys.
 */
public final class Secrets {
  public static final String HIDDEN = "[hidden]";

  private Secrets() {
  }

  /** Whether a setting's name says it holds a secret (password, secret, jaas config, credentials, token). */
  public static boolean isSecret(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.contains("password") || n.contains("secret") || n.contains("jaas") || n.contains("credential")
        || n.contains("token") || n.endsWith(".key") || n.contains("private");
  }

  /** A copy of {@code settings} with every secret's value replaced by {@link #HIDDEN}, in the same order. */
  public static Map<String, Object> masked(Map<String, ?> settings) {
    Map<String, Object> out = new LinkedHashMap<>();
    settings.forEach((k, v) -> out.put(k, isSecret(k) ? HIDDEN : v));
    return out;
  }
}
