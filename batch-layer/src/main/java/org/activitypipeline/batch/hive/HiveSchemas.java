package org.activitypipeline.batch.hive;

import java.util.ArrayList;
import java.util.List;
import org.activitypipeline.lakehouse.hudi.HudiTableSpec;
import org.apache.avro.Schema;
import org.apache.hadoop.hive.metastore.api.FieldSchema;

/** Hive columns of a Hudi table: Hudi's five meta columns, then the data columns (without the partition column). */
final class HiveSchemas {

  static final List<String> HOODIE_META_COLUMNS = List.of("_hoodie_commit_time", "_hoodie_commit_seqno",
      "_hoodie_record_key", "_hoodie_partition_path", "_hoodie_file_name");

  private HiveSchemas() {}

  static List<FieldSchema> columns(HudiTableSpec spec, Schema schema) {
    List<FieldSchema> out = new ArrayList<>();
    for (String meta : HOODIE_META_COLUMNS) {
      out.add(new FieldSchema(meta, "string", null));
    }
    for (Schema.Field f : schema.getFields()) {
      if (f.name().equals(spec.partitionField()) || HOODIE_META_COLUMNS.contains(f.name())) {
        continue;
      }
      out.add(new FieldSchema(f.name(), hiveType(f.schema(), f.name()), f.doc()));
    }
    return out;
  }

  static String hiveType(Schema s, String field) {
    if (s.getType() == Schema.Type.UNION) {
      for (Schema branch : s.getTypes()) {
        if (branch.getType() != Schema.Type.NULL) {
          return hiveType(branch, field);
        }
      }
    }
    return switch (s.getType()) {
      case STRING -> "string";
      case LONG -> "bigint";
      case INT -> "int";
      case BOOLEAN -> "boolean";
      case DOUBLE -> "double";
      case FLOAT -> "float";
      default -> throw new IllegalArgumentException("column " + field + ": no Hive type for Avro " + s.getType());
    };
  }
}
