package org.activitypipeline.batch.hive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.activitypipeline.lakehouse.Tables;
import org.activitypipeline.lakehouse.hudi.HudiTableSpec;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** {@code hive-scripts/create_tables.sql} declares exactly what hive-sync registers (no drift between the two). */
class CreateTablesScriptTest {

  static final Map<HudiTableSpec, Schema> TABLES = Map.of(
      Tables.EMPLOYEE_CHANGES, Tables.employeeChanges(List.of()),
      Tables.EMPLOYEES, Tables.employees(List.of()),
      Tables.DEPARTMENT_CHANGES, Tables.departmentChanges(),
      Tables.EMPLOYEE_ACTIVITY, Tables.employeeActivity(),
      Tables.HOURLY_ACTIVITY_AGG, Tables.hourlyActivityAgg(),
      Tables.DAILY_DEVICE_AGG, Tables.dailyDeviceAgg());

  static String script() throws IOException {
    return Files.readString(Path.of("..", "hive-scripts", "create_tables.sql"));
  }

  @Test
  void everyTableHasTheColumnsHiveSyncRegisters() throws IOException {
    String script = script();
    assertEquals(Tables.ALL.size(), TABLES.size());
    for (var e : TABLES.entrySet()) {
      HudiTableSpec spec = e.getKey();
      Matcher m = Pattern.compile("CREATE EXTERNAL TABLE IF NOT EXISTS \\$\\{hivevar:db}\\." + spec.name()
          + " \\((.*?)\\n\\)\\n(PARTITIONED BY \\(`(\\w+)` string\\)\\n)?", Pattern.DOTALL).matcher(script);
      assertTrue(m.find(), "no CREATE TABLE for " + spec.name());
      List<String> declared = new ArrayList<>();
      for (String line : m.group(1).split(",\n")) {
        declared.add(line.trim().replace("`", ""));
      }
      List<String> synced = HiveSchemas.columns(spec, e.getValue()).stream()
          .map(c -> c.getName() + " " + c.getType()).toList();
      assertEquals(synced, declared, spec.name());
      assertEquals(spec.partitionField(), m.group(3), spec.name() + " partition column");
      assertTrue(script.contains("LOCATION '${hivevar:lakehouse}/" + spec.name() + "';"), spec.name() + " location");
    }
    assertTrue(script.contains("'" + HiveSyncJob.INPUT_FORMAT + "'"));
  }

  @Test
  void everyViewHasTheSqlHiveSyncRegisters() throws IOException {
    String script = script();
    for (AnalystViews.View view : AnalystViews.ALL) {
      assertTrue(script.contains("CREATE OR REPLACE VIEW ${hivevar:db}." + view.name() + " AS\n" + view.select() + ";"),
          "view " + view.name() + " differs from AnalystViews");
    }
  }
}
