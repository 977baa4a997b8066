package org.activitypipeline.serving.health;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.activitypipeline.common.topic.Topics.DlqHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The dead-letter topic as the health view shows it: records per stage (and per source topic within
 * it, to tell the batch ingest's tables apart) since the tailer's start point, and each stage's
 * latest entries with their reasons. Only headers are read: the values may hold an employee's
 * record (policy-filtered, but still nothing the dashboard needs).
 *
 * <p>Bounded: {@link #LATEST} entries per stage, {@link #MAX_STAGES} stage names (the rest counted as
 * {@code other}), reasons cut at {@link #MAX_REASON} characters. Thread-safe: the tailer writes,
 * request threads read.
 */
public final class DeadLetterView {
  static final int LATEST = 5;
  static final int MAX_STAGES = 32;
  static final int MAX_REASON = 400;

  /** One dead letter. {@code sourceTopic}, {@code sourcePartition} and {@code sourceOffset} are null for a source row. */
  public record Entry(Instant at, String stage, String reason, String sourceTopic, Integer sourcePartition,
                      Long sourceOffset) {}

  /** A stage's dead letters: how many, per source topic, and the newest first. */
  public record StageLetters(String stage, long count, Map<String, Long> bySourceTopic, List<Entry> latest) {}

  private static final class Counts {
    long count;
    final Map<String, Long> bySource = new TreeMap<>();
    final List<Entry> latest = new ArrayList<>(); // newest first, at most LATEST
  }

  private final Map<String, Counts> stages = new LinkedHashMap<>();
  private long total;

  public synchronized void accept(ConsumerRecord<byte[], byte[]> r) {
    String stage = text(r, DlqHeaders.STAGE);
    if (stage == null || stage.isBlank()) {
      stage = "unknown";
    }
    if (!stages.containsKey(stage) && stages.size() >= MAX_STAGES) {
      stage = "other";
    }
    String source = text(r, DlqHeaders.SOURCE_TOPIC);
    Counts c = stages.computeIfAbsent(stage, s -> new Counts());
    c.count++;
    total++;
    c.bySource.merge(source == null ? "" : source, 1L, Long::sum);
    Long partition = number(text(r, DlqHeaders.SOURCE_PARTITION));
    Entry e = new Entry(Instant.ofEpochMilli(r.timestamp()), stage, reason(text(r, DlqHeaders.REASON)), source,
        partition == null ? null : partition.intValue(), number(text(r, DlqHeaders.SOURCE_OFFSET)));
    // Newest first by record time: partitions are read interleaved, so arrival order is not time order.
    int at = 0;
    while (at < c.latest.size() && !c.latest.get(at).at().isBefore(e.at())) {
      at++;
    }
    c.latest.add(at, e);
    if (c.latest.size() > LATEST) {
      c.latest.remove(LATEST);
    }
  }

  public synchronized long total() {
    return total;
  }

  /** Dead letters of {@code stage}, only those read from {@code sourceTopic} when it is not null. */
  public synchronized long count(String stage, String sourceTopic) {
    Counts c = stages.get(stage);
    if (c == null) {
      return 0;
    }
    return sourceTopic == null ? c.count : c.bySource.getOrDefault(sourceTopic, 0L);
  }

  /** Every stage with dead letters, the most recent first. */
  public synchronized List<StageLetters> byStage() {
    List<StageLetters> all = new ArrayList<>();
    stages.forEach((stage, c) -> all.add(new StageLetters(stage, c.count, Map.copyOf(c.bySource),
        List.copyOf(c.latest))));
    all.sort(Comparator.comparing((StageLetters s) -> s.latest().get(0).at()).reversed());
    return all;
  }

  private static String text(ConsumerRecord<byte[], byte[]> r, String header) {
    Header h = r.headers().lastHeader(header);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static Long number(String s) {
    try {
      return s == null ? null : Long.parseLong(s.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** One line, bounded: a reason is shown in a table cell. */
  static String reason(String raw) {
    if (raw == null || raw.isBlank()) {
      return "(no reason given)";
    }
    String oneLine = raw.replaceAll("[\\p{Cntrl}]+", " ").strip();
    return oneLine.length() <= MAX_REASON ? oneLine : oneLine.substring(0, MAX_REASON - 1) + "…";
  }
}
