-- Example analyst queries over the batch layer's tables and views (HiveServer2, database ${hivevar:db}).
--
--   java -jar local-stack/target/local-stack.jar hive --hivevar db=activity -f hive-scripts/analyst_queries.sql
--   (or beeline -u jdbc:hive2://HOST:10000 --hivevar db=activity -f hive-scripts/analyst_queries.sql)
--
-- Each query is named by the comment before it; BatchLayerIT runs every one of them and compares
-- the result with a reference computed from the source data. Timestamps are UTC.

-- query: events_per_department_per_day
-- Events per department and day from the hourly batch view (department as of each event's time).
SELECT department, event_date, SUM(event_count) AS events
FROM ${hivevar:db}.hourly_activity
GROUP BY department, event_date
ORDER BY department, event_date;

-- query: device_usage_per_day
-- Daily device usage: events and distinct employees per device type.
SELECT device_type, event_date, event_count, unique_employees
FROM ${hivevar:db}.daily_device_agg
ORDER BY device_type, event_date;

-- query: most_active_employees
-- The ten most active employees overall, with their current department.
SELECT employee_id, COUNT(*) AS events, MAX(current_department) AS current_department
FROM ${hivevar:db}.enriched_activity
GROUP BY employee_id
ORDER BY events DESC, employee_id
LIMIT 10;

-- query: activities_per_day
-- Activities per event date straight from the master table (late events included).
SELECT event_date, COUNT(*) AS activities, COUNT(DISTINCT employee_id) AS employees
FROM ${hivevar:db}.employee_activity
GROUP BY event_date
ORDER BY event_date;
