package org.activitypipeline.speed.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SourcePositionTest {

  @Test
  void readsLsnAndCommitTimeOfADebeziumValue() {
    // Shape of a real pgoutput event with transaction metadata, schemas disabled.
    String value = "{\"before\":{\"employee_id\":7,\"salary\":\"10.00\",\"tags\":[1,{\"lsn\":1}]},"
        + "\"after\":{\"employee_id\":7,\"salary\":\"11.00\",\"lsn\":42},"
        + "\"source\":{\"version\":\"3.6.1.Final\",\"connector\":\"postgresql\",\"name\":\"cdc\","
        + "\"ts_ms\":1732490000123,\"snapshot\":\"false\",\"db\":\"hr\",\"sequence\":\"[\\\"26969872\\\",\\\"26970744\\\"]\","
        + "\"ts_us\":1732490000123456,\"schema\":\"public\",\"table\":\"employees\",\"txId\":812,"
        + "\"lsn\":26970744,\"xmin\":null},"
        + "\"transaction\":{\"id\":\"812:26970744\",\"total_order\":1,\"data_collection_order\":1},"
        + "\"op\":\"u\",\"ts_ms\":1732490000200}";
    SourcePosition p = SourcePosition.of(value);
    assertEquals(26970744L, p.lsn(), "source.lsn, not a column called lsn in before/after");
    assertEquals(1732490000123L, p.commitMillis());
    assertFalse(p.snapshot());
    assertTrue(SourcePosition.of(value.replace("\"snapshot\":\"false\"", "\"snapshot\":\"last\"")).snapshot(),
        "a snapshot read: its ts_ms is no commit time");
  }

  @Test
  void valuesWithoutPositionHaveNone() {
    assertFalse(SourcePosition.of(null).hasLsn(), "tombstone");
    assertFalse(SourcePosition.of("").hasLsn());
    assertFalse(SourcePosition.of("{\"ts_ms\":1}").hasLsn(), "heartbeat value");
    assertFalse(SourcePosition.of("{\"source\":{\"lsn\":null}}").hasLsn());
    assertFalse(SourcePosition.of("[1,2]").hasLsn());
    assertFalse(SourcePosition.of("{not json").hasLsn());
  }
}
