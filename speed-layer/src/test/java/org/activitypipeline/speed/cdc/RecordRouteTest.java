package org.activitypipeline.speed.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RecordRouteTest {
  @Test
  void changeEventsAreForwardedEverythingElseOnlyAcknowledged() {
    assertEquals(RecordRoute.FORWARD, RecordRoute.of("cdc.public.employees", "cdc.transaction", "cdc.public.cdc_heartbeat"));
    assertEquals(RecordRoute.HEARTBEAT, RecordRoute.of("__debezium-heartbeat.cdc", "cdc.transaction", "cdc.public.cdc_heartbeat"));
    assertEquals(RecordRoute.TRANSACTION_MARKER, RecordRoute.of("cdc.transaction", "cdc.transaction", "cdc.public.cdc_heartbeat"));
    assertEquals(RecordRoute.PROGRESS, RecordRoute.of("cdc.public.cdc_heartbeat", "cdc.transaction",
        "cdc.public.cdc_heartbeat"));
    assertEquals(RecordRoute.NO_TOPIC, RecordRoute.of(null, "cdc.transaction", "cdc.public.cdc_heartbeat"));
    assertEquals(RecordRoute.NO_TOPIC, RecordRoute.of(" ", "cdc.transaction", "cdc.public.cdc_heartbeat"));
  }
}
