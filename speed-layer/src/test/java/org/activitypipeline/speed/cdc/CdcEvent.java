package org.activitypipeline.speed.cdc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** One change event as a test reads it from a cdc topic. */
record CdcEvent(long id, String op, long lsn, long headerLsn, JsonNode before, JsonNode after, int partition,
    long offset) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** @param idField the key's primary-key field, e.g. {@code employee_id} */
  static CdcEvent parse(ConsumerRecord<String, String> r, String idField) {
    try {
      JsonNode key = JSON.readTree(r.key());
      JsonNode value = JSON.readTree(r.value());
      Header h = r.headers().lastHeader(KafkaBridge.LSN_HEADER);
      long headerLsn = h == null ? -1 : Long.parseLong(new String(h.value(), StandardCharsets.UTF_8));
      return new CdcEvent(key.get(idField).asLong(), value.path("op").asText(), value.path("source").path("lsn")
          .asLong(-1), headerLsn, value.get("before"), value.get("after"), r.partition(), r.offset());
    } catch (Exception e) {
      throw new IllegalStateException("not a Debezium change event: " + r, e);
    }
  }

  /** {@code after.<field>} as text, or null. */
  String after(String field) {
    return after == null || after.get(field) == null || after.get(field).isNull() ? null : after.get(field).asText();
  }
}
