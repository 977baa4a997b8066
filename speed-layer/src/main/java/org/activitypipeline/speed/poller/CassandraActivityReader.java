package org.activitypipeline.speed.poller;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Reads one {@link PollRange} from the activity table: a single partition, a clustering range on
 * the timeuuid, paged by the driver. Never scans the table.
 */
final class CassandraActivityReader {
  private final CqlSession session;
  private final PreparedStatement select;
  private final ConsistencyLevel consistency;
  private final int pageSize;

  CassandraActivityReader(CqlSession session, String keyspace, String table, ConsistencyLevel consistency,
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

  /** Passes every row of {@code range} to {@code sink}, valid or not, in clustering (write time) order. */
  void read(PollRange range, Consumer<PolledRow> sink) {
    UUID from = Uuids.startOf(range.fromMs());
    UUID to = Uuids.endOf(range.toMs());
    for (Row row : session.execute(select.bind(range.ingestHour(), range.shard(), from, to)
        .setConsistencyLevel(consistency).setPageSize(pageSize))) {
      sink.accept(toRow(row));
    }
  }

  static PolledRow toRow(Row row) {
    return PolledRow.of(row.getUuid("activity_id"),
        row.isNull("employee_id") ? null : row.getLong("employee_id"),
        row.getString("activity_type"), row.getString("device_type"), row.getString("os"), row.getString("ip"),
        row.getString("location"), row.isNull("duration_seconds") ? null : row.getInt("duration_seconds"),
        row.getInstant("event_time"), row.getMap("metadata", String.class, String.class));
  }

  /** For tests and tools: all rows of the ranges, in order. */
  List<PolledRow> readAll(List<PollRange> ranges) {
    java.util.ArrayList<PolledRow> out = new java.util.ArrayList<>();
    ranges.forEach(r -> read(r, out::add));
    return out;
  }
}
