package org.activitypipeline.lakehouse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
import org.activitypipeline.common.json.Json;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

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

  /** Replaces the horizon file atomically (write then rename), so a reader never sees half a file. */
  public void write(String lakehouse, Configuration conf) {
    Path target = path(lakehouse);
    Path tmp = new Path(target.getParent(), "." + FILE + ".tmp");
    try {
      FileSystem fs = target.getFileSystem(conf);
      try (OutputStream out = fs.create(tmp, true)) {
        out.write(Json.write(this));
      }
      fs.delete(target, false);
      if (!fs.rename(tmp, target)) {
        throw new IOException("rename " + tmp + " -> " + target + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the batch horizon " + target, e);
    }
  }

  public static Optional<BatchHorizon> read(String lakehouse, Configuration conf) {
    Path target = path(lakehouse);
    try {
      FileSystem fs = target.getFileSystem(conf);
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
