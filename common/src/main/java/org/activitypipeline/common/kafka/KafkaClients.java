package org.activitypipeline.common.kafka;

import org.activitypipeline.common.ops.LogText;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.activitypipeline.common.config.Config;
import org.activitypipeline.common.config.ConfigDef;
import org.activitypipeline.common.config.ConfigException;
import org.activitypipeline.common.config.ConfigKey;
import org.activitypipeline.common.config.Secrets;

/**
 * How every Kafka client of a process connects: {@code kafka.bootstrap.servers} plus the process's
 * {@code kafka.client.*} settings ({@code security.protocol}, {@code sasl.mechanism},
 * {@code sasl.jaas.config}, {@code ssl.truststore.location}, ...), the same for each of its producers,
 * consumers and admin clients. Every client a process builds gets its properties from
 * {@link #properties}: the connection first, then the role's tuning ({@code kafka.producer.*},
 * {@code kafka.consumer.*}), then what the code owns (transactional id, isolation level, group),
 * which nothing overrides. So a security setting given once reaches every connection, and no client
 * can be built from the bootstrap servers alone.
 */
public final class KafkaClients {
  /** The config prefix of the connection settings shared by every client of a process. */
  public static final String PREFIX = "kafka.client.";

  private KafkaClients() {
  }

  /** Declares the {@code kafka.client.*} pass-through on a process's config definition. */
  public static ConfigDef declare(ConfigDef def) {
    return def.passThrough(PREFIX);
  }

  /**
   * The connection settings of a process: {@code bootstrap.servers} from {@code bootstrap} and every
   * {@code kafka.client.*} setting.
   *
   * @param owned   client settings the process sets itself (its guarantees depend on them): refused
   *     under {@code kafka.client.}, naming the key
   * @param process names the process in the error message
   * @throws ConfigException naming {@code kafka.client.<setting>} for an owned setting
   */
  public static Map<String, Object> connection(Config c, ConfigKey<String> bootstrap, String process,
                                               Set<String> owned) {
    Map<String, Object> kafka = new LinkedHashMap<>(c.withPrefix(PREFIX));
    if (kafka.containsKey("bootstrap.servers")) {
      throw new ConfigException(PREFIX + "bootstrap.servers", PREFIX + "bootstrap.servers: set "
          + bootstrap.name() + " instead");
    }
    for (String setting : owned) {
      if (kafka.containsKey(setting)) {
        throw new ConfigException(PREFIX + setting, PREFIX + setting + " is set by the " + process
            + " (its guarantees depend on it)");
      }
    }
    kafka.put("bootstrap.servers", c.get(bootstrap));
    return Collections.unmodifiableMap(kafka);
  }

  /**
   * One client's properties: {@code connection}, then {@code tuning}, then {@code owned}.
   *
   * @param connection what {@link #connection} returned
   * @param tuning     the role's settings from the config ({@code kafka.producer.*}), may be empty
   * @param owned      what this client needs to keep its contract; wins over everything
   */
  public static Properties properties(Map<String, ?> connection, Map<String, ?> tuning, Map<String, ?> owned) {
    Properties p = new Properties();
    p.putAll(connection);
    p.putAll(tuning);
    p.putAll(owned);
    p.put("bootstrap.servers", connection.get("bootstrap.servers"));
    return p;
  }

  /**
   * A start-up failure as one line for an operator: a failed SASL login or TLS handshake names the
   * {@code kafka.client.*} setting to check, a refused authorization the ACLs; anything else is the
   * failure's own message.
   */
  public static String explain(Throwable failure) {
    String security = securityFailure(failure);
    return security != null ? security : LogText.firstLine(String.valueOf(failure.getMessage()));
  }

  /**
   * The one-line explanation of a refused login, TLS handshake or authorization anywhere in
   * {@code failure}'s causes, or null when it is none of these (a retry may help then; here it cannot).
   */
  public static String securityFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String type = t.getClass().getName();
      if (type.equals("org.apache.kafka.common.errors.SaslAuthenticationException")) {
        return PREFIX + "sasl.jaas.config: Kafka refused the login (wrong user or password, or "
            + PREFIX + "sasl.mechanism): " + LogText.firstLine(t.getMessage());
      }
      if (type.equals("org.apache.kafka.common.errors.SslAuthenticationException")) {
        return PREFIX + "ssl.truststore.location: the TLS handshake with Kafka failed (trust store, host name): "
            + LogText.firstLine(t.getMessage());
      }
      if (type.startsWith("org.apache.kafka.common.errors.") && type.endsWith("AuthorizationException")) {
        return "Kafka refused an operation to this process's principal (its ACLs, docs/SECURITY.md): "
            + LogText.firstLine(t.getMessage());
      }
    }
    return null;
  }


  /** The connection for printing: secrets ({@code sasl.jaas.config}, passwords) hidden. */
  public static String describe(Map<String, ?> connection) {
    return Secrets.masked(connection).toString();
  }
}
