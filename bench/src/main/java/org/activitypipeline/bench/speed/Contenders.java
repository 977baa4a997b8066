package org.activitypipeline.bench.speed;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.activitypipeline.bench.processor.TransactionalCopy;
import org.activitypipeline.bench.streams.PeerSettings;
import org.activitypipeline.bench.streams.StreamsPeer;
import org.activitypipeline.common.topic.Topics;
import org.activitypipeline.speed.processor.Processor;
import org.activitypipeline.speed.processor.ProcessorConfig;

/**
 * Starts the three things the benchmark compares, each over a given input topic, with fresh output
 * topics and a fresh consumer group / application id per run (a cold start with empty state), and
 * the same settings: commit interval, grace, threads.
 */
final class Contenders {
  /** Settings every run shares. */
  record Shared(String cdcEmployees, String cdcDepartments, String processedEmployees, Duration commitInterval,
                Duration grace, boolean streamsInMemoryStores, Map<String, String> streamsOverrides, Path stateDir) {
  }

  /**
   * How the Streams peer is configured. {@link #DEFAULTS} is what people would run.
   * {@link #ONE_BATCH_PER_FETCH} makes its consumer fetch one record batch per partition at a time
   * ({@code max.partition.fetch.bytes=1}), so that its tasks move through a pre-written input more
   * evenly and its stream time runs less far ahead of the partitions it has not read yet: the setting
   * that comes closest to the processor's lateness on such input, at a price.
   */
  enum StreamsVariant {
    DEFAULTS("Kafka Streams peer", "streams", Map.of()),
    ONE_BATCH_PER_FETCH("Kafka Streams peer, one batch per fetch", "streams1b",
        Map.of("max.partition.fetch.bytes", "1"));

    final String label;
    final String id;
    final Map<String, String> overrides;

    StreamsVariant(String label, String id, Map<String, String> overrides) {
      this.label = label;
      this.id = id;
      this.overrides = overrides;
    }
  }

  private final BenchKafka kafka;
  private final Shared shared;

  Contenders(BenchKafka kafka, Shared shared) {
    this.kafka = kafka;
    this.shared = shared;
  }

  /** The speed-layer processor, in this JVM, as {@code bench-<run>}. */
  Contender processor(String run, String raw, int threads) throws Exception {
    Contender.Outputs out = outputs(run, true);
    ProcessorConfig cfg = processorConfig("bench-" + run, raw, out, threads);
    Processor p = Processor.start(cfg, new SimpleMeterRegistry());
    return new Contender() {
      public String group() {
        return cfg.applicationId();
      }

      public List<String> inputs() {
        return List.of(raw);
      }

      public List<String> internal() {
        return List.of(cfg.topics().windowPartials());
      }

      public Throwable failure() {
        return p.isHealthy() ? null : new IllegalStateException("processor " + cfg.applicationId() + " unhealthy");
      }

      public Contender.Outputs outputs() {
        return out;
      }

      public void close() {
        p.close();
      }
    };
  }

  /** The Kafka Streams peer with its defaults, in this JVM, as application {@code bench-streams-<run>}. */
  Contender streams(String run, String raw, int threads) throws Exception {
    return streams(run, raw, threads, StreamsVariant.DEFAULTS);
  }

  /** The Kafka Streams peer, in this JVM, as application {@code bench-<variant id>-<run>}. */
  Contender streams(String run, String raw, int threads, StreamsVariant variant) throws Exception {
    Contender.Outputs out = outputs(variant.id + "-" + run, false);
    Map<String, String> overrides = new HashMap<>(variant.overrides);
    overrides.putAll(shared.streamsOverrides());
    PeerSettings s = new PeerSettings(kafka.bootstrap(), "bench-" + variant.id + "-" + run, raw,
        shared.processedEmployees(), out.processedActivities(), out.hourly(), out.daily(), shared.grace(),
        shared.commitInterval(), threads, shared.stateDir(), shared.streamsInMemoryStores(), overrides);
    StreamsPeer peer = StreamsPeer.start(s);
    return new StreamsContender(s, peer, out);
  }

  /** The raw limit: a transactional copy of {@code raw}, one thread, the processor's settings. */
  CopyContender copy(String run, String raw) throws Exception {
    String target = "bench.copy-" + run;
    kafka.create(BenchKafka.topic(target, 6, false));
    String group = "bench-copy-" + run;
    TransactionalCopy copy = new TransactionalCopy(kafka.bootstrap(), raw, target, group, shared.commitInterval());
    Thread t = new Thread(copy, "copy-" + run);
    t.start();
    return new CopyContender(group, raw, copy, t);
  }

  /** The copy contender, with access to how many records it moved. */
  static final class CopyContender implements Contender {
    private final String group;
    private final String raw;
    private final TransactionalCopy copy;
    private final Thread thread;

    CopyContender(String group, String raw, TransactionalCopy copy, Thread thread) {
      this.group = group;
      this.raw = raw;
      this.copy = copy;
      this.thread = thread;
    }

    long copied() {
      return copy.copied();
    }

    public String group() {
      return group;
    }

    public List<String> inputs() {
      return List.of(raw);
    }

    public List<String> internal() {
      return List.of();
    }

    public Throwable failure() {
      return thread.isAlive() ? null : new IllegalStateException("copy thread ended");
    }

    public Contender.Outputs outputs() {
      return null;
    }

    public void close() {
      copy.stop();
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The Streams contender, with access to the peer's own counters for verification. */
  static final class StreamsContender implements Contender {
    private final PeerSettings settings;
    final StreamsPeer peer;
    private final Contender.Outputs out;

    StreamsContender(PeerSettings settings, StreamsPeer peer, Contender.Outputs out) {
      this.settings = settings;
      this.peer = peer;
      this.out = out;
    }

    public String group() {
      return settings.applicationId();
    }

    public List<String> inputs() {
      return List.of(settings.rawActivities());
    }

    public List<String> internal() {
      return settings.repartitionTopics();
    }

    public Throwable failure() {
      return peer.failure();
    }

    public Contender.Outputs outputs() {
      return out;
    }

    public void close() {
      peer.close();
    }
  }

  private Contender.Outputs outputs(String run, boolean withLate) throws Exception {
    String prefix = "bench." + run + ".";
    Contender.Outputs o = new Contender.Outputs(prefix + Topics.PROCESSED_ACTIVITIES.name(),
        prefix + Topics.HOURLY_ACTIVITY_AGGREGATIONS.name(), prefix + Topics.DAILY_DEVICE_AGGREGATIONS.name(),
        withLate ? prefix + Topics.LATE_ACTIVITIES.name() : null);
    kafka.create(BenchKafka.topic(o.processedActivities(), Topics.PROCESSED_ACTIVITIES.partitions(), false),
        BenchKafka.topic(o.hourly(), Topics.HOURLY_ACTIVITY_AGGREGATIONS.partitions(), true),
        BenchKafka.topic(o.daily(), Topics.DAILY_DEVICE_AGGREGATIONS.partitions(), true));
    if (withLate) {
      kafka.create(BenchKafka.topic(o.late(), Topics.LATE_ACTIVITIES.partitions(), false),
          BenchKafka.topic(prefix + Topics.PIPELINE_DLQ.name(), Topics.PIPELINE_DLQ.partitions(), false),
          BenchKafka.topic(prefix + Topics.PROCESSED_DEPARTMENTS.name(), Topics.PROCESSED_DEPARTMENTS.partitions(), true));
    }
    return o;
  }

  ProcessorConfig processorConfig(String applicationId, String raw, Contender.Outputs out, int threads) {
    Map<String, String> c = new HashMap<>();
    c.put("kafka.bootstrap.servers", kafka.bootstrap());
    c.put("application.id", applicationId);
    c.put("threads", Integer.toString(threads));
    c.put("commit.interval", shared.commitInterval().toMillis() + "ms");
    c.put("window.allowed-lateness", shared.grace().toMillis() + "ms");
    // No cdc and no heartbeats here, and the other contenders do not wait for one either.
    c.put("enrich.cdc-wait", "0s");
    c.put("topic.cdc-employees", shared.cdcEmployees());
    c.put("topic.cdc-departments", shared.cdcDepartments());
    c.put("topic.raw-activities", raw);
    c.put("topic.processed-employees", shared.processedEmployees());
    c.put("topic.processed-activities", out.processedActivities());
    c.put("topic.hourly-activity-aggregations", out.hourly());
    c.put("topic.daily-device-aggregations", out.daily());
    c.put("topic.late-activities", out.late());
    c.put("topic.dlq", out.late().replace(Topics.LATE_ACTIVITIES.name(), Topics.PIPELINE_DLQ.name()));
    c.put("topic.processed-departments",
        out.late().replace(Topics.LATE_ACTIVITIES.name(), Topics.PROCESSED_DEPARTMENTS.name()));
    c.put("metrics.port", "0");
    return ProcessorConfig.from(ProcessorConfig.DEF.parse(c));
  }
}
