package org.activitypipeline.lakehouse.hudi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hudi.avro.model.HoodieClusteringPlan;
import org.apache.hudi.client.HoodieJavaWriteClient;
import org.apache.hudi.client.WriteStatus;
import org.apache.hudi.client.common.HoodieJavaEngineContext;
import org.apache.hudi.common.config.HoodieMetadataConfig;
import org.apache.hudi.common.config.HoodieStorageConfig;
import org.apache.hudi.common.config.RecordMergeMode;
import org.apache.hudi.common.engine.EngineType;
import org.apache.hudi.common.model.DefaultHoodieRecordPayload;
import org.apache.hudi.common.model.HoodieAvroRecord;
import org.apache.hudi.common.model.HoodieBaseFile;
import org.apache.hudi.common.model.HoodieCommitMetadata;
import org.apache.hudi.common.model.HoodieKey;
import org.apache.hudi.common.model.HoodieRecord;
import org.apache.hudi.common.model.HoodieTableType;
import org.apache.hudi.common.table.HoodieTableMetaClient;
import org.apache.hudi.common.table.HoodieTableVersion;
import org.apache.hudi.common.table.TableSchemaResolver;
import org.apache.hudi.common.table.timeline.HoodieInstant;
import org.apache.hudi.common.table.timeline.HoodieTimeline;
import org.apache.hudi.common.table.timeline.TimelineUtils;
import org.apache.hudi.common.util.ClusteringUtils;
import org.apache.hudi.common.util.Option;
import org.apache.hudi.common.util.collection.Pair;
import org.apache.hudi.config.HoodieArchivalConfig;
import org.apache.hudi.config.HoodieCleanConfig;
import org.apache.hudi.config.HoodieClusteringConfig;
import org.apache.hudi.config.HoodieCompactionConfig;
import org.apache.hudi.config.HoodieIndexConfig;
import org.apache.hudi.config.HoodieWriteConfig;
import org.apache.hudi.exception.TableNotFoundException;
import org.apache.hudi.hadoop.fs.HadoopFSUtils;
import org.apache.hudi.index.HoodieIndex;
import org.apache.hudi.keygen.NonpartitionedAvroKeyGenerator;
import org.apache.hudi.keygen.SimpleAvroKeyGenerator;
import org.apache.hudi.storage.StorageConfiguration;

/**
 * One COPY_ON_WRITE Hudi table written with the Hudi Java client (no Spark): create on first
 * write, upsert with commit metadata, cluster, and read the latest snapshot.
 *
 * <p>Writes to one table must be serialized by the caller (see {@code TableLocks}): the table runs
 * in Hudi's single-writer mode, where a write first rolls back whatever a crashed writer left
 * inflight. Why COPY_ON_WRITE: RECIPES records deleted keys coming back on MERGE_ON_READ with the
 * Java client, and the batch layer's reads (views, Hive) want plain parquet snapshots anyway.
 */
public final class HudiTable {

  /**
   * Table version 8 (Hudi 1.0's format), not 1.2's default 9: the newest Hudi reader for Hive on
   * Maven Central ({@code hudi-hadoop-mr} 1.0.2, on HiveServer2's classpath) reads version 8 only.
   */
  static final int TABLE_VERSION = HoodieTableVersion.EIGHT.versionCode();

  private final HudiTableSpec spec;
  private final HudiSettings settings;
  private final Configuration hadoopConf;
  private final StorageConfiguration<Configuration> storageConf;
  private final String basePath;

  public HudiTable(HudiTableSpec spec, HudiSettings settings) {
    this.spec = spec;
    this.settings = settings;
    this.hadoopConf = hadoopConf(settings);
    this.storageConf = HadoopFSUtils.getStorageConf(hadoopConf);
    this.basePath = settings.basePath(spec.name());
  }

  /** Hadoop configuration with the batch layer's overrides (shared by every table). */
  public static Configuration hadoopConf(HudiSettings settings) {
    Configuration conf = new Configuration();
    settings.hadoop().forEach(conf::set);
    return conf;
  }

  public HudiTableSpec spec() {
    return spec;
  }

  public String basePath() {
    return basePath;
  }

  public boolean exists() {
    try {
      Path props = new Path(basePath + "/.hoodie/hoodie.properties");
      return props.getFileSystem(hadoopConf).exists(props);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach " + basePath, e);
    }
  }

  /**
   * Upserts {@code records} (a record with {@link HudiTableSpec#DELETED_FIELD} true deletes its
   * key) in one commit that also carries {@code extraMetadata}: the data and the metadata become
   * visible together or not at all. Finishes a clustering a crashed run left pending first, so no
   * update lands in a file group that clustering is about to replace.
   *
   * @return the commit's instant time
   */
  public String upsert(Schema schema, List<GenericRecord> records, Map<String, String> extraMetadata) {
    createIfMissing(schema);
    try (HoodieJavaWriteClient<DefaultHoodieRecordPayload> client = client(schema)) {
      finishPendingClustering(client);
      String instant = client.startCommit();
      List<HoodieRecord<DefaultHoodieRecordPayload>> hoodieRecords = new ArrayList<>(records.size());
      for (GenericRecord record : records) {
        hoodieRecords.add(toHoodieRecord(record));
      }
      List<WriteStatus> statuses = client.upsert(hoodieRecords, instant);
      failOnErrors(statuses);
      if (!client.commit(instant, statuses, Option.of(extraMetadata))) {
        throw new IllegalStateException(spec.name() + ": commit " + instant + " was not completed");
      }
      return instant;
    }
  }

  /**
   * Of the given record keys (each with the value of the partition field its record has), those the
   * table does not hold. An index lookup ({@code filterExists}): the SIMPLE index reads only the key
   * column of the named partitions' current files, never the data.
   *
   * @param partitionValueByKey record key to partition field value (ignored for an unpartitioned table)
   */
  public Set<String> missingKeys(Map<String, String> partitionValueByKey) {
    Set<String> missing = new HashSet<>();
    Optional<Schema> schema = partitionValueByKey.isEmpty() ? Optional.empty() : schema();
    if (schema.isEmpty()) {
      missing.addAll(partitionValueByKey.keySet());
      return missing;
    }
    List<HoodieRecord<DefaultHoodieRecordPayload>> probes = new ArrayList<>(partitionValueByKey.size());
    partitionValueByKey.forEach((key, value) -> probes.add(new HoodieAvroRecord<>(
        new HoodieKey(key, partitionPath(value)), new DefaultHoodieRecordPayload(Option.empty()))));
    try (HoodieJavaWriteClient<DefaultHoodieRecordPayload> client = client(schema.get())) {
      for (HoodieRecord<DefaultHoodieRecordPayload> r : client.filterExists(probes)) {
        missing.add(r.getRecordKey());
      }
    }
    return missing;
  }

  /** The Java client's bulk insert (no index lookup, no small-file handling): the write-speed limit for benchmarks. */
  public String bulkInsert(Schema schema, List<GenericRecord> records) {
    createIfMissing(schema);
    try (HoodieJavaWriteClient<DefaultHoodieRecordPayload> client = client(schema)) {
      String instant = client.startCommit();
      List<HoodieRecord<DefaultHoodieRecordPayload>> hoodieRecords = new ArrayList<>(records.size());
      for (GenericRecord record : records) {
        hoodieRecords.add(toHoodieRecord(record));
      }
      List<WriteStatus> statuses = client.bulkInsert(hoodieRecords, instant);
      failOnErrors(statuses);
      if (!client.commit(instant, statuses, Option.of(Map.of()))) {
        throw new IllegalStateException(spec.name() + ": commit " + instant + " was not completed");
      }
      return instant;
    }
  }

  /**
   * Schedules and runs one clustering of small files (Java engine, sort-and-size strategy), or
   * finishes the one a crashed run left pending.
   *
   * @return the replacecommit's instant, empty when nothing needed clustering
   */
  public Optional<String> cluster() {
    if (!exists()) {
      return Optional.empty();
    }
    Schema schema = schema().orElseThrow();
    try (HoodieJavaWriteClient<DefaultHoodieRecordPayload> client = client(schema)) {
      Optional<String> pending = finishPendingClustering(client);
      if (pending.isPresent()) {
        return pending;
      }
      Option<String> instant = client.scheduleClustering(Option.empty());
      if (!instant.isPresent()) {
        return Optional.empty();
      }
      client.cluster(instant.get(), true);
      return Optional.of(instant.get());
    }
  }

  private Optional<String> finishPendingClustering(HoodieJavaWriteClient<DefaultHoodieRecordPayload> client) {
    if (!exists()) {
      return Optional.empty();
    }
    List<String> pending = ClusteringUtils.getAllPendingClusteringPlans(metaClient())
        .map(Pair::getLeft).map(HoodieInstant::requestedTime).sorted().toList();
    for (String instant : pending) {
      client.cluster(instant, true);
    }
    return pending.isEmpty() ? Optional.empty() : Optional.of(pending.get(pending.size() - 1));
  }

  /** The pending clustering plans (the planned file groups), for tests and logs. */
  List<HoodieClusteringPlan> pendingClusteringPlans() {
    return ClusteringUtils.getAllPendingClusteringPlans(metaClient()).map(Pair::getRight).toList();
  }

  /**
   * The extra metadata of the newest completed commit that has {@code key}; replacecommits of
   * clustering carry none, so this walks back past them.
   */
  public Optional<Map<String, String>> latestCommitMetadataWith(String key) {
    if (!exists()) {
      return Optional.empty();
    }
    try {
      HoodieTimeline commits = metaClient().getCommitsTimeline().filterCompletedInstants();
      Option<Pair<String, HoodieCommitMetadata>> found =
          TimelineUtils.getLatestInstantAndCommitMetadataWithValidCheckpointInfo(commits, key);
      return found.isPresent() ? Optional.of(found.get().getRight().getExtraMetadata()) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(spec.name() + ": cannot read the timeline", e);
    }
  }

  /** Completed commits (not replacecommits) after {@code instant} (exclusive; null = all), oldest first. */
  public List<CommitInfo> commitsAfter(String instant) {
    if (!exists()) {
      return List.of();
    }
    HoodieTimeline timeline = metaClient().getCommitsTimeline().filterCompletedInstants();
    if (instant != null) {
      timeline = timeline.findInstantsAfter(instant);
    }
    List<CommitInfo> out = new ArrayList<>();
    for (HoodieInstant i : timeline.getInstants()) {
      try {
        HoodieCommitMetadata meta = timeline.readCommitMetadata(i);
        out.add(new CommitInfo(i.requestedTime(), i.getAction(), new TreeSet<>(meta.getWritePartitionPaths()),
            meta.getExtraMetadata()));
      } catch (IOException e) {
        throw new UncheckedIOException(spec.name() + ": cannot read commit " + i, e);
      }
    }
    return out;
  }

  /** One completed instant: its time, action, the partitions it wrote and its extra metadata. */
  public record CommitInfo(String instant, String action, TreeSet<String> partitions, Map<String, String> extra) {}

  /** The newest completed instant (commit or replacecommit), if any. */
  public Optional<String> latestInstant() {
    if (!exists()) {
      return Optional.empty();
    }
    Option<HoodieInstant> last = metaClient().getCommitsTimeline().filterCompletedInstants().lastInstant();
    return last.isPresent() ? Optional.of(last.get().requestedTime()) : Optional.empty();
  }

  /**
   * The oldest completed instant still on the active timeline, if any. Archival moves older instants
   * off it, so {@link #commitsAfter} of an instant older than this one may miss commits.
   */
  public Optional<String> earliestActiveInstant() {
    if (!exists()) {
      return Optional.empty();
    }
    Option<HoodieInstant> first = metaClient().getCommitsTimeline().filterCompletedInstants().firstInstant();
    return first.isPresent() ? Optional.of(first.get().requestedTime()) : Optional.empty();
  }

  /** The table's current data schema (without Hudi's meta columns). */
  public Optional<Schema> schema() {
    if (!exists() || latestInstant().isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new TableSchemaResolver(metaClient()).getTableSchema(false).toAvroSchema());
    } catch (Exception e) {
      throw new IllegalStateException(spec.name() + ": cannot resolve the table schema: " + e.getMessage(), e);
    }
  }

  /** Partition paths (for example {@code event_date=2026-11-24}; "" for an unpartitioned table) that hold data. */
  public List<String> partitions() {
    if (!exists()) {
      return List.of();
    }
    if (!spec.partitioned()) {
      return List.of("");
    }
    try {
      Path base = new Path(basePath);
      FileSystem fs = base.getFileSystem(hadoopConf);
      List<String> out = new ArrayList<>();
      for (FileStatus status : fs.listStatus(base)) {
        String name = status.getPath().getName();
        if (status.isDirectory() && name.startsWith(spec.partitionField() + "=")) {
          out.add(name);
        }
      }
      out.sort(null);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(spec.name() + ": cannot list partitions", e);
    }
  }

  /** The partition path a value of the partition field maps to (hive style). */
  public String partitionPath(String value) {
    return spec.partitioned() ? spec.partitionField() + "=" + value : "";
  }

  /** A read view as of the newest completed instant, for many partition reads at the cost of one. */
  public HudiSnapshot snapshot() {
    return HudiSnapshot.open(this, hadoopConf);
  }

  /** The latest base file of each file group in {@code partitionPath}, as of the newest completed instant. */
  public List<DataFile> latestFiles(String partitionPath) {
    return snapshot().latestFiles(partitionPath);
  }

  boolean partitionExists(String partitionPath) {
    if (partitionPath.isEmpty()) {
      return true;
    }
    try {
      Path dir = new Path(basePath, partitionPath);
      return dir.getFileSystem(hadoopConf).exists(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(spec.name() + ": cannot reach partition " + partitionPath, e);
    }
  }

  /** One base file: its file group, path, size in bytes and the instant that wrote it. */
  public record DataFile(String fileId, String path, long sizeBytes, String instant) {}

  /** Streams every record of the latest snapshot of {@code partitionPath} to {@code sink}. */
  public void read(String partitionPath, Consumer<GenericRecord> sink) {
    snapshot().read(partitionPath, sink);
  }

  /** Every record of the latest snapshot (one timeline load for all partitions). */
  public List<GenericRecord> readAll() {
    HudiSnapshot snapshot = snapshot();
    List<GenericRecord> out = new ArrayList<>();
    for (String partition : partitions()) {
      snapshot.read(partition, out::add);
    }
    return out;
  }

  private HoodieRecord<DefaultHoodieRecordPayload> toHoodieRecord(GenericRecord record) {
    Object key = record.get(spec.recordKey());
    if (key == null) {
      throw new IllegalArgumentException(spec.name() + ": record without " + spec.recordKey() + ": " + record);
    }
    String partition = spec.partitioned() ? partitionPath(String.valueOf(record.get(spec.partitionField()))) : "";
    @SuppressWarnings("unchecked")
    Comparable<Object> ordering = (Comparable<Object>) record.get(spec.orderingField());
    return new HoodieAvroRecord<>(new HoodieKey(key.toString(), partition),
        new DefaultHoodieRecordPayload(record, ordering));
  }

  private static void failOnErrors(List<WriteStatus> statuses) {
    for (WriteStatus status : statuses) {
      if (status.getGlobalError() != null) {
        throw new IllegalStateException("Hudi write failed: " + status.getGlobalError(), status.getGlobalError());
      }
      if (status.hasErrors()) {
        var first = status.getErrors().entrySet().iterator().next();
        throw new IllegalStateException("Hudi write failed for " + status.getTotalErrorRecords() + " records, first "
            + first.getKey() + ": " + first.getValue(), first.getValue());
      }
    }
  }

  private void createIfMissing(Schema schema) {
    if (exists()) {
      return;
    }
    try {
      HoodieTableMetaClient.newTableBuilder()
          .setTableType(HoodieTableType.COPY_ON_WRITE)
          .setTableName(spec.name())
          .setTableVersion(TABLE_VERSION)
          .setTableCreateSchema(schema.toString())
          .setRecordKeyFields(spec.recordKey())
          .setPartitionFields(spec.partitioned() ? spec.partitionField() : null)
          .setOrderingFields(spec.orderingField())
          .setRecordMergeMode(RecordMergeMode.EVENT_TIME_ORDERING)
          .setPayloadClass(DefaultHoodieRecordPayload.class)
          .setKeyGeneratorClassProp(keyGenerator())
          .setHiveStylePartitioningEnable(true)
          .setBaseFileFormat("PARQUET")
          .initTable(storageConf, basePath);
    } catch (IOException e) {
      throw new UncheckedIOException(spec.name() + ": cannot create the table at " + basePath, e);
    }
  }

  /**
   * Parquet row groups of an eighth of the target file size: Hudi closes a file when the bytes
   * written so far reach the target, and it counts the open row group at its uncompressed size.
   * With one 120 MB row group per file (Hudi's default) a 1 MB clustering target produced 100 KB
   * files in our test; with small row groups the estimate is the real, compressed size.
   */
  private int rowGroupBytes() {
    long target = Math.min(settings.maxFileBytes(), settings.clusteringTargetBytes());
    return (int) Math.max(64L << 10, Math.min(120L << 20, target / 8));
  }

  private String keyGenerator() {
    return spec.partitioned() ? SimpleAvroKeyGenerator.class.getName() : NonpartitionedAvroKeyGenerator.class.getName();
  }

  StorageConfiguration<Configuration> storageConf() {
    return storageConf;
  }

  /**
   * A meta client of the table. A writer that creates the table or updates {@code hoodie.properties}
   * (Hudi rewrites it beside a backup) leaves a moment in which a reader finds neither file readable and
   * gets {@code TableNotFoundException} for a table that exists: that is retried for up to 2 s.
   */
  HoodieTableMetaClient metaClient() {
    long deadline = System.nanoTime() + PROPERTIES_RACE.toNanos();
    while (true) {
      try {
        return HoodieTableMetaClient.builder().setConf(storageConf).setBasePath(basePath)
            .setLoadActiveTimelineOnLoad(true).build();
      } catch (TableNotFoundException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** How long a table whose properties are being rewritten may look missing. */
  private static final java.time.Duration PROPERTIES_RACE = java.time.Duration.ofSeconds(2);

  private HoodieJavaWriteClient<DefaultHoodieRecordPayload> client(Schema schema) {
    return new HoodieJavaWriteClient<>(new HoodieJavaEngineContext(storageConf), writeConfig(schema));
  }

  HoodieWriteConfig writeConfig(Schema schema) {
    return HoodieWriteConfig.newBuilder()
        .withPath(basePath)
        .forTable(spec.name())
        .withSchema(schema.toString())
        .withEngineType(EngineType.JAVA)
        .withWriteTableVersion(TABLE_VERSION)
        .withAutoUpgradeVersion(false)
        // No timeline server (its artifact is not on Maven Central for 1.2) and no marker server.
        .withEmbeddedTimelineServerEnabled(false)
        .withMarkersType("DIRECT")
        .withRecordMergeMode(RecordMergeMode.EVENT_TIME_ORDERING)
        .withParallelism(2, 2)
        .withDeleteParallelism(2)
        .withIndexConfig(HoodieIndexConfig.newBuilder().withIndexType(HoodieIndex.IndexType.SIMPLE).build())
        // The metadata table tripled commit latency here (RECIPES); listings of a few partitions are cheap without it.
        .withMetadataConfig(HoodieMetadataConfig.newBuilder().enable(false).build())
        .withStorageConfig(HoodieStorageConfig.newBuilder()
            .parquetMaxFileSize(settings.maxFileBytes())
            .parquetBlockSize(rowGroupBytes())
            .build())
        .withCompactionConfig(HoodieCompactionConfig.newBuilder()
            .compactionSmallFileSize(settings.smallFileBytes())
            .approxRecordSize(settings.recordSizeEstimate())
            .build())
        .withCleanConfig(HoodieCleanConfig.newBuilder().withAutoClean(true)
            .retainCommits(settings.retainCommits()).build())
        .withArchivalConfig(HoodieArchivalConfig.newBuilder().withAutoArchive(true)
            .archiveCommitsWith(settings.archiveMinCommits(), settings.archiveMaxCommits()).build())
        .withClusteringConfig(HoodieClusteringConfig.newBuilder()
            .withClusteringPlanStrategyClass(
                "org.apache.hudi.client.clustering.plan.strategy.JavaSizeBasedClusteringPlanStrategy")
            .withClusteringExecutionStrategyClass(
                "org.apache.hudi.client.clustering.run.strategy.JavaSortAndSizeExecutionStrategy")
            .withClusteringTargetFileMaxBytes(settings.clusteringTargetBytes())
            .withClusteringPlanSmallFileLimit(settings.clusteringSmallFileBytes())
            .withClusteringMaxBytesInGroup(settings.clusteringTargetBytes() * 2)
            .withClusteringTargetPartitions(Integer.MAX_VALUE)
            .build())
        .withProps(Map.of(
            // The SIMPLE index joins keys against the partition's files; a bloom filter per file would only
            // add ~400 KB to every small file.
            "hoodie.parquet.bloom.filter.enabled", "false",
            // Bulk insert writes each run of one partition's records to a new file: unsorted input of several
            // partitions made one file per record. Sorted by partition and key it writes files near the max size.
            "hoodie.bulkinsert.sort.mode", "GLOBAL_SORT",
            "hoodie.datasource.write.recordkey.field", spec.recordKey(),
            "hoodie.datasource.write.partitionpath.field", spec.partitioned() ? spec.partitionField() : "",
            "hoodie.datasource.write.hive_style_partitioning", "true",
            "hoodie.datasource.write.keygenerator.class", keyGenerator(),
            "hoodie.table.ordering.fields", spec.orderingField()))
        .build();
  }
}
