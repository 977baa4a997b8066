package org.activitypipeline.lakehouse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.activitypipeline.common.json.Json;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.hdfs.DistributedFileSystem;

/**
 * The batch horizon: event time up to which the batch views are complete, written by the views
 * job to {@code <lakehouse>/_batch_horizon.json} where the serving layer reads it. Windows that
 * end at or before the horizon are served from the batch views, later ones from the speed layer.
 *
 * @param horizon windows ending at or before this are complete in the batch views
 * @param computedAt when the views job wrote it
 * @param sourceInstant the newest {@code employee_activity} commit the views include
 */
public record BatchHorizon(Instant horizon, Instant computedAt, String sourceInstant) {

  public static final String FILE = "_batch_horizon.json";

  public static Path path(String lakehouse) {
    return new Path(lakehouse + "/" + FILE);
  }

  /**
   * Replaces the horizon file atomically: the new one is written beside it, then renamed over it, so
   * a reader sees the old file or the new one, never none and never half of one. The caller
   * serializes writers (the views job holds a table lock across read, decide and write).
   */
  public void write(String lakehouse, Configuration conf) {
    Path target = path(lakehouse);
    Path tmp = new Path(target.getParent(), "." + FILE + "." + UUID.randomUUID() + ".tmp");
    try {
      FileSystem fs = fileSystem(target, conf);
      try (OutputStream out = fs.create(tmp, true)) {
        out.write(Json.write(this));
      }
      try {
        renameOver(fs, tmp, target);
      } finally {
        fs.delete(tmp, false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the batch horizon " + target, e);
    }
  }

  /**
   * HDFS replaces the target in one namenode operation only with {@code Rename.OVERWRITE}; its plain
   * rename refuses an existing target. A local file system's rename is POSIX rename(2), which replaces
   * the target atomically.
   */
  private static void renameOver(FileSystem fs, Path source, Path target) throws IOException {
    if (fs instanceof DistributedFileSystem dfs) {
      dfs.rename(source, target, Options.Rename.OVERWRITE);
    } else if (fs instanceof RawLocalFileSystem) {
      if (!fs.rename(source, target)) {
        throw new IOException("rename " + source + " -> " + target + " failed");
      }
    } else {
      throw new IOException("no atomic replace on " + fs.getUri() + " (" + fs.getClass().getSimpleName()
          + "); the lakehouse must be on HDFS or a local file system");
    }
  }

  /**
   * On a local file system, the raw one: the checksummed one keeps a {@code .crc} file beside the data
   * and renames the two one after the other, so a reader in between failed with a checksum error.
   */
  private static FileSystem fileSystem(Path target, Configuration conf) throws IOException {
    FileSystem fs = target.getFileSystem(conf);
    return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
  }

  public static Optional<BatchHorizon> read(String lakehouse, Configuration conf) {
    Path target = path(lakehouse);
    try {
      FileSystem fs = fileSystem(target, conf);
      if (!fs.exists(target)) {
        return Optional.empty();
      }
      try (InputStream in = fs.open(target)) {
        return Optional.of(Json.read(in.readAllBytes(), BatchHorizon.class, "batch horizon"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the batch horizon " + target, e);
    }
  }
}
