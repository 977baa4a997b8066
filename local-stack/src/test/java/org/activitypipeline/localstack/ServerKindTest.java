package org.activitypipeline.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServerKindTest {
  @Test
  void requirementsComeAlongInStartOrder() {
    assertEquals(List.of(ServerKind.HDFS, ServerKind.HIVE_METASTORE, ServerKind.HIVESERVER2),
        List.copyOf(ServerKind.withRequirements(EnumSet.of(ServerKind.HIVESERVER2))));
    assertEquals(Set.of(ServerKind.KAFKA), ServerKind.withRequirements(EnumSet.of(ServerKind.KAFKA)));
  }

  @Test
  void cliNamesParseAndBadNamesListTheValidOnes() {
    assertEquals(ServerKind.HIVE_METASTORE, ServerKind.fromCliName(" Hive-Metastore "));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerKind.fromCliName("kafak"));
    assertTrue(e.getMessage().contains("'kafak'") && e.getMessage().contains("hiveserver2"), e.getMessage());
  }

  @Test
  void portsShiftTogetherAndStayDistinct() {
    StackPorts base = StackPorts.defaults();
    StackPorts shifted = base.shiftedBy(1000);
    assertEquals(base.kafka() + 1000, shifted.kafka());
    assertEquals(base.hiveServer2Http() + 1000, shifted.hiveServer2Http());
    Set<Integer> all = new java.util.HashSet<>();
    for (ServerKind kind : ServerKind.values()) {
      all.addAll(shifted.of(kind).values());
    }
    assertEquals(base.kafkaSecure() + 1000, shifted.kafkaSecure());
    assertEquals(15, all.size(), "every port distinct (14 and the SASL_SSL listener)");
    assertThrows(IllegalArgumentException.class, () -> base.shiftedBy(50_000));
  }
}
