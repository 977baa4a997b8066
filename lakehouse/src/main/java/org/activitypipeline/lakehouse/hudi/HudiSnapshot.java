package org.activitypipeline.lakehouse.hudi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hudi.client.common.HoodieJavaEngineContext;
import org.apache.hudi.common.table.HoodieTableMetaClient;
import org.apache.hudi.common.table.timeline.HoodieTimeline;
import org.apache.hudi.common.table.view.HoodieTableFileSystemView;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * A read-only view of one table as of its newest completed instant when it was opened. The
 * timeline is loaded once and each partition listed once, however many reads follow: a reader of
 * many partitions (the serving layer) opens one per commit instead of paying that per read.
 *
 * <p>Thread-safe: Hudi's file-system view guards its partition cache. Data committed after the
 * snapshot was opened is not seen; open a new one for it. Holds no open files.
 */
public final class HudiSnapshot {
  private final HudiTable table;
  private final Configuration hadoopConf;
  private final HoodieTableFileSystemView view; // null: the table does not exist (yet)
  private final String instant;

  private HudiSnapshot(HudiTable table, Configuration hadoopConf, HoodieTableFileSystemView view, String instant) {
    this.table = table;
    this.hadoopConf = hadoopConf;
    this.view = view;
    this.instant = instant;
  }

  static HudiSnapshot open(HudiTable table, Configuration hadoopConf) {
    if (!table.exists()) {
      return new HudiSnapshot(table, hadoopConf, null, null);
    }
    HoodieTableMetaClient meta = table.metaClient();
    HoodieTimeline completed = meta.getCommitsTimeline().filterCompletedInstants();
    HoodieTableFileSystemView view = HoodieTableFileSystemView.fileListingBasedFileSystemView(
        new HoodieJavaEngineContext(table.storageConf()), meta, completed);
    String last = completed.lastInstant().isPresent() ? completed.lastInstant().get().requestedTime() : null;
    return new HudiSnapshot(table, hadoopConf, view, last);
  }

  /** The newest completed instant this snapshot reads, empty for a table without commits. */
  public Optional<String> instant() {
    return Optional.ofNullable(instant);
  }

  /** The latest base file of each file group in {@code partitionPath}; none for a partition that does not exist. */
  public List<HudiTable.DataFile> latestFiles(String partitionPath) {
    if (view == null || !table.partitionExists(partitionPath)) {
      return List.of();
    }
    return view.getLatestBaseFiles(partitionPath)
        .map(f -> new HudiTable.DataFile(f.getFileId(), f.getPath(), f.getFileSize(), f.getCommitTime())).toList();
  }

  /** Streams every record of {@code partitionPath} to {@code sink}. */
  public void read(String partitionPath, Consumer<GenericRecord> sink) {
    for (HudiTable.DataFile file : latestFiles(partitionPath)) {
      try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(
          HadoopInputFile.fromPath(new Path(file.path()), hadoopConf)).withConf(hadoopConf).build()) {
        for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
          sink.accept(r);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(table.spec().name() + ": cannot read " + file.path(), e);
      }
    }
  }
}
