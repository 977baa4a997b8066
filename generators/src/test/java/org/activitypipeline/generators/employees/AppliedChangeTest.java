package org.activitypipeline.generators.employees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.activitypipeline.common.event.ChangeOp;
import org.junit.jupiter.api.Test;

class AppliedChangeTest {
  @Test
  void journalLineRoundTrips() {
    AppliedChange c = new AppliedChange(42, ChangeOp.UPDATE, "raise");
    assertEquals("42,u,raise", c.toCsv());
    assertEquals(c, AppliedChange.fromCsv("42,u,raise\n"));
    assertEquals(new AppliedChange(7, ChangeOp.DELETE, "delete"), AppliedChange.fromCsv("7,d,delete"));
    assertThrows(IllegalArgumentException.class, () -> AppliedChange.fromCsv("7,d"));
  }

  @Test
  void everyKindHasTheOpCdcWillShow() {
    assertEquals(ChangeOp.CREATE, ChangeKind.HIRE.op());
    assertEquals(ChangeOp.DELETE, ChangeKind.DELETE.op());
    assertEquals(ChangeOp.UPDATE, ChangeKind.PROMOTION.op());
    int total = 0;
    for (ChangeKind k : ChangeKind.values()) {
      total += k.weight();
    }
    assertEquals(100, total);
  }
}
