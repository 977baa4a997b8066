package org.activitypipeline.e2e;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.activitypipeline.common.time.ActivityBuckets;

/**
 * Single activity rows written straight into Cassandra the way the generator writes them (partition
 * by write hour and shard, timeuuid id), with the event time the test chooses.
 */
final class ActivityRows implements AutoCloseable {
  /** One row to write; {@code id} is fixed when it is built, so writing it twice writes the same row. */
  record Row(UUID id, long employeeId, Instant eventTime, String type, String device) {
  }

  private final CqlSession session;
  private final PreparedStatement insert;

  private ActivityRows(CqlSession session) {
    this.session = session;
    this.insert = session.prepare("INSERT INTO activity.employee_activity (ingest_hour, shard, activity_id,"
        + " employee_id, activity_type, device_type, os, ip, location, duration_seconds, event_time, metadata)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  }

  static ActivityRows connect(String cassandra) {
    String[] hostPort = cassandra.split(":");
    return new ActivityRows(CqlSession.builder()
        .addContactPoint(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])))
        .withLocalDatacenter("datacenter1").build());
  }

  /** A row written now (its id's time is the write time); {@code eventTime} null means the write time. */
  static Row row(long employeeId, Instant eventTime, String type, String device) {
    return new Row(Uuids.timeBased(), employeeId, eventTime, type, device);
  }

  void write(List<Row> rows) {
    for (Row r : rows) {
      insert(r.id(), r);
    }
  }

  /**
   * Writes the rows as a writer whose clock is {@code behind} slow does: their ids (and with them
   * their write-time partition) carry that clock's time, their event times too.
   */
  void writeBehind(List<Row> rows, Duration behind) {
    long t = System.currentTimeMillis() - behind.toMillis();
    for (int i = 0; i < rows.size(); i++) {
      UUID id = Uuids.startOf(t - i); // one millisecond apart: distinct ids
      insert(id, new Row(id, rows.get(i).employeeId(), Instant.ofEpochMilli(t - i), rows.get(i).type(),
          rows.get(i).device()));
    }
  }

  private void insert(UUID id, Row r) {
    Instant written = Instant.ofEpochMilli(ActivityBuckets.writeTimeMillis(id));
    session.execute(insert.bind(ActivityBuckets.ingestHour(written), ActivityBuckets.shardOf(id,
        ActivityBuckets.DEFAULT_SHARDS), id, r.employeeId(), r.type(), r.device(), "linux", "10.7.7.7", "Berlin", 7,
        r.eventTime() == null ? written : r.eventTime(), Map.of("e2e", "hard-case")));
  }

  /** Rows written in ingest hour {@code hour}, counted from its partitions (every shard). */
  long countIngestHour(Instant hour) {
    long n = 0;
    for (int shard = 0; shard < ActivityBuckets.DEFAULT_SHARDS; shard++) {
      n += session.execute("SELECT count(*) FROM activity.employee_activity WHERE ingest_hour = ? AND shard = ?",
          hour, shard).one().getLong(0);
    }
    return n;
  }

  @Override
  public void close() {
    session.close();
  }
}
