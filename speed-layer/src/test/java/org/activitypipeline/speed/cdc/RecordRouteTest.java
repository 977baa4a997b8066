package org.activitypipeline.speed.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RecordRouteTest {
  @Test
  void changeEventsAreForwardedEverythingElseOnlyAcknowledged() {
    assertEquals(RecordRoute.FORWARD, RecordRoute.of("cdc.public.employees", "cdc.transaction"));
    assertEquals(RecordRoute.HEARTBEAT, RecordRoute.of("__debezium-heartbeat.cdc", "cdc.transaction"));
    assertEquals(RecordRoute.TRANSACTION_MARKER, RecordRoute.of("cdc.transaction", "cdc.transaction"));
    assertEquals(RecordRoute.NO_TOPIC, RecordRoute.of(null, "cdc.transaction"));
    assertEquals(RecordRoute.NO_TOPIC, RecordRoute.of(" ", "cdc.transaction"));
  }
}
