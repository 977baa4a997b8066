package org.activitypipeline.batch.hive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.activitypipeline.localstack.LocalStack;
import org.activitypipeline.localstack.ServerKind;
import org.activitypipeline.localstack.junit.WithLocalStack;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.IMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.Database;
import org.apache.hadoop.hive.metastore.api.EnvironmentContext;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.SerDeInfo;
import org.apache.hadoop.hive.metastore.api.StorageDescriptor;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.hadoop.hive.metastore.conf.MetastoreConf;
import org.apache.hudi.client.HoodieJavaWriteClient;
import org.apache.hudi.client.WriteStatus;
import org.apache.hudi.client.common.HoodieJavaEngineContext;
import org.apache.hudi.common.config.HoodieMetadataConfig;
import org.apache.hudi.common.config.RecordMergeMode;
import org.apache.hudi.common.config.TypedProperties;
import org.apache.hudi.common.model.DefaultHoodieRecordPayload;
import org.apache.hudi.common.model.HoodieAvroRecord;
import org.apache.hudi.common.model.HoodieKey;
import org.apache.hudi.common.model.HoodieRecord;
import org.apache.hudi.common.model.HoodieTableType;
import org.apache.hudi.common.table.HoodieTableMetaClient;
import org.apache.hudi.common.table.HoodieTableVersion;
import org.apache.hudi.common.util.Option;
import org.apache.hudi.config.HoodieIndexConfig;
import org.apache.hudi.config.HoodieWriteConfig;
import org.apache.hudi.hadoop.fs.HadoopFSUtils;
import org.apache.hudi.index.HoodieIndex;
import org.apache.hudi.keygen.SimpleAvroKeyGenerator;
import org.apache.hudi.storage.StorageConfiguration;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Hudi COPY_ON_WRITE table written by hudi-java-client 1.2.1 (table version 8), registered in
 * the Hive Metastore through its Thrift client, queried through HiveServer2 4.0.1 (hudi-hadoop-mr
 * 1.0.2 on its classpath): analysts must see only the latest version of each record, without
 * deleted ones, also after a column was added. The JDBC session sets nothing: the server config
 * must be enough.
 */
@WithLocalStack({ServerKind.HDFS, ServerKind.HIVE_METASTORE, ServerKind.HIVESERVER2})
class HudiHiveReadIT {
  private static final Logger LOG = LoggerFactory.getLogger(HudiHiveReadIT.class);
  private static final String TABLE = "activity";
  private static final String D1 = "2026-11-24";
  private static final String D2 = "2026-11-25";
  private static final String D3 = "2026-11-26";
  private static final String D4 = "2026-11-27";

  private static final Schema V1 = SchemaBuilder.record("activity").namespace("org.activitypipeline").fields()
      .requiredString("activity_id")
      .requiredLong("employee_id")
      .requiredString("activity_type")
      .requiredInt("duration_seconds")
      .requiredLong("event_time_ms")
      .requiredLong("processed_at_ms")
      .optionalString("department_name")
      .requiredString("event_date")
      .endRecord();
  /** V1 plus a nullable column at the end (a backward-compatible evolution). */
  private static final Schema V2 = SchemaBuilder.record("activity").namespace("org.activitypipeline").fields()
      .requiredString("activity_id")
      .requiredLong("employee_id")
      .requiredString("activity_type")
      .requiredInt("duration_seconds")
      .requiredLong("event_time_ms")
      .requiredLong("processed_at_ms")
      .optionalString("department_name")
      .requiredString("event_date")
      .optionalString("channel")
      .endRecord();

  /** What a correct reader must return: the newest version (by processed_at_ms) of every live key. */
  private final Map<String, Row> expected = new TreeMap<>();

  record Row(String id, long employee, String type, int duration, long eventTime, long processedAt,
      String department, String date, String channel) {
  }

  @Test
  void hiveServer2SeesLatestVersionsOfHudiTableIncludingAfterAddedColumn(LocalStack stack) throws Exception {
    Map<String, String> props = stack.connectionProperties();
    String hdfs = props.get("hdfs.uri");
    String db = "hudi_it_" + System.nanoTime();
    String basePath = hdfs + "/it/hudi/" + db + "/" + TABLE;
    Configuration hadoop = new Configuration();
    hadoop.set("dfs.replication", "1");
    StorageConfiguration<Configuration> storage = HadoopFSUtils.getStorageConfWithCopy(hadoop);

    createTable(storage, basePath);
    try (FileSystem fs = FileSystem.newInstance(new Path(basePath).toUri(), hadoop);
        InputStream in = fs.open(new Path(basePath + "/.hoodie/hoodie.properties"))) {
      LOG.info("hoodie.properties:\n{}", new String(in.readAllBytes()));
    }

    // commit 1: 40 inserts in two partitions
    List<Row> c1 = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      c1.add(new Row(id(i), 1000 + i % 9, i % 3 == 0 ? "login" : "email", 60 + i, 1_000_000L + i, 2_000_000L,
          i % 7 == 0 ? null : "dept-" + i % 4, i < 25 ? D1 : D2, null));
    }
    // commit 2: 10 updates (later processed_at) and 10 inserts into a third partition
    List<Row> c2 = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Row old = find(c1, i);
      c2.add(new Row(old.id, old.employee, old.type, old.duration + 1000, old.eventTime, 3_000_000L,
          "dept-updated", old.date, null));
    }
    for (int i = 40; i < 50; i++) {
      c2.add(new Row(id(i), 2000 + i, "meeting", 30 * i, 1_100_000L + i, 3_000_000L, null, D3, null));
    }
    // commit 3: 5 stale updates (older processed_at: must lose) and 5 newer updates
    List<Row> c3 = new ArrayList<>();
    for (int i = 10; i < 20; i++) {
      Row old = find(c1, i);
      long processedAt = i < 15 ? 1_500_000L : 4_000_000L;
      c3.add(new Row(old.id, old.employee, old.type, old.duration + 7000, old.eventTime, processedAt,
          "dept-c3", old.date, null));
    }
    List<String> deleted = List.of(id(20), id(21), id(22), id(23), id(24), id(45));

    try (HoodieJavaWriteClient<DefaultHoodieRecordPayload> client = writeClient(storage, basePath, V1)) {
      upsert(client, V1, c1, "c1");
      upsert(client, V1, c2, "c2");
      upsert(client, V1, c3, "c3");
      // commit 4: deletes by key
      long t0 = System.nanoTime();
      String instant = client.startCommit();
      // a mutable list: JavaDeleteHelper.deduplicateKeys clears it (UnsupportedOperationException on List.of)
      List<HoodieKey> keys = new ArrayList<>(deleted.stream()
          .map(k -> new HoodieKey(k, "event_date=" + expected.get(k).date)).toList());
      List<WriteStatus> statuses = client.delete(keys, instant);
      assertTrue(client.commit(instant, statuses, Option.of(Map.of("it.batch", "c4-delete"))));
      deleted.forEach(expected::remove);
      LOG.info("commit c4 (delete {}) instant={} took {} ms", keys.size(), instant, (System.nanoTime() - t0) / 1_000_000);
    }
    assertEquals(44, expected.size());

    Configuration msConf = new Configuration();
    MetastoreConf.setVar(msConf, MetastoreConf.ConfVars.THRIFT_URIS, props.get("hive.metastore.uris"));
    IMetaStoreClient metastore = new HiveMetaStoreClient(msConf);
    try (Connection c = DriverManager.getConnection(props.get("hive.jdbc.url"), "it", "");
        Statement st = c.createStatement()) {
      metastore.createDatabase(new Database(db, "Hudi read IT", hdfs + "/it/warehouse/" + db, new HashMap<>()));
      Table table = hudiTable(db, basePath, V1);
      metastore.createTable(table);
      table = metastore.getTable(db, TABLE);
      metastore.add_partitions(new ArrayList<>(List.of(partition(table, D1), partition(table, D2),
          partition(table, D3))));

      String t = db + "." + TABLE;
      assertEquals(List.of(List.of(String.valueOf(expected.size()))), query(st, "SELECT count(*) FROM " + t));
      assertEquals(List.of(List.of(String.valueOf(expected.size()))),
          query(st, "SELECT count(DISTINCT activity_id) FROM " + t));
      assertEquals(perDate(), query(st, "SELECT event_date, count(*), sum(duration_seconds) FROM " + t
          + " GROUP BY event_date ORDER BY event_date"));
      assertEquals(rows(r -> r.date.equals(D1), false), query(st,
          "SELECT activity_id, employee_id, activity_type, duration_seconds, event_time_ms, processed_at_ms,"
              + " department_name, event_date FROM " + t + " WHERE event_date = '" + D1 + "' ORDER BY activity_id"));
      assertEquals(List.of(List.of(String.valueOf(expected.values().stream()
              .filter(r -> r.date.equals(D2) && "email".equals(r.type)).count()))),
          query(st, "SELECT count(*) FROM " + t + " WHERE event_date = '" + D2 + "' AND activity_type = 'email'"));
      // the Hudi meta columns are readable too (backquoted: they start with an underscore)
      assertEquals(List.of(List.of(id(0), "event_date=" + D1)), query(st,
          "SELECT `_hoodie_record_key`, `_hoodie_partition_path` FROM " + t + " WHERE activity_id = '" + id(0) + "'"));

      // commit 5: a new nullable column; updates of old keys and inserts into a new partition
      List<Row> c5 = new ArrayList<>();
      for (int i = 30; i < 35; i++) {
        Row old = expected.get(id(i));
        c5.add(new Row(old.id, old.employee, old.type, old.duration + 500, old.eventTime, 5_000_000L,
            old.department, old.date, "web"));
      }
      for (int i = 50; i < 55; i++) {
        c5.add(new Row(id(i), 3000 + i, "call", 10 * i, 1_200_000L + i, 5_000_000L, "dept-5", D4, "phone"));
      }
      try (HoodieJavaWriteClient<DefaultHoodieRecordPayload> client = writeClient(storage, basePath, V2)) {
        upsert(client, V2, c5, "c5-new-column");
      }
      Table evolved = metastore.getTable(db, TABLE);
      evolved.getSd().getCols().add(new FieldSchema("channel", "string", null));
      EnvironmentContext cascade = new EnvironmentContext(new HashMap<>(Map.of("CASCADE", "true")));
      metastore.alter_table_with_environmentContext(db, TABLE, evolved, cascade);
      metastore.add_partitions(new ArrayList<>(List.of(partition(metastore.getTable(db, TABLE), D4))));

      assertEquals(List.of(List.of(String.valueOf(expected.size()))), query(st, "SELECT count(*) FROM " + t));
      assertEquals(perDate(), query(st, "SELECT event_date, count(*), sum(duration_seconds) FROM " + t
          + " GROUP BY event_date ORDER BY event_date"));
      assertEquals(rows(r -> true, true), query(st,
          "SELECT activity_id, employee_id, activity_type, duration_seconds, event_time_ms, processed_at_ms,"
              + " department_name, event_date, channel FROM " + t + " ORDER BY activity_id"));
      assertEquals(List.of(List.of("NULL", String.valueOf(expected.size() - 10)), List.of("phone", "5"),
          List.of("web", "5")), query(st, "SELECT coalesce(channel, 'NULL') AS ch, count(*) FROM " + t
              + " GROUP BY coalesce(channel, 'NULL') ORDER BY ch"));
    } finally {
      try {
        metastore.dropDatabase(db, false, true, true);
      } finally {
        metastore.close();
      }
    }
  }

  private static String id(int i) {
    return String.format("a-%03d", i);
  }

  private static Row find(List<Row> rows, int i) {
    return rows.stream().filter(r -> r.id.equals(id(i))).findFirst().orElseThrow();
  }

  /** Table version 8: the newest that hudi-hadoop-mr 1.0.2 (HiveServer2's reader) understands. */
  private static void createTable(StorageConfiguration<Configuration> storage, String basePath) throws Exception {
    HoodieTableMetaClient.newTableBuilder()
        .setTableType(HoodieTableType.COPY_ON_WRITE)
        .setTableName(TABLE)
        .setTableVersion(HoodieTableVersion.EIGHT)
        .setRecordKeyFields("activity_id")
        .setPartitionFields("event_date")
        .setHiveStylePartitioningEnable(true)
        .setKeyGeneratorClassProp("org.apache.hudi.keygen.SimpleKeyGenerator")
        .setOrderingFields("processed_at_ms")
        .setRecordMergeMode(RecordMergeMode.EVENT_TIME_ORDERING)
        .setPayloadClassName(DefaultHoodieRecordPayload.class.getName())
        .setBaseFileFormat("PARQUET")
        .setPopulateMetaFields(true)
        .initTable(storage, basePath);
  }

  static HoodieWriteConfig writeConfig(String basePath, Schema schema) {
    Map<String, String> p = new HashMap<>();
    p.put("hoodie.datasource.write.recordkey.field", "activity_id");
    p.put("hoodie.datasource.write.partitionpath.field", "event_date");
    p.put("hoodie.datasource.write.hive_style_partitioning", "true");
    p.put("hoodie.datasource.write.keygenerator.type", "SIMPLE");
    p.put("hoodie.datasource.write.precombine.field", "processed_at_ms");
    p.put("hoodie.table.ordering.fields", "processed_at_ms");
    p.put("hoodie.datasource.write.payload.class", DefaultHoodieRecordPayload.class.getName());
    return HoodieWriteConfig.newBuilder()
        .withPath(basePath)
        .forTable(TABLE)
        .withSchema(schema.toString())
        .withWriteTableVersion(HoodieTableVersion.EIGHT.versionCode())
        .withAutoUpgradeVersion(false)
        .withRecordMergeMode(RecordMergeMode.EVENT_TIME_ORDERING)
        .withEmbeddedTimelineServerEnabled(false)
        .withMarkersType("DIRECT")
        .withMetadataConfig(HoodieMetadataConfig.newBuilder().enable(false).build())
        .withIndexConfig(HoodieIndexConfig.newBuilder().withIndexType(HoodieIndex.IndexType.SIMPLE).build())
        .withParallelism(2, 2)
        .withProps(p)
        .build();
  }

  private static HoodieJavaWriteClient<DefaultHoodieRecordPayload> writeClient(
      StorageConfiguration<Configuration> storage, String basePath, Schema schema) {
    return new HoodieJavaWriteClient<>(new HoodieJavaEngineContext(storage), writeConfig(basePath, schema));
  }

  private void upsert(HoodieJavaWriteClient<DefaultHoodieRecordPayload> client, Schema schema, List<Row> rows,
      String batch) {
    long t0 = System.nanoTime();
    TypedProperties keyProps = new TypedProperties();
    keyProps.setProperty("hoodie.datasource.write.recordkey.field", "activity_id");
    keyProps.setProperty("hoodie.datasource.write.partitionpath.field", "event_date");
    keyProps.setProperty("hoodie.datasource.write.hive_style_partitioning", "true");
    SimpleAvroKeyGenerator keys = new SimpleAvroKeyGenerator(keyProps);
    List<HoodieRecord<DefaultHoodieRecordPayload>> records = new ArrayList<>();
    for (Row r : rows) {
      GenericRecord g = new GenericData.Record(schema);
      g.put("activity_id", r.id);
      g.put("employee_id", r.employee);
      g.put("activity_type", r.type);
      g.put("duration_seconds", r.duration);
      g.put("event_time_ms", r.eventTime);
      g.put("processed_at_ms", r.processedAt);
      g.put("department_name", r.department);
      g.put("event_date", r.date);
      if (schema.getField("channel") != null) {
        g.put("channel", r.channel);
      }
      records.add(new HoodieAvroRecord<>(keys.getKey(g), new DefaultHoodieRecordPayload(g, r.processedAt)));
    }
    String instant = client.startCommit();
    List<WriteStatus> statuses = client.upsert(records, instant);
    assertTrue(client.commit(instant, statuses, Option.of(Map.of("it.batch", batch))));
    for (Row r : rows) {
      Row current = expected.get(r.id);
      if (current == null || current.processedAt <= r.processedAt) {
        expected.put(r.id, r);
      }
    }
    LOG.info("commit {} ({} records) instant={} took {} ms", batch, rows.size(), instant,
        (System.nanoTime() - t0) / 1_000_000);
  }

  private List<List<String>> perDate() {
    Map<String, long[]> agg = new TreeMap<>();
    for (Row r : expected.values()) {
      long[] a = agg.computeIfAbsent(r.date, d -> new long[2]);
      a[0]++;
      a[1] += r.duration;
    }
    List<List<String>> out = new ArrayList<>();
    agg.forEach((d, a) -> out.add(List.of(d, String.valueOf(a[0]), String.valueOf(a[1]))));
    return out;
  }

  private List<List<String>> rows(Predicate<Row> filter, boolean withChannel) {
    List<List<String>> out = new ArrayList<>();
    for (Row r : expected.values()) {
      if (filter.test(r)) {
        List<String> row = new ArrayList<>(List.of(r.id, String.valueOf(r.employee), r.type,
            String.valueOf(r.duration), String.valueOf(r.eventTime), String.valueOf(r.processedAt),
            Objects.toString(r.department), r.date));
        if (withChannel) {
          row.add(Objects.toString(r.channel));
        }
        out.add(row);
      }
    }
    return out;
  }

  private static List<List<String>> query(Statement st, String sql) throws Exception {
    long t0 = System.nanoTime();
    List<List<String>> out = new ArrayList<>();
    try (ResultSet rs = st.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        List<String> row = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          row.add(Objects.toString(rs.getObject(i)));
        }
        out.add(row);
      }
    }
    LOG.info("query took {} ms, {} rows: {}", (System.nanoTime() - t0) / 1_000_000, out.size(), sql);
    return out;
  }

  /** As Hudi's hive-sync registers a COPY_ON_WRITE table: meta columns first, partition column not in the data columns. */
  private static Table hudiTable(String db, String basePath, Schema schema) {
    List<FieldSchema> cols = new ArrayList<>();
    for (String meta : List.of("_hoodie_commit_time", "_hoodie_commit_seqno", "_hoodie_record_key",
        "_hoodie_partition_path", "_hoodie_file_name")) {
      cols.add(new FieldSchema(meta, "string", null));
    }
    cols.add(new FieldSchema("activity_id", "string", null));
    cols.add(new FieldSchema("employee_id", "bigint", null));
    cols.add(new FieldSchema("activity_type", "string", null));
    cols.add(new FieldSchema("duration_seconds", "int", null));
    cols.add(new FieldSchema("event_time_ms", "bigint", null));
    cols.add(new FieldSchema("processed_at_ms", "bigint", null));
    cols.add(new FieldSchema("department_name", "string", null));
    StorageDescriptor sd = new StorageDescriptor();
    sd.setCols(cols);
    sd.setLocation(basePath);
    sd.setInputFormat("org.apache.hudi.hadoop.HoodieParquetInputFormat");
    sd.setOutputFormat("org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat");
    sd.setSerdeInfo(new SerDeInfo(TABLE, "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
        new HashMap<>(Map.of("serialization.format", "1"))));
    Table t = new Table();
    t.setDbName(db);
    t.setTableName(TABLE);
    t.setTableType("EXTERNAL_TABLE");
    t.setParameters(new HashMap<>(Map.of("EXTERNAL", "TRUE")));
    t.setPartitionKeys(new ArrayList<>(List.of(new FieldSchema("event_date", "string", null))));
    t.setSd(sd);
    return t;
  }

  private static Partition partition(Table table, String date) {
    StorageDescriptor sd = new StorageDescriptor(table.getSd());
    sd.setLocation(table.getSd().getLocation() + "/event_date=" + date);
    Partition p = new Partition();
    p.setDbName(table.getDbName());
    p.setTableName(table.getTableName());
    p.setValues(new ArrayList<>(List.of(date)));
    p.setSd(sd);
    p.setParameters(new HashMap<>());
    return p;
  }
}
