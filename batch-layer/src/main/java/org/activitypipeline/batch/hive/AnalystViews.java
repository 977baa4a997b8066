package org.activitypipeline.batch.hive;

import java.util.List;
import org.apache.hadoop.hive.metastore.api.FieldSchema;

/**
 * The views analysts query instead of the raw Hudi tables. Instants become timestamps with
 * second precision in the session time zone (set {@code hive.local.time.zone=UTC} on the server);
 * Hive 4 refuses a plain numeric-to-timestamp cast ({@code hive.strict.timestamp.conversion}). Their SQL is the same text as in
 * {@code hive-scripts/create_tables.sql}; a test checks the two do not drift apart.
 */
final class AnalystViews {

  /** One view: name, its columns (the metastore needs them) and its SELECT with {@code ${hivevar:db}} for the database. */
  record View(String name, List<FieldSchema> columns, String select) {
    String sql(String db) {
      return select.replace("${hivevar:db}", db);
    }
  }

  private static FieldSchema col(String name, String type) {
    return new FieldSchema(name, type, null);
  }

  static final View ENRICHED_ACTIVITY = new View("enriched_activity", List.of(
      col("activity_id", "string"), col("employee_id", "bigint"), col("activity_type", "string"),
      col("device_type", "string"), col("os", "string"), col("location", "string"),
      col("duration_seconds", "int"), col("event_time", "timestamp"), col("event_date", "string"),
      col("employee_known", "boolean"), col("department_at_event", "string"), col("job_title_at_event", "string"),
      col("first_name", "string"), col("last_name", "string"), col("email", "string"),
      col("current_department", "string"), col("current_status", "string")),
      "SELECT `a`.`activity_id`, `a`.`employee_id`, `a`.`activity_type`, `a`.`device_type`, `a`.`os`,"
          + " `a`.`location`, `a`.`duration_seconds`,"
          + " CAST(from_unixtime(`a`.`event_time_ms` DIV 1000, 'yyyy-MM-dd HH:mm:ss') AS TIMESTAMP) AS `event_time`, `a`.`event_date`,"
          + " `a`.`employee_known`, `a`.`department_name` AS `department_at_event`,"
          + " `a`.`job_title` AS `job_title_at_event`, `e`.`first_name`, `e`.`last_name`, `e`.`email`,"
          + " `e`.`department_name` AS `current_department`, `e`.`status` AS `current_status`"
          + " FROM `${hivevar:db}`.`employee_activity` `a`"
          + " LEFT JOIN `${hivevar:db}`.`employees` `e` ON `a`.`employee_id` = `e`.`employee_id`");

  static final View HOURLY_ACTIVITY = new View("hourly_activity", List.of(
      col("department", "string"), col("activity_type", "string"), col("window_start", "timestamp"),
      col("window_end", "timestamp"), col("event_count", "bigint"), col("unique_employees", "bigint"),
      col("total_duration_seconds", "bigint"), col("avg_duration_seconds", "double"), col("event_date", "string")),
      "SELECT `h`.`department`, `h`.`activity_type`, CAST(from_unixtime(`h`.`window_start_ms` DIV 1000, 'yyyy-MM-dd HH:mm:ss') AS TIMESTAMP) AS `window_start`,"
          + " CAST(from_unixtime(`h`.`window_end_ms` DIV 1000, 'yyyy-MM-dd HH:mm:ss') AS TIMESTAMP) AS `window_end`, `h`.`event_count`,"
          + " `h`.`unique_employees`, `h`.`total_duration_seconds`, `h`.`avg_duration_seconds`, `h`.`event_date`"
          + " FROM `${hivevar:db}`.`hourly_activity_agg` `h`");

  static final List<View> ALL = List.of(ENRICHED_ACTIVITY, HOURLY_ACTIVITY);

  private AnalystViews() {}
}
