package org.activitypipeline.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.activitypipeline.batch.testing.BatchLayerProcess;
import org.activitypipeline.batch.testing.BatchScenario;
import org.activitypipeline.common.event.ChangeOp;
import org.activitypipeline.common.event.DepartmentChange;
import org.activitypipeline.common.event.EmployeeChange;
import org.activitypipeline.common.event.EnrichedActivity;
import org.activitypipeline.common.json.JsonCodec;
import org.activitypipeline.common.topic.TopicReadiness;
import org.activitypipeline.common.topic.Topics;
import org.activitypipeline.lakehouse.BatchHorizon;
import org.activitypipeline.lakehouse.Tables;
import org.activitypipeline.lakehouse.hudi.HudiSettings;
import org.activitypipeline.lakehouse.hudi.HudiTable;
import org.activitypipeline.localstack.LocalStack;
import org.activitypipeline.localstack.ServerKind;
import org.activitypipeline.localstack.junit.WithLocalStack;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.IMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.conf.MetastoreConf;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The batch layer as operators run it ({@code java -jar batch-layer.jar run-once JOB}) against a
 * real Kafka, HDFS, PostgreSQL and Hive Metastore: ingest (with a kill -9 in the middle), batch
 * views against a reference computed from the source data (late events included), Hive sync and
 * a column added in PostgreSQL reaching Hive, and the analysts' scripts in {@code hive-scripts/} run
 * through HiveServer2 over the real Hudi tables. The tests build on each other's data, in order.
 */
@WithLocalStack({ServerKind.POSTGRES, ServerKind.KAFKA, ServerKind.HDFS, ServerKind.HIVE_METASTORE,
    ServerKind.HIVESERVER2})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BatchLayerIT {

  static final int EMPLOYEES = 120;
  final String run = "it" + System.currentTimeMillis() % 1_000_000;
  final String employeesTopic = run + "-processed-employees";
  final String activitiesTopic = run + "-processed-activities";
  final String departmentsTopic = run + "-processed-departments";
  final String dlqTopic = run + "-dlq";
  final BatchScenario scenario = new BatchScenario(42);
  Map<String, String> props;
  /** An employee whose delete event was compacted away: the tombstone alone removes it from employees. */
  long compactedAway;
  Map<String, String> config;
  HudiSettings hudi;
  Path dir;

  @BeforeAll
  void setUp(LocalStack stack) throws Exception {
    props = stack.connectionProperties();
    dir = Path.of("target", "it", run).toAbsolutePath();
    config = new HashMap<>();
    config.put("kafka.bootstrap.servers", props.get("kafka.bootstrap.servers"));
    config.put("topic.processed-employees", employeesTopic);
    config.put("topic.processed-activities", activitiesTopic);
    config.put("topic.processed-departments", departmentsTopic);
    config.put("topic.dlq", dlqTopic);
    config.put("lakehouse.path", props.get("hdfs.uri") + "/" + run + "/lakehouse");
    config.put("hive.metastore.uris", props.get("hive.metastore.uris"));
    config.put("hive.database", run);
    config.put("quartz.jdbc.url", props.get("postgres.jdbc.url"));
    config.put("quartz.jdbc.user", props.get("postgres.user"));
    config.put("quartz.jdbc.password", props.get("postgres.password"));
    config.put("hadoop.dfs.replication", "1");
    config.put("metrics.port", "0");
    config.put("ingest.batch.max-records", "2500");
    hudi = new HudiSettings(config.get("lakehouse.path"), Map.of("dfs.replication", "1"), 128L << 20, 0, 256,
        128L << 20, 64L << 20, 10, 20, 30);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", props.get("kafka.bootstrap.servers")))) {
      TopicReadiness.create(admin, List.of(new NewTopic(employeesTopic, 2, (short) 1),
          new NewTopic(activitiesTopic, 3, (short) 1), new NewTopic(dlqTopic, 1, (short) 1),
          new NewTopic(departmentsTopic, 1, (short) 1)), Duration.ofMinutes(1));
    }
  }

  int runOnce(String job, String name) throws Exception {
    BatchLayerProcess p = new BatchLayerProcess(dir, name, config, "run-once", job);
    int code = p.runToEnd(300);
    assertEquals(0, code, job + " failed:\n" + p.logTail());
    return code;
  }

  @Test
  @Order(1)
  void ingestIsExactAfterAKillDuringIngest() throws Exception {
    scenario.employees(EMPLOYEES);
    compactedAway = scenario.currentEmployees().keySet().stream().filter(id -> id != 3L).max(Long::compare)
        .orElseThrow();
    List<EnrichedActivity> first = scenario.activities(24_000, 0, 3, EMPLOYEES + 10, "a-");
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      JsonCodec<EmployeeChange> changes = JsonCodec.of(EmployeeChange.class, EmployeeChange.SCHEMA_VERSION);
      for (EmployeeChange c : scenario.changes) {
        byte[] key = Long.toString(c.employeeId()).getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(employeesTopic, key, changes.encode(c)));
        if (c.op() == ChangeOp.DELETE) {
          producer.send(new ProducerRecord<>(employeesTopic, key, null)); // compaction tombstone
        }
      }
      producer.send(new ProducerRecord<>(employeesTopic, "7".getBytes(StandardCharsets.UTF_8),
          "{not json".getBytes(StandardCharsets.UTF_8)));
      sendActivities(producer, first);
      sendActivities(producer, first.subList(0, 500)); // a replay: the same activities again
      producer.send(new ProducerRecord<>(activitiesTopic, "1".getBytes(StandardCharsets.UTF_8),
          "{\"schema_version\":1}".getBytes(StandardCharsets.UTF_8)));
      // An event time past what epoch milliseconds hold: not an invalid record, an unexpected error building the row.
      producer.send(new ProducerRecord<>(activitiesTopic, "1".getBytes(StandardCharsets.UTF_8), ("{\"schema_version\":1,"
          + "\"activity\":{\"schema_version\":1,\"activity_id\":\"overflow-1\",\"employee_id\":1,\"activity_type\":"
          + "\"login\",\"device_type\":\"laptop\",\"duration_seconds\":5,\"event_time\":\"+300000000-01-01T00:00:00Z\"},"
          + "\"employee_known\":true}").getBytes(StandardCharsets.UTF_8)));
      // An employee whose delete event compaction removed: only the tombstone is left, and it deletes.
      producer.send(new ProducerRecord<>(employeesTopic, Long.toString(compactedAway).getBytes(StandardCharsets.UTF_8),
          null));
    }

    // Kill -9 once the first commit of employee_activity is complete: the rest is mid-flight.
    BatchLayerProcess killed = new BatchLayerProcess(dir, "ingest-killed", config, "run-once", "ingest").start();
    HudiTable activity = new HudiTable(Tables.EMPLOYEE_ACTIVITY, hudi);
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (activity.latestInstant().isEmpty() && killed.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    Thread.sleep(700); // into the next batch's write
    assertTrue(killed.isAlive(), "the first ingest must still be running when killed:\n" + killed.logTail());
    killed.kill();
    int commitsBeforeRestart = activity.commitsAfter(null).size();
    assertTrue(commitsBeforeRestart >= 1 && commitsBeforeRestart < 10,
        "killed mid-ingest after " + commitsBeforeRestart + " of 10 commits");

    runOnce("ingest", "ingest-after-kill");

    Map<String, EnrichedActivity> expected = scenario.distinctActivities();
    Map<String, GenericRecord> rows = new HashMap<>();
    for (GenericRecord r : activity.readAll()) {
      GenericRecord before = rows.put(r.get("activity_id").toString(), r);
      assertEquals(null, before, "duplicate activity " + r.get("activity_id"));
    }
    assertEquals(expected.keySet(), rows.keySet());
    for (EnrichedActivity e : expected.values()) {
      GenericRecord r = rows.get(e.activity().activityId());
      assertEquals(e.activity().employeeId(), r.get("employee_id"));
      assertEquals(e.activity().eventTime().toEpochMilli(), r.get("event_time_ms"));
      assertEquals(e.activity().activityType(), r.get("activity_type").toString());
      assertEquals(e.activity().deviceType(), r.get("device_type").toString());
      assertEquals(e.activity().durationSeconds(), r.get("duration_seconds"));
      assertEquals(e.departmentName(), r.get("department_name").toString());
      assertEquals(e.activity().eventTime().toString().substring(0, 10), r.get("event_date").toString());
    }
    assertEquals(3, activity.partitions().size());

    HudiTable changes = new HudiTable(Tables.EMPLOYEE_CHANGES, hudi);
    Set<String> changeIds = new HashSet<>();
    for (GenericRecord r : changes.readAll()) {
      assertTrue(changeIds.add(r.get("change_id").toString()), "duplicate change " + r.get("change_id"));
    }
    Set<String> expectedChanges = new HashSet<>();
    scenario.changes.forEach(c -> expectedChanges.add(c.employeeId() + ":" + c.sourceLsn()));
    assertEquals(expectedChanges, changeIds);

    Map<Long, EmployeeChange> current = new HashMap<>(scenario.currentEmployees());
    current.remove(compactedAway);
    Map<Long, GenericRecord> state = new HashMap<>();
    for (GenericRecord r : new HudiTable(Tables.EMPLOYEES, hudi).readAll()) {
      assertEquals(null, state.put((Long) r.get("employee_id"), r), "duplicate employee " + r.get("employee_id"));
    }
    assertEquals(current.keySet(), state.keySet(), "deleted employees are gone, every other one is there");
    current.forEach((id, c) -> {
      assertEquals(c.sourceLsn(), state.get(id).get("source_lsn"));
      assertEquals(c.departmentName(), str(state.get(id).get("department_name")));
    });

    Map<String, List<String>> deadLetters = deadLetterReasons(3);
    assertEquals(Set.of(employeesTopic, activitiesTopic), deadLetters.keySet(), "the poison records dead-lettered");
    assertEquals(1, deadLetters.get(employeesTopic).size(), deadLetters.toString());
    assertEquals(2, deadLetters.get(activitiesTopic).size(), deadLetters.toString());
    assertTrue(deadLetters.get(activitiesTopic).stream().anyMatch(r -> r.startsWith("unexpected error:")
        && r.contains("ArithmeticException")), "the unexpected error is named: " + deadLetters);
  }

  @Test
  @Order(2)
  void batchViewsEqualTheReferenceIncludingLateEvents() throws Exception {
    runOnce("views", "views-1");
    assertViewsEqualReference();
    BatchHorizon horizon = BatchHorizon.read(hudi.lakehouse(), HudiTable.hadoopConf(hudi)).orElseThrow();
    long maxEvent = scenario.activities.stream().mapToLong(e -> e.activity().eventTime().toEpochMilli()).max().orElseThrow();
    assertEquals(Math.floorDiv(maxEvent - Duration.ofMinutes(10).toMillis(), 3_600_000L) * 3_600_000L,
        horizon.horizon().toEpochMilli());

    // Late events for day 0 (already in the views): only that date is recomputed, and it is right again.
    List<EnrichedActivity> late = scenario.activities(700, 0, 1, EMPLOYEES + 10, "late-");
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      sendActivities(producer, late);
    }
    runOnce("ingest", "ingest-late");
    BatchLayerProcess views = new BatchLayerProcess(dir, "views-2", config, "run-once", "views");
    assertEquals(0, views.runToEnd(300), views.logTail());
    assertTrue(views.logText().contains("dates=1 "), "only the late events' date is recomputed:\n" + views.logTail());
    assertViewsEqualReference();

    // An employee change that reaches the batch layer after the activities it concerns (a cdc outage):
    // employee 7 moves on day 2 at 06:00, after its day-2 activities are in the views. No new activity
    // arrives, yet day 2 must be recomputed with the new department from 06:00 on.
    EmployeeChange move = scenario.change(ChangeOp.UPDATE, 7, 4L, BatchScenario.DAY0.plusSeconds(2 * 86_400 + 6 * 3_600),
        Map.of());
    scenario.changes.add(move);
    assertTrue(scenario.activities.stream().anyMatch(e -> e.activity().employeeId() == 7
        && e.activity().eventTime().isAfter(move.sourceTime())), "employee 7 acted after the move");
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      producer.send(new ProducerRecord<>(employeesTopic, "7".getBytes(StandardCharsets.UTF_8),
          JsonCodec.of(EmployeeChange.class, EmployeeChange.SCHEMA_VERSION).encode(move))).get();
    }
    runOnce("ingest", "ingest-move");
    BatchLayerProcess afterMove = new BatchLayerProcess(dir, "views-3", config, "run-once", "views");
    assertEquals(0, afterMove.runToEnd(300), afterMove.logTail());
    assertTrue(afterMove.logText().contains("dates=1 "), "only the move's date is recomputed:\n" + afterMove.logTail());
    assertViewsEqualReference();

    // Department history: every department's state since before DAY0 arrives (the first states reach
    // every date, and the names stay those the employees carry), then department 3 is renamed on day 1
    // at 12:00: its activities before the rename keep the old name, later ones take the new one, and
    // only the rename's day and the next are recomputed.
    List<DepartmentChange> first = new ArrayList<>();
    for (int d = 0; d < 5; d++) {
      first.add(scenario.department(d, BatchScenario.dept(d), BatchScenario.DAY0.minusSeconds(86_400 * 10)));
    }
    sendDepartments(first);
    runOnce("ingest", "ingest-departments");
    BatchLayerProcess withDepartments = new BatchLayerProcess(dir, "views-4", config, "run-once", "views");
    assertEquals(0, withDepartments.runToEnd(300), withDepartments.logTail());
    assertTrue(withDepartments.logText().contains("dates=3 "), "every date:\n" + withDepartments.logTail());
    assertViewsEqualReference();

    Instant rename = BatchScenario.DAY0.plusSeconds(86_400 + 12 * 3_600);
    sendDepartments(List.of(scenario.department(3, "dept-3 (renamed)", rename)));
    String renameDay = LocalDate.ofInstant(rename, ZoneOffset.UTC).toString();
    assertTrue(scenario.hourlyReference().keySet().stream().anyMatch(k -> k.startsWith("dept-3 (renamed)|"))
        && scenario.hourlyReference().keySet().stream().anyMatch(k -> k.startsWith("dept-3|") && k.contains(renameDay)),
        "department 3 has activity on the rename's day both before and after it");
    runOnce("ingest", "ingest-rename");
    BatchLayerProcess afterRename = new BatchLayerProcess(dir, "views-5", config, "run-once", "views");
    assertEquals(0, afterRename.runToEnd(300), afterRename.logTail());
    assertTrue(afterRename.logText().contains("dates=2 "),
        "the rename's day and the next are recomputed:\n" + afterRename.logTail());
    assertViewsEqualReference();
  }

  private void sendDepartments(List<DepartmentChange> states) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (DepartmentChange d : states) {
        producer.send(new ProducerRecord<>(departmentsTopic, Long.toString(d.departmentId())
            .getBytes(StandardCharsets.UTF_8), d.toJson())).get();
      }
    }
  }

  private void assertViewsEqualReference() {
    Map<String, long[]> reference = scenario.hourlyReference();
    Map<String, String> actualHourly = new TreeMap<>();
    for (GenericRecord r : new HudiTable(Tables.HOURLY_ACTIVITY_AGG, hudi).readAll()) {
      actualHourly.put(r.get("window_key").toString(), r.get("event_count") + "/" + r.get("unique_employees") + "/"
          + r.get("total_duration_seconds") + "/" + r.get("first_event_time_ms") + "/" + r.get("last_event_time_ms"));
    }
    Map<String, String> expectedHourly = new TreeMap<>();
    reference.forEach((k, v) -> expectedHourly.put(k, v[0] + "/" + v[1] + "/" + v[2] + "/" + v[3] + "/" + v[4]));
    assertEquals(expectedHourly, actualHourly);
    assertTrue(expectedHourly.keySet().stream().anyMatch(k -> k.startsWith("unknown|")), "unknown employees counted");
    assertTrue(expectedHourly.keySet().stream().anyMatch(k -> k.startsWith("unassigned|")), "no-department counted");

    Map<String, String> actualDaily = new TreeMap<>();
    for (GenericRecord r : new HudiTable(Tables.DAILY_DEVICE_AGG, hudi).readAll()) {
      actualDaily.put(r.get("window_key").toString(), r.get("event_count") + "/" + r.get("unique_employees") + "/"
          + r.get("counts_by_activity_type_json").toString().replace("\"", "").replace(":", "="));
    }
    Map<String, String> expectedDaily = new TreeMap<>();
    scenario.dailyReference().forEach((k, v) -> expectedDaily.put(k, v.replace(" ", "")));
    assertEquals(expectedDaily, actualDaily);
  }

  @Test
  @Order(3)
  void hiveMetastoreListsTablesPartitionsViewsAndANewColumn(LocalStack stack) throws Exception {
    runOnce("hive-sync", "hive-sync-1");
    Configuration conf = new Configuration();
    MetastoreConf.setVar(conf, MetastoreConf.ConfVars.THRIFT_URIS, props.get("hive.metastore.uris"));
    IMetaStoreClient client = new HiveMetaStoreClient(conf);
    try {
      assertEquals(Set.of("employee_changes", "employees", "department_changes", "employee_activity",
          "hourly_activity_agg", "daily_device_agg", "enriched_activity", "hourly_activity"),
          new HashSet<>(client.getAllTables(run)));
      assertEquals(new HudiTable(Tables.EMPLOYEE_ACTIVITY, hudi).partitions(),
          client.listPartitionNames(run, "employee_activity", (short) -1).stream().sorted().toList());
      assertEquals("VIRTUAL_VIEW", client.getTable(run, "enriched_activity").getTableType());
      assertEquals("org.apache.hudi.hadoop.HoodieParquetInputFormat",
          client.getTable(run, "employee_activity").getSd().getInputFormat());

      // ALTER TABLE employees ADD COLUMN desk in PostgreSQL: the change arrives with extra_columns.
      EmployeeChange withDesk = scenario.change(ChangeOp.UPDATE, 3, 2L, BatchScenario.DAY0.plusSeconds(3 * 86_400),
          Map.of("desk", "B-12"));
      scenario.changes.add(withDesk);
      try (KafkaProducer<byte[], byte[]> producer = producer()) {
        producer.send(new ProducerRecord<>(employeesTopic, "3".getBytes(StandardCharsets.UTF_8),
            JsonCodec.of(EmployeeChange.class, EmployeeChange.SCHEMA_VERSION).encode(withDesk)));
      }
      runOnce("ingest", "ingest-desk");
      runOnce("hive-sync", "hive-sync-2");
      for (String table : List.of("employees", "employee_changes")) {
        List<String> columns = client.getTable(run, table).getSd().getCols().stream().map(FieldSchema::getName).toList();
        assertEquals("desk", columns.get(columns.size() - 1), table + " columns: " + columns);
      }
      GenericRecord three = new HudiTable(Tables.EMPLOYEES, hudi).readAll().stream()
          .filter(r -> (Long) r.get("employee_id") == 3L).findFirst().orElseThrow();
      assertEquals("B-12", three.get("desk").toString());
    } finally {
      client.close();
    }
  }

  @Test
  @Order(4)
  void analystQueriesAndTheDdlScriptGiveTheReferenceNumbersThroughHiveServer2() throws Exception {
    Map<String, EnrichedActivity> activities = scenario.distinctActivities();
    Map<String, List<String>> expected = new HashMap<>();
    Map<String, Long> byDeptDay = new TreeMap<>();
    scenario.hourlyReference().forEach((k, v) -> {
      String[] parts = k.split("\\|");
      byDeptDay.merge(parts[0] + "\t" + parts[2].substring(0, 10), v[0], Long::sum);
    });
    expected.put("events_per_department_per_day", byDeptDay.entrySet().stream().map(e -> e.getKey() + "\t" + e.getValue()).toList());
    expected.put("device_usage_per_day", scenario.dailyReference().entrySet().stream().map(e -> {
      String[] v = e.getValue().split("/");
      return e.getKey().replace("|", "\t") + "\t" + v[0] + "\t" + v[1];
    }).toList());
    Map<Long, Long> perEmployee = new TreeMap<>();
    activities.values().forEach(e -> perEmployee.merge(e.activity().employeeId(), 1L, Long::sum));
    Map<Long, EmployeeChange> current = new HashMap<>(scenario.currentEmployees());
    current.remove(compactedAway);
    expected.put("most_active_employees", perEmployee.entrySet().stream()
        .sorted((a, b) -> a.getValue().equals(b.getValue()) ? Long.compare(a.getKey(), b.getKey())
            : Long.compare(b.getValue(), a.getValue()))
        .limit(10).map(e -> e.getKey() + "\t" + e.getValue() + "\t"
            + (current.containsKey(e.getKey()) ? current.get(e.getKey()).departmentName() : null)).toList());
    Map<String, long[]> perDay = new TreeMap<>();
    Map<String, Set<Long>> employeesPerDay = new HashMap<>();
    activities.values().forEach(e -> {
      String day = e.activity().eventTime().toString().substring(0, 10);
      perDay.computeIfAbsent(day, d -> new long[1])[0]++;
      employeesPerDay.computeIfAbsent(day, d -> new HashSet<>()).add(e.activity().employeeId());
    });
    expected.put("activities_per_day", perDay.entrySet().stream()
        .map(e -> e.getKey() + "\t" + e.getValue()[0] + "\t" + employeesPerDay.get(e.getKey()).size()).toList());

    Map<String, String> queries = HiveScripts.namedQueries(HiveScripts.read("analyst_queries.sql"));
    assertEquals(expected.keySet(), queries.keySet(), "every example query is checked");
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(props.get("hive.jdbc.url"), "it", "");
         java.sql.Statement st = c.createStatement()) {
      for (var q : queries.entrySet()) {
        assertEquals(expected.get(q.getKey()), HiveScripts.rows(st, q.getValue().replace("${hivevar:db}", run)),
            "query " + q.getKey());
      }

      // The DDL script analysts run themselves, into a database of their own, over the same files.
      String ddlDb = run + "_ddl";
      for (String statement : HiveScripts.statements(HiveScripts.read("create_tables.sql"))) {
        st.execute(statement.replace("${hivevar:db}", ddlDb).replace("${hivevar:lakehouse}", config.get("lakehouse.path")));
      }
      assertEquals(List.of(String.valueOf(activities.size())),
          HiveScripts.rows(st, "SELECT COUNT(*) FROM " + ddlDb + ".enriched_activity"));
      assertEquals(List.of(String.valueOf(activities.size())),
          HiveScripts.rows(st, "SELECT SUM(event_count) FROM " + ddlDb + ".hourly_activity"));
      assertEquals(List.of(String.valueOf(current.size())), HiveScripts.rows(st, "SELECT COUNT(*) FROM " + ddlDb + ".employees"));
    }

    // The same script through the command analysts get with the box (java -jar local-stack.jar hive).
    Map<String, String> headers = Map.of("events_per_department_per_day", "department\tevent_date\tevents",
        "device_usage_per_day", "device_type\tevent_date\tevent_count\tunique_employees",
        "most_active_employees", "employee_id\tevents\tcurrent_department",
        "activities_per_day", "event_date\tactivities\temployees");
    List<String> want = new java.util.ArrayList<>();
    for (String name : queries.keySet()) {
      want.add(headers.get(name));
      expected.get(name).forEach(row -> want.add(java.util.Arrays.stream(row.split("\t", -1))
          .map(v -> v.equals("null") ? "NULL" : v).collect(java.util.stream.Collectors.joining("\t"))));
    }
    HiveCli script = HiveCli.run(dir, null, "-u", props.get("hive.jdbc.url"), "--hivevar", "db=" + run,
        "-f", Path.of("..", "hive-scripts", "analyst_queries.sql").toString(), "--output", "tsv");
    assertEquals(0, script.exit(), script.stderr());
    assertEquals(want, script.stdout().lines().toList(), "analyst_queries.sql through the hive command");

    HiveCli prompt = HiveCli.run(dir, "SELECT COUNT(*) AS n\n  FROM ${db}.employee_activity;\nquit;\n",
        "-u", props.get("hive.jdbc.url"), "--hivevar", "db=" + run);
    assertEquals(0, prompt.exit(), prompt.stderr());
    String n = String.valueOf(activities.size());
    assertEquals(List.of("+-" + "-".repeat(n.length()) + "-+", "| n" + " ".repeat(n.length() - 1) + " |",
        "+-" + "-".repeat(n.length()) + "-+", "| " + n + " |", "+-" + "-".repeat(n.length()) + "-+"),
        prompt.stdout().lines().toList(), "a statement typed at the prompt, as a table");

    HiveCli failing = HiveCli.run(dir, null, "-u", props.get("hive.jdbc.url"), "-e",
        "SELECT COUNT(*) FROM " + run + ".no_such_table; SELECT 1");
    assertEquals(1, failing.exit(), failing.stderr());
    assertTrue(failing.stderr().lines().anyMatch(l -> l.startsWith("error: ") && l.contains("no_such_table")),
        failing.stderr());
    assertTrue(failing.stdout().isEmpty(), "nothing after the failing statement runs: " + failing.stdout());
    assertTrue(failing.stderr().lines().noneMatch(l -> l.startsWith("\tat ")), "no stack trace: " + failing.stderr());
  }

  @Test
  @Order(5)
  void twoSchedulerNodesRunEachTriggerOnceAndOneCarriesOnAfterTheOtherIsKilled() throws Exception {
    Map<String, String> node = new HashMap<>(config);
    node.put("job.ingest.cron", "*/3 * * * * ?");
    node.put("job.views.cron", "off");
    node.put("job.cluster.cron", "off");
    node.put("job.hive-sync.cron", "off");
    node.put("quartz.cluster-checkin-interval", "1s");
    node.put("quartz.instance-id", "node-a");
    BatchLayerProcess a = new BatchLayerProcess(dir, "node-a", node, "run").start();
    node.put("quartz.instance-id", "node-b");
    BatchLayerProcess b = new BatchLayerProcess(dir, "node-b", node, "run").start();
    try {
      try (KafkaProducer<byte[], byte[]> producer = producer()) {
        sendActivities(producer, scenario.activities(3_000, 1, 1, EMPLOYEES, "n1-"));
      }
      awaitActivities(Duration.ofMinutes(2), a, b);
      // Kill the node that has been running the jobs (Quartz does not balance; often one node takes all).
      boolean aBusier = starts(a) >= starts(b);
      BatchLayerProcess victim = aBusier ? a : b;
      BatchLayerProcess survivor = aBusier ? b : a;
      victim.kill();
      try (KafkaProducer<byte[], byte[]> producer = producer()) {
        sendActivities(producer, scenario.activities(1_000, 1, 1, EMPLOYEES, "n2-"));
      }
      awaitActivities(Duration.ofMinutes(2), a, b);
      assertTrue(survivor.logText().contains("employee_activity=1000 "),
          "the surviving node ingested what came after the kill:\n" + survivor.logTail());

      // Each trigger fired on one node only: no scheduled fire time started twice (recoveries aside).
      List<String> fires = new java.util.ArrayList<>();
      java.util.regex.Matcher m = java.util.regex.Pattern.compile(
          "event=job_started job=ingest scheduled_fire_time=(\\S+) recovering=false").matcher(a.logText() + b.logText());
      while (m.find()) {
        fires.add(m.group(1));
      }
      assertTrue(fires.size() >= 4, "fires: " + fires);
      assertEquals(new HashSet<>(fires).size(), fires.size(), "a trigger ran twice: " + fires);
      assertTrue(starts(victim) > 0, "the killed node had been running jobs");

      int exit = survivor.stop(60);
      // 143 = terminated by SIGTERM after the shutdown hook ran: the JVM's normal exit code for it.
      assertTrue(exit == 0 || exit == 143, "SIGTERM stops the node cleanly (exit " + exit + "):\n" + survivor.logTail());
      assertTrue(survivor.logText().contains("event=stopped process=batch-layer"), survivor.logTail());
    } finally {
      a.close();
      b.close();
    }
  }

  private static int starts(BatchLayerProcess node) {
    return node.logText().split("event=job_started job=ingest", -1).length - 1;
  }

  private void awaitActivities(Duration limit, BatchLayerProcess... nodes) throws Exception {
    HudiTable activity = new HudiTable(Tables.EMPLOYEE_ACTIVITY, hudi);
    Set<String> expected = scenario.distinctActivities().keySet();
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      Set<String> ids = new HashSet<>();
      List<GenericRecord> rows = activity.readAll();
      rows.forEach(r -> ids.add(r.get("activity_id").toString()));
      if (ids.equals(expected)) {
        assertEquals(expected.size(), rows.size(), "no duplicates");
        return;
      }
      if (System.nanoTime() > deadline) {
        StringBuilder logs = new StringBuilder();
        for (BatchLayerProcess n : nodes) {
          logs.append(n.logTail()).append("\n----\n");
        }
        throw new AssertionError(ids.size() + " of " + expected.size() + " activities after " + limit + ":\n" + logs);
      }
      Thread.sleep(3000);
    }
  }

  /** The reasons of the dead letters by source topic, once {@code atLeast} were read (or after 20 s). */
  private Map<String, List<String>> deadLetterReasons(int atLeast) {
    Map<String, List<String>> out = new TreeMap<>();
    int read = 0;
    Map<String, Object> c = Map.of("bootstrap.servers", props.get("kafka.bootstrap.servers"),
        "auto.offset.reset", "earliest", "group.id", run + "-dlq-reader");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(dlqTopic));
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (read < atLeast && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          assertEquals("batch-ingest", new String(r.headers().lastHeader(Topics.DlqHeaders.STAGE).value(),
              StandardCharsets.UTF_8));
          out.computeIfAbsent(new String(r.headers().lastHeader(Topics.DlqHeaders.SOURCE_TOPIC).value(),
              StandardCharsets.UTF_8), k -> new ArrayList<>()).add(new String(r.headers().lastHeader(
              Topics.DlqHeaders.REASON).value(), StandardCharsets.UTF_8));
          read++;
        }
      }
    }
    return out;
  }

  private KafkaProducer<byte[], byte[]> producer() {
    return new KafkaProducer<>(Map.of("bootstrap.servers", props.get("kafka.bootstrap.servers"), "linger.ms", 20),
        new ByteArraySerializer(), new ByteArraySerializer());
  }

  private void sendActivities(KafkaProducer<byte[], byte[]> producer, List<EnrichedActivity> activities) {
    JsonCodec<EnrichedActivity> codec = JsonCodec.of(EnrichedActivity.class, EnrichedActivity.SCHEMA_VERSION);
    for (EnrichedActivity e : activities) {
      producer.send(new ProducerRecord<>(activitiesTopic,
          Long.toString(e.activity().employeeId()).getBytes(StandardCharsets.UTF_8), codec.encode(e)));
    }
    producer.flush();
  }

  private static String str(Object o) {
    return o == null ? null : o.toString();
  }
}
