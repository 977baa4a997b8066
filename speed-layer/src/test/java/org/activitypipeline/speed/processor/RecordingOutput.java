package org.activitypipeline.speed.processor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * An in-memory {@link TaskOutput} for unit tests of tasks: records every send, dead letter and count
 * in order, with helpers to pick them out. {@link #clear()} forgets everything (as if a commit ended).
 */
public final class RecordingOutput implements TaskOutput {

  /** One record a task sent. {@code partition} is null when the producer's key hash would choose it. */
  public record Sent(String topic, Integer partition, byte[] key, byte[] value, Headers headers) {
    public String keyString() {
      return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    public String valueString() {
      return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    public boolean isTombstone() {
      return value == null;
    }

    /** The last value of header {@code name} as UTF-8, or null when absent. */
    public String header(String name) {
      if (headers == null) {
        return null;
      }
      Header h = headers.lastHeader(name);
      return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return topic + "[" + partition + "] " + keyString() + " = " + valueString();
    }
  }

  /** One record handed to {@link #deadLetter}. */
  public record DeadLetter(ConsumerRecord<byte[], byte[]> record, String stage, String reason) {
  }

  private final List<Sent> sent = new ArrayList<>();
  private final List<DeadLetter> deadLetters = new ArrayList<>();
  private final Map<String, Long> counts = new TreeMap<>();

  @Override
  public void send(String topic, Integer partition, byte[] key, byte[] value, Headers headers) {
    sent.add(new Sent(topic, partition, key, value, headers));
  }

  @Override
  public void deadLetter(ConsumerRecord<byte[], byte[]> record, String stage, String reason) {
    deadLetters.add(new DeadLetter(record, stage, reason));
    count(stage, "dead_letter", 1);
  }

  /** Records left for a retry, in order. */
  public final List<ConsumerRecord<byte[], byte[]>> retries = new ArrayList<>();

  @Override
  public void retryLater(ConsumerRecord<byte[], byte[]> record, java.time.Duration delay) {
    retries.add(record);
  }

  @Override
  public void count(String stage, String outcome, long n) {
    counts.merge(stage + "/" + outcome, n, Long::sum);
  }

  /** Every send, in order. */
  public List<Sent> sent() {
    return List.copyOf(sent);
  }

  /** The sends to {@code topic}, in order. */
  public List<Sent> sentTo(String topic) {
    return sent.stream().filter(s -> s.topic().equals(topic)).toList();
  }

  /** The sends to {@code topic} with record key {@code key}, in order. */
  public List<Sent> sentTo(String topic, String key) {
    return sent.stream().filter(s -> s.topic().equals(topic) && key.equals(s.keyString())).toList();
  }

  public List<DeadLetter> deadLetters() {
    return List.copyOf(deadLetters);
  }

  /** What {@link #count} added up for {@code stage} and {@code outcome}; 0 when never counted. */
  public long count(String stage, String outcome) {
    return counts.getOrDefault(stage + "/" + outcome, 0L);
  }

  public Map<String, Long> counts() {
    return Map.copyOf(counts);
  }

  /** Forgets all sends, dead letters and counts. */
  public void clear() {
    sent.clear();
    deadLetters.clear();
    counts.clear();
  }
}
