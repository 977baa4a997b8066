package org.activitypipeline.batch.hive;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.activitypipeline.batch.job.BatchJob;
import org.activitypipeline.lakehouse.Tables;
import org.activitypipeline.lakehouse.hudi.HudiSettings;
import org.activitypipeline.lakehouse.hudi.HudiTable;
import org.activitypipeline.lakehouse.hudi.HudiTableSpec;
import org.apache.avro.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hive.metastore.HiveMetaStoreClient;
import org.apache.hadoop.hive.metastore.IMetaStoreClient;
import org.apache.hadoop.hive.metastore.api.Database;
import org.apache.hadoop.hive.metastore.api.EnvironmentContext;
import org.apache.hadoop.hive.metastore.api.FieldSchema;
import org.apache.hadoop.hive.metastore.api.NoSuchObjectException;
import org.apache.hadoop.hive.metastore.api.Partition;
import org.apache.hadoop.hive.metastore.api.SerDeInfo;
import org.apache.hadoop.hive.metastore.api.StorageDescriptor;
import org.apache.hadoop.hive.metastore.api.Table;
import org.apache.hadoop.hive.metastore.conf.MetastoreConf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the Hive Metastore in step with the lakehouse: every Hudi table as an external table read
 * through Hudi's input format (so Hive sees the latest snapshot, not every file version), its
 * partitions, columns added since the last sync (with CASCADE, so existing partitions see them
 * too), and the analyst views.
 *
 * <p>Registered with the metastore client rather than Hudi's hive-sync: hive-sync 1.0.2 (the
 * newest on Maven Central) needs Hive 3.1 client jars, which cannot live beside the 4.0 client.
 * Each run reconciles everything from the tables' current state, so a missed run or a partition
 * added by hand is repaired by the next one.
 */
public final class HiveSyncJob implements BatchJob {

  public static final String NAME = "hive-sync";
  static final String INPUT_FORMAT = "org.apache.hudi.hadoop.HoodieParquetInputFormat";
  static final String OUTPUT_FORMAT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat";
  static final String SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe";
  private static final Logger log = LoggerFactory.getLogger(HiveSyncJob.class);

  private final HiveSettings hive;
  private final HudiSettings hudi;

  public HiveSyncJob(HiveSettings hive, HudiSettings hudi) {
    this.hive = hive;
    this.hudi = hudi;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String run() throws Exception {
    Configuration conf = HudiTable.hadoopConf(hudi);
    MetastoreConf.setVar(conf, MetastoreConf.ConfVars.THRIFT_URIS, hive.metastoreUris());
    IMetaStoreClient client = new HiveMetaStoreClient(conf);
    try {
      ensureDatabase(client);
      int tables = 0;
      int partitions = 0;
      int columns = 0;
      Set<String> present = new HashSet<>();
      for (HudiTableSpec spec : Tables.ALL) {
        HudiTable table = new HudiTable(spec, hudi);
        Optional<Schema> schema = table.schema();
        if (schema.isEmpty()) {
          continue;
        }
        present.add(spec.name());
        columns += syncTable(client, table, schema.get());
        partitions += syncPartitions(client, table);
        tables++;
      }
      int views = 0;
      for (AnalystViews.View view : AnalystViews.ALL) {
        if (baseTablesPresent(view, present)) {
          syncView(client, view);
          views++;
        }
      }
      return "tables=" + tables + " new_partitions=" + partitions + " new_columns=" + columns + " views=" + views;
    } finally {
      client.close();
    }
  }

  private static boolean baseTablesPresent(AnalystViews.View view, Set<String> present) {
    for (HudiTableSpec spec : Tables.ALL) {
      if (view.select().contains("`${hivevar:db}`.`" + spec.name() + "`") && !present.contains(spec.name())) {
        return false;
      }
    }
    return true;
  }

  private void ensureDatabase(IMetaStoreClient client) throws Exception {
    try {
      client.getDatabase(hive.database());
    } catch (NoSuchObjectException e) {
      try {
        client.createDatabase(new Database(hive.database(), "activity pipeline lakehouse (Hudi tables, batch views)",
            hudi.lakehouse() + "/_hive/" + hive.database() + ".db", new HashMap<>()));
      } catch (org.apache.hadoop.hive.metastore.api.AlreadyExistsException raced) {
        // another node created it
      }
    }
  }

  /** Creates the table or appends new columns; returns the number of columns added. */
  private int syncTable(IMetaStoreClient client, HudiTable table, Schema schema) throws Exception {
    HudiTableSpec spec = table.spec();
    List<FieldSchema> wanted = HiveSchemas.columns(spec, schema);
    Table existing = getTable(client, spec.name());
    if (existing == null) {
      client.createTable(newTable(table, wanted));
      log.info("event=hive_table_created table={}.{} columns={}", hive.database(), spec.name(), wanted.size());
      return 0;
    }
    List<FieldSchema> current = existing.getSd().getCols();
    Set<String> have = new HashSet<>();
    current.forEach(c -> have.add(c.getName().toLowerCase()));
    List<FieldSchema> added = new ArrayList<>();
    for (FieldSchema c : wanted) {
      if (!have.contains(c.getName().toLowerCase())) {
        added.add(c);
      }
    }
    if (added.isEmpty()) {
      return 0;
    }
    List<FieldSchema> cols = new ArrayList<>(current);
    cols.addAll(added);
    existing.getSd().setCols(cols);
    // CASCADE: existing partitions get the new columns too, else they would read as NULL forever.
    client.alter_table_with_environmentContext(hive.database(), spec.name(), existing,
        new EnvironmentContext(new HashMap<>(Map.of("CASCADE", "true"))));
    log.info("event=hive_columns_added table={}.{} columns={}", hive.database(), spec.name(),
        added.stream().map(FieldSchema::getName).toList());
    return added.size();
  }

  private int syncPartitions(IMetaStoreClient client, HudiTable table) throws Exception {
    HudiTableSpec spec = table.spec();
    if (!spec.partitioned()) {
      return 0;
    }
    Set<String> registered = new HashSet<>(client.listPartitionNames(hive.database(), spec.name(), (short) -1));
    Table t = client.getTable(hive.database(), spec.name());
    List<Partition> missing = new ArrayList<>();
    for (String path : table.partitions()) {
      if (!registered.contains(path)) {
        String value = path.substring(path.indexOf('=') + 1);
        StorageDescriptor sd = new StorageDescriptor(t.getSd());
        sd.setLocation(table.basePath() + "/" + path);
        Partition p = new Partition();
        p.setDbName(hive.database());
        p.setTableName(spec.name());
        p.setValues(new ArrayList<>(List.of(value)));
        p.setSd(sd);
        p.setParameters(new HashMap<>());
        missing.add(p);
      }
    }
    if (!missing.isEmpty()) {
      client.add_partitions(missing, true, false); // ifNotExists: a concurrent sync is harmless
      log.info("event=hive_partitions_added table={}.{} count={}", hive.database(), spec.name(), missing.size());
    }
    return missing.size();
  }

  private Table newTable(HudiTable table, List<FieldSchema> cols) {
    StorageDescriptor sd = new StorageDescriptor();
    sd.setCols(new ArrayList<>(cols));
    sd.setLocation(table.basePath());
    sd.setInputFormat(INPUT_FORMAT);
    sd.setOutputFormat(OUTPUT_FORMAT);
    sd.setSerdeInfo(new SerDeInfo(table.spec().name(), SERDE, new HashMap<>()));
    Table t = new Table();
    t.setDbName(hive.database());
    t.setTableName(table.spec().name());
    t.setTableType("EXTERNAL_TABLE");
    t.setParameters(new HashMap<>(Map.of("EXTERNAL", "TRUE", "hoodie.table.name", table.spec().name(),
        "comment", "Hudi COPY_ON_WRITE table, written by the batch layer")));
    List<FieldSchema> partitionKeys = new ArrayList<>();
    if (table.spec().partitioned()) {
      partitionKeys.add(new FieldSchema(table.spec().partitionField(), "string", null));
    }
    t.setPartitionKeys(partitionKeys);
    t.setSd(sd);
    return t;
  }

  private void syncView(IMetaStoreClient client, AnalystViews.View view) throws Exception {
    String sql = view.sql(hive.database());
    Table existing = getTable(client, view.name());
    if (existing != null && sql.equals(existing.getViewExpandedText())) {
      return;
    }
    StorageDescriptor sd = new StorageDescriptor();
    sd.setCols(new ArrayList<>(view.columns()));
    sd.setSerdeInfo(new SerDeInfo(view.name(), null, new HashMap<>()));
    Table t = new Table();
    t.setDbName(hive.database());
    t.setTableName(view.name());
    t.setTableType("VIRTUAL_VIEW");
    t.setViewOriginalText(sql);
    t.setViewExpandedText(sql);
    t.setParameters(new HashMap<>());
    t.setPartitionKeys(new ArrayList<>());
    t.setSd(sd);
    if (existing == null) {
      client.createTable(t);
      log.info("event=hive_view_created view={}.{}", hive.database(), view.name());
    } else {
      client.alter_table(hive.database(), view.name(), t);
      log.info("event=hive_view_replaced view={}.{}", hive.database(), view.name());
    }
  }

  private Table getTable(IMetaStoreClient client, String name) throws Exception {
    try {
      return client.getTable(hive.database(), name);
    } catch (NoSuchObjectException e) {
      return null;
    }
  }
}
