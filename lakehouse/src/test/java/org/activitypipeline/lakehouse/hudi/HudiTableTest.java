package org.activitypipeline.lakehouse.hudi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The table wrapper on the local file system: upserts, deletes, checkpoints and clustering. */
class HudiTableTest {

  static final Schema SCHEMA = SchemaBuilder.record("row").fields()
      .requiredString("id").requiredString("day").requiredLong("version").requiredInt("value")
      .name(HudiTableSpec.DELETED_FIELD).type().booleanType().booleanDefault(false)
      .endRecord();

  @TempDir
  Path dir;

  HudiTable table() {
    HudiSettings settings = new HudiSettings(dir.toUri().toString(), Map.of(), 128L << 20, 0, 64,
        1L << 20, 512L << 10, 10, 20, 30);
    return new HudiTable(new HudiTableSpec("rows", "id", "day", "version"), settings);
  }

  static GenericRecord row(String id, String day, long version, int value, boolean deleted) {
    GenericRecord r = new GenericData.Record(SCHEMA);
    r.put("id", id);
    r.put("day", day);
    r.put("version", version);
    r.put("value", value);
    r.put(HudiTableSpec.DELETED_FIELD, deleted);
    return r;
  }

  static Map<String, Integer> values(HudiTable t) {
    Map<String, Integer> out = new HashMap<>();
    for (GenericRecord r : t.readAll()) {
      Integer old = out.put(r.get("id").toString(), (Integer) r.get("value"));
      assertEquals(null, old, "duplicate key " + r.get("id"));
    }
    return out;
  }

  @Test
  void upsertsDeletesAndNewerVersionsWin() {
    HudiTable t = table();
    t.upsert(SCHEMA, List.of(row("a", "2026-01-01", 1, 10, false), row("b", "2026-01-01", 1, 20, false),
        row("c", "2026-01-02", 1, 30, false)), Map.of("ckpt", "1"));
    // b updated, c deleted, a gets an OLDER version which must lose, d inserted twice in one batch
    t.upsert(SCHEMA, List.of(row("b", "2026-01-01", 2, 21, false), row("c", "2026-01-02", 2, 0, true),
        row("a", "2026-01-01", 0, 99, false), row("d", "2026-01-02", 1, 40, false),
        row("d", "2026-01-02", 2, 41, false)), Map.of("ckpt", "2"));
    assertEquals(Map.of("a", 10, "b", 21, "d", 41), values(t));
    assertEquals("2", t.latestCommitMetadataWith("ckpt").orElseThrow().get("ckpt"));
    assertEquals(List.of("day=2026-01-01", "day=2026-01-02"), t.partitions());
  }

  @Test
  void clusteringMergesSmallFilesAndKeepsRecords() {
    HudiTable t = table();
    Map<String, Integer> expected = new HashMap<>();
    for (int commit = 0; commit < 6; commit++) {
      List<GenericRecord> batch = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        String id = commit + "-" + i;
        batch.add(row(id, "2026-01-01", 1, commit * 100 + i, false));
        expected.put(id, commit * 100 + i);
      }
      t.upsert(SCHEMA, batch, Map.of("ckpt", String.valueOf(commit)));
    }
    int before = t.latestFiles("day=2026-01-01").size();
    assertTrue(before >= 6, "one new file per commit with small-file handling off, was " + before);
    assertTrue(t.cluster().isPresent());
    assertEquals(1, t.latestFiles("day=2026-01-01").size());
    assertEquals(expected, values(t));
    assertEquals("5", t.latestCommitMetadataWith("ckpt").orElseThrow().get("ckpt"), "walks back past the replacecommit");
  }

  @Test
  void archivalMovesTheEarliestActiveInstantPastOldCommits() {
    HudiSettings settings = new HudiSettings(dir.toUri().toString(), Map.of(), 128L << 20, 0, 64,
        1L << 20, 512L << 10, 1, 2, 3);
    HudiTable t = new HudiTable(new HudiTableSpec("archived", "id", "day", "version"), settings);
    assertEquals(java.util.Optional.empty(), t.earliestActiveInstant());
    List<String> instants = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      instants.add(t.upsert(SCHEMA, List.of(row("k" + i, "2026-11-2" + i, 1, i, false)), Map.of()));
    }
    String earliest = t.earliestActiveInstant().orElseThrow();
    assertTrue(earliest.compareTo(instants.get(0)) > 0, "the first commits were archived: earliest " + earliest
        + " of " + instants);
    assertTrue(t.commitsAfter(instants.get(0)).size() < 5, "so commitsAfter(first) no longer sees all later ones");
    assertEquals(instants.get(5), t.latestInstant().orElseThrow());
  }
}
