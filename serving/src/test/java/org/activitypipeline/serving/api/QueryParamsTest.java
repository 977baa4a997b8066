package org.activitypipeline.serving.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QueryParamsTest {

  private static BadRequestException bad(Runnable r) {
    return assertThrows(BadRequestException.class, r::run);
  }

  @Test
  void parsesInstantsDatesAndOptionalFilters() {
    QueryParams p = new QueryParams(Map.of("from", List.of("2026-12-01T10:00:00Z"), "to", List.of("2026-12-02"),
        "department", List.of(" eng ")));
    assertEquals(Instant.parse("2026-12-01T10:00:00Z"), p.instant("from"));
    assertEquals("2026-12-02", p.date("to").toString());
    assertEquals("eng", p.optional("department"));
    assertEquals(null, p.optional("activity_type"));
  }

  @Test
  void everyProblemNamesTheParameter() {
    BadRequestException e = bad(() -> new QueryParams(Map.of()).instant("from"));
    assertEquals("from", e.parameter());
    assertTrue(e.getMessage().contains("required"), e.getMessage());

    e = bad(() -> new QueryParams(Map.of("from", List.of("yesterday"))).instant("from"));
    assertEquals("from", e.parameter());
    assertTrue(e.getMessage().contains("ISO-8601") && e.getMessage().contains("yesterday"), e.getMessage());

    e = bad(() -> new QueryParams(Map.of("to", List.of("2026-13-01"))).date("to"));
    assertEquals("to", e.parameter());

    e = bad(() -> new QueryParams(Map.of("fromm", List.of("x"))).only(Set.of("from", "to")));
    assertEquals("fromm", e.parameter());
    assertTrue(e.getMessage().contains("from, to"), e.getMessage());

    e = bad(() -> new QueryParams(Map.of("department", List.of("a", "b"))).optional("department"));
    assertEquals("department", e.parameter());

    e = bad(() -> new QueryParams(Map.of("department", List.of(""))).optional("department"));
    assertEquals("department", e.parameter());

    e = bad(() -> QueryParams.employeeId("abc"));
    assertEquals("id", e.parameter());
    e = bad(() -> QueryParams.employeeId("-3"));
    assertEquals("id", e.parameter());
  }

  @Test
  void rangesMustBeForwardAndBounded() {
    Instant t = Instant.parse("2026-12-01T10:00:00Z");
    assertEquals("to", bad(() -> QueryParams.checkRange(t, t, Duration.ofDays(1))).parameter());
    assertEquals("to", bad(() -> QueryParams.checkRange(t, t.minusSeconds(1), Duration.ofDays(1))).parameter());
    BadRequestException e = bad(() -> QueryParams.checkRange(t, t.plus(Duration.ofDays(2)), Duration.ofDays(1)));
    assertTrue(e.getMessage().contains("maximum of 1 days"), e.getMessage());
    QueryParams.checkRange(t, t.plus(Duration.ofDays(1)), Duration.ofDays(1));
  }
}
