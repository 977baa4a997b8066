package org.activitypipeline.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.SerDeInfo;
import org.apache.hadoop.hive.metastore.api.StorageDescriptor;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.hadoop.hive.metastore.conf.MetastoreConf;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.junit.jupiter.api.Test;

/**
 * The metastore through its Thrift client, then HiveServer2 over JDBC counting rows of a parquet
 * file in a partition of the table the client registered: the path analysts use.
 */
@WithLocalStack({ServerKind.HDFS, ServerKind.HIVE_METASTORE, ServerKind.HIVESERVER2})
class HiveIT {
  private static final Schema ROW = SchemaBuilder.record("activity").fields()
      .requiredLong("employee_id").requiredString("activity_type").endRecord();

  @Test
  void metastoreTableWithParquetPartitionIsQueryableThroughHiveServer2(LocalStack stack) throws Exception {
    Map<String, String> props = stack.connectionProperties();
    String hdfs = props.get("hdfs.uri");
    String db = "it_db_" + System.nanoTime();
    String location = hdfs + "/it/warehouse/" + db + "/activity";
    Configuration conf = new Configuration();
    MetastoreConf.setVar(conf, MetastoreConf.ConfVars.THRIFT_URIS, props.get("hive.metastore.uris"));

    IMetaStoreClient client = new HiveMetaStoreClient(conf);
    try {
      client.createDatabase(new Database(db, "integration test", hdfs + "/it/warehouse/" + db, new HashMap<>()));
      client.createTable(parquetTable(db, location));
      Table read = client.getTable(db, "activity");
      assertEquals("EXTERNAL_TABLE", read.getTableType());
      assertEquals(List.of("event_date"), read.getPartitionKeys().stream().map(FieldSchema::getName).toList());

      String partitionLocation = location + "/event_date=2026-11-24";
      writeParquet(conf, partitionLocation + "/part-00000.parquet", 37);
      writeParquet(conf, location + "/event_date=2026-11-25/part-00000.parquet", 5);
      // Thrift clients mutate and null-check their arguments: mutable lists only.
      client.add_partitions(new ArrayList<>(List.of(partition(read, "2026-11-24", partitionLocation),
          partition(read, "2026-11-25", location + "/event_date=2026-11-25"))));
      List<Partition> partitions = client.listPartitions(db, "activity", (short) -1);
      assertEquals(2, partitions.size());
      // a partition-filtered metastore call (needs hive-exec on the metastore's classpath)
      assertEquals(1, client.listPartitionsByFilter(db, "activity", "event_date = \"2026-11-24\"", (short) -1).size());

      try (Connection c = DriverManager.getConnection(props.get("hive.jdbc.url"), "it", "");
          Statement st = c.createStatement()) {
        assertEquals(42, count(st, "SELECT count(*) FROM " + db + ".activity"));
        assertEquals(37, count(st, "SELECT count(*) FROM " + db + ".activity WHERE event_date = '2026-11-24'"));
        assertEquals(19, count(st, "SELECT count(*) FROM " + db + ".activity"
            + " WHERE event_date = '2026-11-24' AND activity_type = 'login'"));
      }
    } finally {
      client.dropDatabase(db, false, true, true);
      client.close();
    }
  }

  private static long count(Statement st, String sql) throws Exception {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void writeParquet(Configuration conf, String file, int rows) throws Exception {
    Path path = new Path(file);
    try (FileSystem fs = FileSystem.newInstance(URI.create(file), conf)) {
      fs.mkdirs(path.getParent());
    }
    try (ParquetWriter<GenericRecord> writer = AvroParquetWriter.<GenericRecord>builder(
        HadoopOutputFile.fromPath(path, conf)).withSchema(ROW).build()) {
      for (int i = 0; i < rows; i++) {
        GenericRecord r = new GenericData.Record(ROW);
        r.put("employee_id", (long) i);
        r.put("activity_type", i % 2 == 0 ? "login" : "email"); // 19 logins of 37
        writer.write(r);
      }
    }
  }

  private static Table parquetTable(String db, String location) {
    StorageDescriptor sd = new StorageDescriptor();
    sd.setCols(new ArrayList<>(List.of(new FieldSchema("employee_id", "bigint", null),
        new FieldSchema("activity_type", "string", null))));
    sd.setLocation(location);
    sd.setInputFormat("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat");
    sd.setOutputFormat("org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat");
    sd.setSerdeInfo(new SerDeInfo("parquet", "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
        new HashMap<>()));
    Table t = new Table();
    t.setDbName(db);
    t.setTableName("activity");
    t.setTableType("EXTERNAL_TABLE");
    t.setParameters(new HashMap<>(Map.of("EXTERNAL", "TRUE")));
    t.setPartitionKeys(new ArrayList<>(List.of(new FieldSchema("event_date", "string", null))));
    t.setSd(sd);
    return t;
  }

  private static Partition partition(Table table, String value, String location) {
    StorageDescriptor sd = new StorageDescriptor(table.getSd());
    sd.setLocation(location);
    Partition p = new Partition();
    p.setDbName(table.getDbName());
    p.setTableName(table.getTableName());
    p.setValues(new ArrayList<>(List.of(value)));
    p.setSd(sd);
    p.setParameters(new HashMap<>());
    return p;
  }
}
