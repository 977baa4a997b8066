package org.activitypipeline.speed.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class DebeziumPropertiesTest {

  @Test
  void postgresPgoutputIntoPreCreatedPublicationWithKafkaOffsets() {
    Properties p = DebeziumProperties.from(CdcConfig.load(null, Map.of("CDC_POSTGRES_PASSWORD", "pw",
        "CDC_POSTGRES_SLOT_NAME", "s1", "CDC_KAFKA_BOOTSTRAP_SERVERS", "k:9")));
    assertEquals(DebeziumProperties.CONNECTOR, p.get("connector.class"));
    assertEquals("pgoutput", p.get("plugin.name"));
    assertEquals("disabled", p.get("publication.autocreate.mode"));
    assertEquals("employee_cdc", p.get("publication.name"));
    assertEquals("s1", p.get("slot.name"));
    assertEquals("cdc_replicator", p.get("database.user"));
    assertEquals("pw", p.get("database.password"));
    assertEquals("public.employees,public.departments,public.cdc_heartbeat", p.get("table.include.list"),
        "the heartbeat table is captured: its changes become progress records");
    assertEquals("cdc", p.get("topic.prefix"));
    assertEquals(DebeziumProperties.KAFKA_OFFSET_STORE, p.get("offset.storage"));
    assertEquals("k:9", p.get("bootstrap.servers"));
    assertEquals("cdc-offsets", p.get("offset.storage.topic"));
    assertEquals("-1", p.get("errors.max.retries"));
    assertEquals("false", p.get("converter.schemas.enable"));
    assertEquals("10", p.get("poll.interval.ms"));
    assertEquals("1000", p.get("heartbeat.interval.ms"));
    assertEquals("UPDATE public.cdc_heartbeat SET beat_at = now() WHERE id = 1", p.get("heartbeat.action.query"));
    assertEquals("string", p.get("decimal.handling.mode"));
  }

  @Test
  void fileOffsetsAndOverrides() {
    Properties p = DebeziumProperties.from(CdcConfig.load(null, Map.of("CDC_POSTGRES_PASSWORD", "pw",
        "CDC_OFFSET_STORAGE", "file", "CDC_OFFSET_STORAGE_FILE", "/var/lib/cdc/offsets.dat",
        "CDC_HEARTBEAT_INTERVAL", "0s")));
    assertEquals(DebeziumProperties.FILE_OFFSET_STORE, p.get("offset.storage"));
    assertEquals("/var/lib/cdc/offsets.dat", p.get("offset.storage.file.filename"));
    assertFalse(p.containsKey("offset.storage.topic"));
    assertEquals("0", p.get("heartbeat.interval.ms"));
    assertFalse(p.containsKey("heartbeat.action.query"));
    assertEquals("public.employees,public.departments", p.get("table.include.list"), "no heartbeats to capture");
  }

  @Test
  void passThroughMayChangeDefaultsButNotFixedOnes() {
    assertEquals(null, DebeziumProperties.ownerOf("decimal.handling.mode"));
    assertEquals(null, DebeziumProperties.ownerOf("time.precision.mode"));
    assertFalse(DebeziumProperties.ownerOf("errors.max.retries") == null);
    assertEquals(null, DebeziumProperties.ownerOf("provide.transaction.metadata"));
    assertFalse(DebeziumProperties.ownerOf("database.hostname") == null);
  }
}
