package org.activitypipeline.common.source;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Reads the activity table ({@code ((ingest_hour, shard), activity_id)}) one partition at a time: a
 * clustering range on the timeuuid, paged by the driver. Never scans the table. Shared by the poller
 * (a write-time slice of the recent partitions) and the batch layer's reconciliation (whole hours).
 */
public final class ActivityTableReader {
  private final CqlSession session;
  private final PreparedStatement select;
  private final ConsistencyLevel consistency;
  private final int pageSize;

  /**
   * A session to the activity table's cluster. Blocks until connected.
   *
   * @param contactPoint {@code host:port} of a node
   * @param applicationName how the session shows in the cluster's client list
   */
  public static CqlSession connect(String contactPoint, String localDatacenter, CassandraSecurity security,
                                   String applicationName) {
    int colon = contactPoint.lastIndexOf(':');
    return security.applyTo(CqlSession.builder()
        .addContactPoint(new InetSocketAddress(contactPoint.substring(0, colon),
            Integer.parseInt(contactPoint.substring(colon + 1))))
        .withLocalDatacenter(localDatacenter)
        .withApplicationName(applicationName))
        .build();
  }

  public ActivityTableReader(CqlSession session, String keyspace, String table, ConsistencyLevel consistency,
      int pageSize) {
    this.session = session;
    this.consistency = consistency;
    this.pageSize = pageSize;
    this.select = session.prepare("SELECT activity_id, employee_id, activity_type, device_type, os, ip, location,"
        + " duration_seconds, event_time, metadata FROM " + CqlIdentifier.fromInternal(keyspace).asCql(true) + "."
        + CqlIdentifier.fromInternal(table).asCql(true)
        // startOf/endOf are the smallest/largest timeuuids of a millisecond: inclusive on both ends,
        // so no row at a boundary millisecond is skipped (minTimeuuid/maxTimeuuid in CQL are strict).
        + " WHERE ingest_hour = ? AND shard = ? AND activity_id >= ? AND activity_id <= ?");
  }

  /**
   * Passes every row of partition {@code (ingestHour, shard)} written in {@code [fromMs, toMs]} (both
   * inclusive) to {@code sink}, valid or not, in clustering (write time) order.
   */
  public void read(Instant ingestHour, int shard, long fromMs, long toMs, Consumer<ActivityRow> sink) {
    UUID from = Uuids.startOf(fromMs);
    UUID to = Uuids.endOf(toMs);
    for (Row row : session.execute(select.bind(ingestHour, shard, from, to)
        .setConsistencyLevel(consistency).setPageSize(pageSize))) {
      sink.accept(toRow(row));
    }
  }

  public static ActivityRow toRow(Row row) {
    return ActivityRow.of(row.getUuid("activity_id"),
        row.isNull("employee_id") ? null : row.getLong("employee_id"),
        row.getString("activity_type"), row.getString("device_type"), row.getString("os"), row.getString("ip"),
        row.getString("location"), row.isNull("duration_seconds") ? null : row.getInt("duration_seconds"),
        row.getInstant("event_time"), row.getMap("metadata", String.class, String.class));
  }
}
