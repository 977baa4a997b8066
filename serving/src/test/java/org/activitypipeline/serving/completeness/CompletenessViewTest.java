package org.activitypipeline.serving.completeness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.activitypipeline.common.event.HourCompleteness;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class CompletenessViewTest {
  static final Instant H = Instant.parse("2026-12-07T08:00:00Z");

  static ConsumerRecord<byte[], byte[]> record(String key, byte[] value) {
    return new ConsumerRecord<>("activity-completeness", 0, 0, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        value);
  }

  static HourCompleteness hour(Instant h, long rows) {
    return new HourCompleteness(h, h.plusSeconds(4_200), rows, 0, rows, 0, 0, rows, 0, List.of());
  }

  @Test
  void keepsTheLatestRecordPerHourForgetsTombstonesAndCountsWhatItCannotRead() {
    CompletenessView view = new CompletenessView();
    view.accept(record(H.toString(), hour(H, 5).toJson()));
    view.accept(record(H.toString(), hour(H, 7).toJson())); // a later check of the same hour
    view.accept(record(H.plusSeconds(3600).toString(), hour(H.plusSeconds(3600), 3).toJson()));
    view.accept(record(H.plusSeconds(7200).toString(), hour(H.plusSeconds(7200), 1).toJson()));
    view.accept(record(H.plusSeconds(7200).toString(), null));
    view.accept(record("yesterday", hour(H, 1).toJson()));
    view.accept(record(null, hour(H, 1).toJson()));
    view.accept(record(H.minusSeconds(3600).toString(), "{\"schema_version\":99}".getBytes(StandardCharsets.UTF_8)));

    assertEquals(2, view.hours());
    assertEquals(3, view.invalidRecords(), "a key that is no instant, no key, a schema version from the future");
    List<HourCompleteness> all = view.between(H.minusSeconds(86_400), H.plusSeconds(86_400));
    assertEquals(List.of(7L, 3L), all.stream().map(HourCompleteness::sourceRows).toList(), "oldest first, latest value");
    assertEquals(1, view.between(H, H.plusSeconds(3600)).size(), "[from, to): the hour starting at 'to' is out");
  }
}
