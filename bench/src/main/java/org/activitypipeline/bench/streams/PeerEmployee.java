package org.activitypipeline.bench.streams;

import org.activitypipeline.common.event.ChangeOp;
import org.activitypipeline.common.json.Json;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The fields of a {@code processed-employees} value (an {@code EmployeeChange}) that enrichment uses.
 * The GlobalKTable stores the topic's bytes and deserialises on every lookup, so binding only these
 * fields keeps that lookup as cheap as Streams allows.
 */
record PeerEmployee(ChangeOp op, Long departmentId, String departmentName, String jobTitle, String location,
                    String status) {

  /** A DELETE change is the employee's last event before its tombstone: from then on it is unknown. */
  boolean deleted() {
    return op == ChangeOp.DELETE;
  }

  static Serde<PeerEmployee> serde() {
    Deserializer<PeerEmployee> d = (topic, bytes) -> bytes == null ? null
        : Json.read(bytes, PeerEmployee.class, "processed-employees value");
    return Serdes.serdeFrom((topic, e) -> {
      throw new UnsupportedOperationException("the peer never writes employees");
    }, d);
  }
}
