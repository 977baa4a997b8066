package org.activitypipeline.batch.reconcile;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import java.time.Duration;
import java.util.Map;
import org.activitypipeline.common.source.CassandraSecurity;

/**
 * Settings of the reconciliation job.
 *
 * @param kafka              client settings ({@code bootstrap.servers} and {@code kafka.client.*})
 * @param contactPoint       a Cassandra node, {@code host:port}
 * @param localDatacenter    the driver's local datacenter
 * @param keyspace           keyspace of the activity table
 * @param table              the activity table, partitioned by {@code ((ingest_hour, shard), activity_id)}
 * @param consistency        read consistency
 * @param shards             shards per ingest hour (the writers' and the poller's)
 * @param pageSize           rows per Cassandra page
 * @param rawActivities      where the poller sends rows, and repairs go
 * @param deadLetters        where invalid rows go
 * @param pollerState        the poller's committed watermarks
 * @param completeness       the per-hour results, written with the repairs
 * @param transactionalId    the job's producer: one run at a time, a crashed run's transaction aborted
 * @param settle             an hour is checked once the poller's watermark is this far past its end
 * @param lookback           each run checks the hours that ended within this much before that point
 * @param maxRepairsPerHour  most rows one hour's record may list as repaired (a bounded record)
 * @param cassandraSecurity  credentials and TLS of the Cassandra session
 */
public record ReconcileSettings(Map<String, Object> kafka, String contactPoint, String localDatacenter,
                                CassandraSecurity cassandraSecurity,
                                String keyspace, String table, DefaultConsistencyLevel consistency, int shards,
                                int pageSize, String rawActivities, String deadLetters, String pollerState,
                                String completeness, String transactionalId, Duration settle, Duration lookback,
                                int maxRepairsPerHour) {
  public ReconcileSettings {
    kafka = Map.copyOf(kafka);
  }

  /** Client secrets (sasl.jaas.config, ssl passwords) hidden. */
  @Override
  public String toString() {
    return "ReconcileSettings[kafka=" + org.activitypipeline.common.config.Secrets.masked(kafka) + ", cassandra="
        + contactPoint + "/" + localDatacenter + "/" + keyspace + "." + table + ", consistency=" + consistency
        + ", shards=" + shards + ", transactionalId=" + transactionalId + ", settle=" + settle + ", lookback="
        + lookback + "]";
  }
}
