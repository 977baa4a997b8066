package org.activitypipeline.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.activitypipeline.localstack.junit.WithLocalStack;
import org.junit.jupiter.api.Test;

@WithLocalStack(ServerKind.CASSANDRA)
class CassandraIT {

  @Test
  void preparedWritesAndARangeReadOnOnePartition(LocalStack stack) {
    try (CqlSession session = session(stack)) {
      // A bucket far from "now", so other tests' rows cannot land in it.
      Instant hour = Instant.parse("2001-01-01T10:00:00Z");
      int shard = (int) (System.nanoTime() & 0xff);
      PreparedStatement insert = session.prepare("INSERT INTO activity.employee_activity (ingest_hour, shard,"
          + " activity_id, employee_id, activity_type, device_type, os, ip, location, duration_seconds, event_time,"
          + " metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      List<UUID> ids = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        UUID id = Uuids.startOf(hour.toEpochMilli() + i * 1000L); // one per second, in write order
        ids.add(id);
        session.execute(insert.bind(hour, shard, id, 100L + i, i % 2 == 0 ? "login" : "email", "laptop", "linux",
            "10.0.0." + i, "Berlin", 30 + i, hour.minus(i, ChronoUnit.MINUTES), Map.of("seq", String.valueOf(i))));
      }
      // The poller's query shape: one partition, a timeuuid range on the clustering key.
      PreparedStatement range = session.prepare("SELECT activity_id, employee_id, metadata FROM"
          + " activity.employee_activity WHERE ingest_hour = ? AND shard = ? AND activity_id > ? AND activity_id <= ?");
      List<Row> rows = session.execute(range.bind(hour, shard, ids.get(4), ids.get(14))).all();
      assertEquals(10, rows.size());
      for (int i = 0; i < rows.size(); i++) {
        assertEquals(ids.get(5 + i), rows.get(i).getUuid("activity_id"), "clustering order = write order");
        assertEquals(105L + i, rows.get(i).getLong("employee_id"));
        assertEquals(String.valueOf(5 + i), rows.get(i).getMap("metadata", String.class, String.class).get("seq"));
      }
      assertEquals(0, session.execute(range.bind(hour, shard + 1, ids.get(0), ids.get(19))).all().size(),
          "another shard is another partition");
    }
  }

  static CqlSession session(LocalStack stack) {
    String[] hostPort = stack.connectionProperties().get("cassandra.contact.points").split(":");
    return CqlSession.builder()
        .addContactPoint(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])))
        .withLocalDatacenter(stack.connectionProperties().get("cassandra.local.datacenter"))
        .build();
  }
}
