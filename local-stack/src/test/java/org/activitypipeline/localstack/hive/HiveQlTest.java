package org.activitypipeline.localstack.hive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HiveQlTest {
  @Test
  void scriptsSplitOnSemicolonsOutsideQuotesAndComments() {
    String script = """
        -- query: a; not a statement
        SELECT 'x;y', "a;b", `c;d` FROM t; -- trailing; comment
        SELECT 'it\\'s; fine'
          FROM u;
        ;
        SELECT 1""";
    assertEquals(List.of("SELECT 'x;y', \"a;b\", `c;d` FROM t", "SELECT 'it\\'s; fine'\n  FROM u", "SELECT 1"),
        HiveQl.statements(script));
  }

  @Test
  void variablesAreReplacedAndAMissingOneIsNamed() {
    assertEquals("SELECT * FROM activity.t WHERE d = '2026-12-07'", HiveQl.substitute(
        "SELECT * FROM ${hivevar:db}.t WHERE d = '${day}'", Map.of("db", "activity", "day", "2026-12-07")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> HiveQl.substitute("SELECT * FROM ${hivevar:db}.t", Map.of()));
    assertTrue(e.getMessage().contains("--hivevar db="), e.getMessage());
    assertEquals("SELECT '$1 \\\\ x'", HiveQl.substitute("SELECT '${v}'", Map.of("v", "$1 \\\\ x")));
  }

  @Test
  void aStatementEndsAtASemicolonOutsideQuotes() {
    assertTrue(HiveQl.endsStatement("SELECT 1;\n"));
    assertTrue(HiveQl.endsStatement("SELECT 1; -- done\n"));
    assertFalse(HiveQl.endsStatement("SELECT ';\n"));
    assertFalse(HiveQl.endsStatement("SELECT 1 -- ;\n"));
    assertFalse(HiveQl.endsStatement("SELECT 1\n"));
  }
}
