package org.activitypipeline.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class InitScriptsTest {
  @Test
  void repositoryScriptsAreOnTheClasspathInOrder() {
    List<InitScripts.Script> sql = InitScripts.load("postgres", ".sql");
    assertEquals(List.of("01-employees.sql", "02-cdc.sql", "03-quartz.sql"),
        sql.stream().map(InitScripts.Script::name).toList());
    assertTrue(sql.get(1).text().contains("NOSUPERUSER"), "the replication role is explicitly not a superuser");
    assertEquals(1, InitScripts.load("cassandra", ".cql").size());
  }

  @Test
  void cqlIsSplitIntoStatementsWithoutComments() {
    List<String> statements = InitScripts.cqlStatements("""
        -- a comment; with a semicolon
        CREATE KEYSPACE k WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};

        CREATE TABLE k.t (
            a int PRIMARY KEY -- trailing
        );
        """);
    assertEquals(2, statements.size(), statements.toString());
    assertTrue(statements.get(0).startsWith("CREATE KEYSPACE") && !statements.get(0).endsWith(";"));
    assertTrue(statements.get(1).contains("a int PRIMARY KEY"));
  }
}
