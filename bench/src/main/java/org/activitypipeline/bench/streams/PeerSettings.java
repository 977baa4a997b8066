package org.activitypipeline.bench.streams;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the Kafka Streams peer needs: its topics and the settings it shares with the processor
 * it is compared with (grace, commit interval, threads).
 *
 * @param processedEmployees a {@code processed-employees}-format topic (the GlobalKTable's source)
 * @param inMemoryStores     in-memory window and global stores (as the processor keeps its state in
 *                           memory, with a changelog) instead of Streams' default RocksDB stores
 * @param overrides          Streams/client properties applied last (experiments, e.g. smaller fetches)
 */
public record PeerSettings(String bootstrapServers, String applicationId, String rawActivities,
                           String processedEmployees, String processedActivities, String hourly, String daily,
                           Duration grace, Duration commitInterval, int threads, Path stateDir,
                           boolean inMemoryStores, java.util.Map<String, String> overrides) {
  public PeerSettings {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(applicationId, "applicationId");
    Objects.requireNonNull(rawActivities, "rawActivities");
    Objects.requireNonNull(processedEmployees, "processedEmployees");
    Objects.requireNonNull(processedActivities, "processedActivities");
    Objects.requireNonNull(hourly, "hourly");
    Objects.requireNonNull(daily, "daily");
    Objects.requireNonNull(stateDir, "stateDir");
    overrides = java.util.Map.copyOf(overrides);
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must be zero or positive, was " + grace);
    }
    if (commitInterval.isNegative() || commitInterval.isZero()) {
      throw new IllegalArgumentException("commitInterval must be positive, was " + commitInterval);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, was " + threads);
    }
  }

  /** The internal repartition topics Streams creates for the two aggregations (named in the topology). */
  public java.util.List<String> repartitionTopics() {
    return java.util.List.of(applicationId + "-" + PeerTopology.HOURLY + "-repartition",
        applicationId + "-" + PeerTopology.DAILY + "-repartition");
  }
}
