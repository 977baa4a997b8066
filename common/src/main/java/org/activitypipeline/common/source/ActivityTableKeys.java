package org.activitypipeline.common.source;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import org.activitypipeline.common.config.ConfigKey;
import org.activitypipeline.common.config.ConfigType;

/**
 * The settings of every reader of the Cassandra activity table (the poller, the batch layer's
 * reconciliation): one group of keys, so both processes take the same names, defaults and rules.
 */
public final class ActivityTableKeys {
  public static final ConfigKey<String> CONTACT_POINT = ConfigKey.of("cassandra.contact.point", ConfigType.STRING)
      .defaultValue("127.0.0.1:19042").validate(s -> s.matches("[^:]+:\\d+"), "host:port")
      .doc("A Cassandra node to bootstrap from.");
  public static final ConfigKey<String> LOCAL_DC = ConfigKey.of("cassandra.local.datacenter", ConfigType.STRING)
      .defaultValue("datacenter1").doc("The driver's local datacenter.");
  public static final ConfigKey<String> KEYSPACE = ConfigKey.of("cassandra.keyspace", ConfigType.STRING)
      .defaultValue("activity").doc("Keyspace of the activity table.");
  public static final ConfigKey<String> TABLE = ConfigKey.of("cassandra.table", ConfigType.STRING)
      .defaultValue("employee_activity").doc("Table partitioned by ((ingest_hour, shard), activity_id).");
  public static final ConfigKey<DefaultConsistencyLevel> CONSISTENCY = ConfigKey.of("cassandra.consistency",
      ConfigType.enumOf(DefaultConsistencyLevel.class)).defaultValue(DefaultConsistencyLevel.LOCAL_ONE)
      .doc("Read consistency. Use local_quorum with replication factor 3 (writers must use it too).");

  public static final ConfigKey<String> USERNAME = ConfigKey.of("cassandra.username", ConfigType.STRING).optional()
      .doc("User of Cassandra's PasswordAuthenticator; unset: no authentication. Needs SELECT on the table (the"
          + " reconciliation too), nothing else.");
  public static final ConfigKey<String> PASSWORD = ConfigKey.of("cassandra.password", ConfigType.PASSWORD).optional()
      .doc("Password of cassandra.username (best as <PREFIX>_CASSANDRA_PASSWORD_FILE).");
  public static final ConfigKey<java.nio.file.Path> TRUSTSTORE = ConfigKey.of("cassandra.ssl.truststore.location",
      ConfigType.PATH).optional()
      .doc("PKCS12 trust store holding the nodes' certificate or CA: set it when the cluster requires client"
          + " encryption (the node's host name or IP is validated against its certificate). Unset: plaintext.");
  public static final ConfigKey<String> TRUSTSTORE_PASSWORD = ConfigKey.of("cassandra.ssl.truststore.password",
      ConfigType.PASSWORD).optional().doc("Password of cassandra.ssl.truststore.location.");

  /** Declares every key of the group on {@code def}. */
  public static org.activitypipeline.common.config.ConfigDef declare(org.activitypipeline.common.config.ConfigDef def) {
    return def.define(CONTACT_POINT).define(LOCAL_DC).define(KEYSPACE).define(TABLE).define(CONSISTENCY)
        .define(USERNAME).define(PASSWORD).define(TRUSTSTORE).define(TRUSTSTORE_PASSWORD);
  }

  private ActivityTableKeys() {
  }
}
