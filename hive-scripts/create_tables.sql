-- Hive DDL for the batch layer's lakehouse: the same tables and views `batch-layer run-once hive-sync`
-- registers (see docs/BATCH.md), for analysts who want them in their own database.
--
--   java -jar local-stack/target/local-stack.jar hive -u jdbc:hive2://HOST:10000/default \
--     --hivevar db=my_db --hivevar lakehouse=hdfs://NAMENODE:8020/lakehouse -f hive-scripts/create_tables.sql
--   (or beeline -u jdbc:hive2://HOST:10000 --hivevar db=my_db --hivevar lakehouse=hdfs://NAMENODE:8020/lakehouse \
--     -f hive-scripts/create_tables.sql)
--
-- The tables are Hudi COPY_ON_WRITE tables read through Hudi's input format: HiveServer2 needs the
-- hudi-hadoop-mr reader on its classpath and hive.input.format=org.apache.hadoop.hive.ql.io.HiveInputFormat
-- (CombineHiveInputFormat would read every old file version too; see docs/BATCH.md). Columns added in
-- PostgreSQL later are appended by hive-sync, not by this script. Backquote the _hoodie_* columns in queries.
-- The views render instants in the session time zone: run HiveServer2 with hive.local.time.zone=UTC.

CREATE DATABASE IF NOT EXISTS ${hivevar:db};

CREATE EXTERNAL TABLE IF NOT EXISTS ${hivevar:db}.employee_changes (
  `_hoodie_commit_time` string,
  `_hoodie_commit_seqno` string,
  `_hoodie_record_key` string,
  `_hoodie_partition_path` string,
  `_hoodie_file_name` string,
  `change_id` string,
  `employee_id` bigint,
  `op` string,
  `first_name` string,
  `last_name` string,
  `email` string,
  `department_id` bigint,
  `department_name` string,
  `job_title` string,
  `location` string,
  `manager_id` bigint,
  `hire_date` string,
  `salary_band` string,
  `status` string,
  `created_at_ms` bigint,
  `updated_at_ms` bigint,
  `changed_fields` string,
  `source_lsn` bigint,
  `source_time_ms` bigint,
  `kafka_partition` int,
  `kafka_offset` bigint
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hudi.hadoop.HoodieParquetInputFormat'
  OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION '${hivevar:lakehouse}/employee_changes';

CREATE EXTERNAL TABLE IF NOT EXISTS ${hivevar:db}.employees (
  `_hoodie_commit_time` string,
  `_hoodie_commit_seqno` string,
  `_hoodie_record_key` string,
  `_hoodie_partition_path` string,
  `_hoodie_file_name` string,
  `employee_id` bigint,
  `op` string,
  `first_name` string,
  `last_name` string,
  `email` string,
  `department_id` bigint,
  `department_name` string,
  `job_title` string,
  `location` string,
  `manager_id` bigint,
  `hire_date` string,
  `salary_band` string,
  `status` string,
  `created_at_ms` bigint,
  `updated_at_ms` bigint,
  `changed_fields` string,
  `source_lsn` bigint,
  `source_time_ms` bigint,
  `kafka_partition` int,
  `kafka_offset` bigint,
  `_hoodie_is_deleted` boolean
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hudi.hadoop.HoodieParquetInputFormat'
  OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION '${hivevar:lakehouse}/employees';

CREATE EXTERNAL TABLE IF NOT EXISTS ${hivevar:db}.department_changes (
  `_hoodie_commit_time` string,
  `_hoodie_commit_seqno` string,
  `_hoodie_record_key` string,
  `_hoodie_partition_path` string,
  `_hoodie_file_name` string,
  `change_id` string,
  `department_id` bigint,
  `name` string,
  `deleted` boolean,
  `source_lsn` bigint,
  `source_time_ms` bigint,
  `kafka_partition` int,
  `kafka_offset` bigint
)
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hudi.hadoop.HoodieParquetInputFormat'
  OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION '${hivevar:lakehouse}/department_changes';

CREATE EXTERNAL TABLE IF NOT EXISTS ${hivevar:db}.employee_activity (
  `_hoodie_commit_time` string,
  `_hoodie_commit_seqno` string,
  `_hoodie_record_key` string,
  `_hoodie_partition_path` string,
  `_hoodie_file_name` string,
  `activity_id` string,
  `employee_id` bigint,
  `activity_type` string,
  `device_type` string,
  `os` string,
  `ip` string,
  `location` string,
  `duration_seconds` int,
  `event_time_ms` bigint,
  `ingest_time_ms` bigint,
  `metadata_json` string,
  `employee_known` boolean,
  `department_id` bigint,
  `department_name` string,
  `job_title` string,
  `employee_location` string,
  `employee_status` string,
  `processed_at_ms` bigint,
  `kafka_partition` int,
  `kafka_offset` bigint
)
PARTITIONED BY (`event_date` string)
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hudi.hadoop.HoodieParquetInputFormat'
  OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION '${hivevar:lakehouse}/employee_activity';
MSCK REPAIR TABLE ${hivevar:db}.employee_activity;

CREATE EXTERNAL TABLE IF NOT EXISTS ${hivevar:db}.hourly_activity_agg (
  `_hoodie_commit_time` string,
  `_hoodie_commit_seqno` string,
  `_hoodie_record_key` string,
  `_hoodie_partition_path` string,
  `_hoodie_file_name` string,
  `window_key` string,
  `department` string,
  `activity_type` string,
  `window_start_ms` bigint,
  `window_end_ms` bigint,
  `event_count` bigint,
  `unique_employees` bigint,
  `total_duration_seconds` bigint,
  `avg_duration_seconds` double,
  `first_event_time_ms` bigint,
  `last_event_time_ms` bigint,
  `computed_at_ms` bigint,
  `_hoodie_is_deleted` boolean
)
PARTITIONED BY (`event_date` string)
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hudi.hadoop.HoodieParquetInputFormat'
  OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION '${hivevar:lakehouse}/hourly_activity_agg';
MSCK REPAIR TABLE ${hivevar:db}.hourly_activity_agg;

CREATE EXTERNAL TABLE IF NOT EXISTS ${hivevar:db}.daily_device_agg (
  `_hoodie_commit_time` string,
  `_hoodie_commit_seqno` string,
  `_hoodie_record_key` string,
  `_hoodie_partition_path` string,
  `_hoodie_file_name` string,
  `window_key` string,
  `device_type` string,
  `event_count` bigint,
  `unique_employees` bigint,
  `counts_by_activity_type_json` string,
  `computed_at_ms` bigint,
  `_hoodie_is_deleted` boolean
)
PARTITIONED BY (`event_date` string)
ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'
STORED AS INPUTFORMAT 'org.apache.hudi.hadoop.HoodieParquetInputFormat'
  OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'
LOCATION '${hivevar:lakehouse}/daily_device_agg';
MSCK REPAIR TABLE ${hivevar:db}.daily_device_agg;

CREATE OR REPLACE VIEW ${hivevar:db}.enriched_activity AS
SELECT `a`.`activity_id`, `a`.`employee_id`, `a`.`activity_type`, `a`.`device_type`, `a`.`os`, `a`.`location`, `a`.`duration_seconds`, CAST(from_unixtime(`a`.`event_time_ms` DIV 1000, 'yyyy-MM-dd HH:mm:ss') AS TIMESTAMP) AS `event_time`, `a`.`event_date`, `a`.`employee_known`, `a`.`department_name` AS `department_at_event`, `a`.`job_title` AS `job_title_at_event`, `e`.`first_name`, `e`.`last_name`, `e`.`email`, `e`.`department_name` AS `current_department`, `e`.`status` AS `current_status` FROM `${hivevar:db}`.`employee_activity` `a` LEFT JOIN `${hivevar:db}`.`employees` `e` ON `a`.`employee_id` = `e`.`employee_id`;

CREATE OR REPLACE VIEW ${hivevar:db}.hourly_activity AS
SELECT `h`.`department`, `h`.`activity_type`, CAST(from_unixtime(`h`.`window_start_ms` DIV 1000, 'yyyy-MM-dd HH:mm:ss') AS TIMESTAMP) AS `window_start`, CAST(from_unixtime(`h`.`window_end_ms` DIV 1000, 'yyyy-MM-dd HH:mm:ss') AS TIMESTAMP) AS `window_end`, `h`.`event_count`, `h`.`unique_employees`, `h`.`total_duration_seconds`, `h`.`avg_duration_seconds`, `h`.`event_date` FROM `${hivevar:db}`.`hourly_activity_agg` `h`;
