package org.activitypipeline.lakehouse.hudi;

import java.util.Objects;

/**
 * What identifies a Hudi table of the batch layer: its name (also the folder under the lakehouse
 * root and the Hive table name), the record key, the partition field ({@code null} for an
 * unpartitioned table) and the ordering field that decides which version of a key wins.
 */
public record HudiTableSpec(String name, String recordKey, String partitionField, String orderingField) {

  /** Hudi's marker field: a record written with it set to true deletes its key. */
  public static final String DELETED_FIELD = "_hoodie_is_deleted";
  /** Hudi's meta column with the instant that wrote a row's current version (in every row read). */
  public static final String COMMIT_TIME_FIELD = "_hoodie_commit_time";

  public HudiTableSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(recordKey, "recordKey");
    Objects.requireNonNull(orderingField, "orderingField");
  }

  public boolean partitioned() {
    return partitionField != null;
  }
}
