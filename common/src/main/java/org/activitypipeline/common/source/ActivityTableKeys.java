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

  private ActivityTableKeys() {
  }
}
