package org.activitypipeline.speed.cdc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.activitypipeline.common.event.CdcProgress;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A read_committed reader of one cdc topic from the position it had when the reader was created
 * (records of earlier tests are never seen), collecting the events a test cares about. One thread.
 */
final class CdcTopicReader implements AutoCloseable {
  private final KafkaConsumer<String, String> consumer;
  private final String idField;
  private final Predicate<Long> wanted;
  private final List<CdcEvent> events = new ArrayList<>();

  CdcTopicReader(String bootstrap, String topic, String idField, Predicate<Long> wanted) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
    consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
        .map(pi -> new TopicPartition(topic, pi.partition())).toList();
    consumer.assign(parts);
    Map<TopicPartition, Long> ends = consumer.endOffsets(parts, Duration.ofSeconds(30));
    ends.forEach(consumer::seek);
    this.idField = idField;
    this.wanted = wanted;
  }

  /** Polls once (up to {@code wait}) and returns every wanted event read so far, in read order. */
  List<CdcEvent> poll(Duration wait) {
    for (ConsumerRecord<String, String> r : consumer.poll(wait)) {
      if (r.value() == null || r.headers().lastHeader(CdcProgress.HEADER) != null) {
        continue; // not a change event
      }
      CdcEvent e = CdcEvent.parse(r, idField);
      if (wanted.test(e.id())) {
        events.add(e);
      }
    }
    return events;
  }

  List<CdcEvent> events() {
    return events;
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
