package org.activitypipeline.lakehouse;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.activitypipeline.lakehouse.hudi.HudiTableSpec;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder.FieldAssembler;
import org.apache.avro.SchemaBuilder;

/**
 * The batch layer's tables (DESIGN §6) and their Avro schemas. Instants are epoch milliseconds
 * ({@code *_ms}, Hive {@code bigint}): every reader (Hudi, Hive's parquet reader, the serving
 * layer) agrees on a long, while parquet timestamp annotations are read differently by Hive versions.
 */
public final class Tables {

  public static final HudiTableSpec EMPLOYEE_CHANGES =
      new HudiTableSpec("employee_changes", "change_id", null, "source_lsn");
  public static final HudiTableSpec EMPLOYEES = new HudiTableSpec("employees", "employee_id", null, "source_lsn");
  public static final HudiTableSpec DEPARTMENT_CHANGES =
      new HudiTableSpec("department_changes", "change_id", null, "source_lsn");
  public static final HudiTableSpec EMPLOYEE_ACTIVITY =
      new HudiTableSpec("employee_activity", "activity_id", "event_date", "processed_at_ms");
  public static final HudiTableSpec HOURLY_ACTIVITY_AGG =
      new HudiTableSpec("hourly_activity_agg", "window_key", "event_date", "computed_at_ms");
  public static final HudiTableSpec DAILY_DEVICE_AGG =
      new HudiTableSpec("daily_device_agg", "window_key", "event_date", "computed_at_ms");

  public static final List<HudiTableSpec> ALL =
      List.of(EMPLOYEE_CHANGES, EMPLOYEES, DEPARTMENT_CHANGES, EMPLOYEE_ACTIVITY, HOURLY_ACTIVITY_AGG,
          DAILY_DEVICE_AGG);

  /** Columns of the employee tables that come from {@code extra_columns} get this type: any JSON value as text. */
  private static final Schema NULLABLE_STRING = SchemaBuilder.unionOf().nullType().and().stringType().endUnion();

  private Tables() {}

  public static Schema employeeActivity() {
    return SchemaBuilder.record("employee_activity").namespace("org.activitypipeline.batch").fields()
        .requiredString("activity_id")
        .requiredLong("employee_id")
        .requiredString("activity_type")
        .optionalString("device_type")
        .optionalString("os")
        .optionalString("ip")
        .optionalString("location")
        .requiredInt("duration_seconds")
        .requiredLong("event_time_ms")
        .optionalLong("ingest_time_ms")
        .optionalString("metadata_json")
        .requiredBoolean("employee_known")
        .optionalLong("department_id")
        .optionalString("department_name")
        .optionalString("job_title")
        .optionalString("employee_location")
        .optionalString("employee_status")
        .requiredLong("processed_at_ms")
        .requiredInt("kafka_partition")
        .requiredLong("kafka_offset")
        .requiredString("event_date")
        .endRecord();
  }

  /**
   * {@code employee_changes} (history) with the given extra columns appended. {@code change_id} is
   * {@code employee_id:source_lsn}, so a replayed change overwrites itself instead of duplicating.
   */
  public static Schema employeeChanges(Collection<String> extraColumns) {
    FieldAssembler<Schema> f = SchemaBuilder.record("employee_changes").namespace("org.activitypipeline.batch")
        .fields().requiredString("change_id");
    return withExtras(employeeFields(f), extraColumns);
  }

  /**
   * {@code department_changes}: every committed state of every department (the names' history, from
   * {@code processed-departments}). {@code change_id} is {@code department_id:source_lsn}, so a replayed
   * state overwrites itself; {@code source_time_ms} is null for states recorded before commit times were.
   */
  public static Schema departmentChanges() {
    return SchemaBuilder.record("department_changes").namespace("org.activitypipeline.batch").fields()
        .requiredString("change_id")
        .requiredLong("department_id")
        .optionalString("name")
        .requiredBoolean("deleted")
        .requiredLong("source_lsn")
        .optionalLong("source_time_ms")
        .requiredInt("kafka_partition")
        .requiredLong("kafka_offset")
        .endRecord();
  }

  /** {@code employees} (current state; a delete arrives with {@code _hoodie_is_deleted=true}). */
  public static Schema employees(Collection<String> extraColumns) {
    FieldAssembler<Schema> f = SchemaBuilder.record("employees").namespace("org.activitypipeline.batch").fields();
    f = employeeFields(f).name(HudiTableSpec.DELETED_FIELD).type().booleanType().booleanDefault(false);
    return withExtras(f, extraColumns);
  }

  private static FieldAssembler<Schema> employeeFields(FieldAssembler<Schema> f) {
    return f.requiredLong("employee_id")
        .requiredString("op")
        .optionalString("first_name")
        .optionalString("last_name")
        .optionalString("email")
        .optionalLong("department_id")
        .optionalString("department_name")
        .optionalString("job_title")
        .optionalString("location")
        .optionalLong("manager_id")
        .optionalString("hire_date")
        .optionalString("salary_band")
        .optionalString("status")
        .optionalLong("created_at_ms")
        .optionalLong("updated_at_ms")
        .optionalString("changed_fields")
        .requiredLong("source_lsn")
        .requiredLong("source_time_ms")
        .requiredInt("kafka_partition")
        .requiredLong("kafka_offset");
  }

  private static Schema withExtras(FieldAssembler<Schema> f, Collection<String> extraColumns) {
    for (String column : extraColumns) {
      f = f.name(column).type(NULLABLE_STRING).withDefault(null);
    }
    return f.endRecord();
  }

  public static Schema hourlyActivityAgg() {
    return SchemaBuilder.record("hourly_activity_agg").namespace("org.activitypipeline.batch").fields()
        .requiredString("window_key")
        .requiredString("department")
        .requiredString("activity_type")
        .requiredLong("window_start_ms")
        .requiredLong("window_end_ms")
        .requiredLong("event_count")
        .requiredLong("unique_employees")
        .requiredLong("total_duration_seconds")
        .requiredDouble("avg_duration_seconds")
        .requiredLong("first_event_time_ms")
        .requiredLong("last_event_time_ms")
        .requiredLong("computed_at_ms")
        .name(HudiTableSpec.DELETED_FIELD).type().booleanType().booleanDefault(false)
        .requiredString("event_date")
        .endRecord();
  }

  public static Schema dailyDeviceAgg() {
    return SchemaBuilder.record("daily_device_agg").namespace("org.activitypipeline.batch").fields()
        .requiredString("window_key")
        .requiredString("device_type")
        .requiredLong("event_count")
        .requiredLong("unique_employees")
        .requiredString("counts_by_activity_type_json")
        .requiredLong("computed_at_ms")
        .name(HudiTableSpec.DELETED_FIELD).type().booleanType().booleanDefault(false)
        .requiredString("event_date")
        .endRecord();
  }

  /** The extra (PostgreSQL-added) columns of an employee table's current schema, in table order. */
  public static List<String> extraColumns(Schema current, Schema base) {
    Set<String> known = new java.util.HashSet<>();
    base.getFields().forEach(f -> known.add(f.name()));
    List<String> out = new ArrayList<>();
    for (Schema.Field f : current.getFields()) {
      if (!known.contains(f.name()) && !f.name().startsWith("_hoodie_")) {
        out.add(f.name());
      }
    }
    return out;
  }

  /**
   * The column name for a PostgreSQL column that is not one of the known employee fields:
   * lower case, {@code [a-z0-9_]}, prefixed {@code x_} when it would collide with a known column
   * or start with a digit.
   */
  public static String extraColumnName(String pgColumn, Schema base) {
    String name = pgColumn.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    if (name.isEmpty() || Character.isDigit(name.charAt(0)) || base.getField(name) != null
        || name.startsWith("_hoodie")) {
      name = "x_" + name;
    }
    return name;
  }
}
