package org.activitypipeline.generators.employees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeKindTest {
  private static final String VALID =
      "(valid kinds: raise, promotion, department_move, status_change, hire, delete)";

  @Test
  void parsesLabelsCaseAndBlanksAside() {
    assertEquals(EnumSet.of(ChangeKind.RAISE, ChangeKind.PROMOTION, ChangeKind.STATUS_CHANGE, ChangeKind.HIRE),
        ChangeKind.parse(List.of("raise", " Promotion", "status_change ", "", "HIRE", "raise")));
    assertEquals(EnumSet.allOf(ChangeKind.class),
        ChangeKind.parse(List.of("raise", "promotion", "department_move", "status_change", "hire", "delete")));
  }

  @Test
  void anUnknownKindIsNamedWithTheValidOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ChangeKind.parse(List.of("raise", "transfer", "firing")));
    assertEquals("unknown change kind 'transfer', 'firing' " + VALID, e.getMessage());
  }

  @Test
  void anEmptyListIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChangeKind.parse(List.of()));
    assertEquals("at least one change kind is needed " + VALID, e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ChangeKind.parse(List.of("", " ")));
  }
}
