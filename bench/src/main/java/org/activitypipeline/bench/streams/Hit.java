package org.activitypipeline.bench.streams;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * What one activity contributes to a window: the value on the repartition topics between the
 * enrichment and the two windowed aggregations (the window key is the record key). Compact binary:
 * employee id, duration, event time, then the activity type's UTF-8 bytes.
 */
record Hit(long employeeId, int durationSeconds, long eventMillis, String activityType) {

  static Serde<Hit> serde() {
    return Serdes.serdeFrom((topic, h) -> {
      byte[] type = h.activityType().getBytes(StandardCharsets.UTF_8);
      return ByteBuffer.allocate(20 + type.length).putLong(h.employeeId()).putInt(h.durationSeconds())
          .putLong(h.eventMillis()).put(type).array();
    }, (topic, bytes) -> {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      long employee = b.getLong();
      int duration = b.getInt();
      long event = b.getLong();
      return new Hit(employee, duration, event, new String(bytes, 20, bytes.length - 20, StandardCharsets.UTF_8));
    });
  }
}
