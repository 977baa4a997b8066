package org.activitypipeline.lakehouse.hudi;

import java.util.Map;

/**
 * How the batch layer writes its Hudi tables. Sizes are bytes.
 *
 * @param lakehouse root of all tables, for example {@code hdfs://namenode:8020/lakehouse} or {@code file:///data/lakehouse}
 * @param hadoop extra Hadoop settings (for example {@code dfs.replication})
 * @param maxFileBytes largest base file a write produces
 * @param smallFileBytes base files below this get new inserts added on write (0 = every commit writes new files)
 * @param recordSizeEstimate bytes per record Hudi assumes before it has statistics
 * @param clusteringTargetBytes size clustering aims at
 * @param clusteringSmallFileBytes files below this are clustering candidates
 * @param retainCommits commits whose file versions cleaning keeps (readers of older snapshots need them)
 * @param archiveMinCommits fewest completed instants left on the active timeline by archival
 * @param archiveMaxCommits archival starts when the active timeline has more than this
 */
public record HudiSettings(String lakehouse, Map<String, String> hadoop, long maxFileBytes, long smallFileBytes,
                           int recordSizeEstimate, long clusteringTargetBytes, long clusteringSmallFileBytes,
                           int retainCommits, int archiveMinCommits, int archiveMaxCommits) {

  public HudiSettings {
    hadoop = Map.copyOf(hadoop);
    while (lakehouse.endsWith("/")) {
      lakehouse = lakehouse.substring(0, lakehouse.length() - 1);
    }
  }

  /** Hadoop secrets (key store passwords, credentials) hidden. */
  @Override
  public String toString() {
    return "HudiSettings[lakehouse=" + lakehouse + ", hadoop=" + org.activitypipeline.common.config.Secrets.masked(
        hadoop) + ", maxFileBytes=" + maxFileBytes + ", smallFileBytes=" + smallFileBytes + ", retainCommits="
        + retainCommits + "]";
  }

  /** Settings for a reader (the serving layer): only the location and the Hadoop settings matter to it. */
  public static HudiSettings forReading(String lakehouse, Map<String, String> hadoop) {
    return new HudiSettings(lakehouse, hadoop, 128L << 20, 0, 256, 128L << 20, 64L << 20, 10, 20, 30);
  }

  public String basePath(String table) {
    return lakehouse + "/" + table;
  }
}
