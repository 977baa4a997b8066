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

  @Test
  void timesOutsideTheServedYearsAreRejectedBeforeAnyArithmetic() {
    for (String v : new String[] {"-1000000000-01-01T00:00:00Z", "+1000000000-12-31T23:59:59Z",
        "1999-12-31T23:59:59.999Z", "2101-01-01T00:00:00Z", "+10000-01-01T00:00:00Z"}) {
      BadRequestException e = bad(() -> new QueryParams(Map.of("from", List.of(v))).instant("from"));
      assertEquals("from", e.parameter(), v);
    }
    for (String v : new String[] {"+999999999-12-31", "-999999999-01-01", "1999-12-31", "2101-01-01"}) {
      BadRequestException e = bad(() -> new QueryParams(Map.of("to", List.of(v))).date("to"));
      assertEquals("to", e.parameter(), v);
    }
    assertEquals(QueryParams.EARLIEST, new QueryParams(Map.of("from", List.of("2000-01-01T00:00:00Z"))).instant("from"));
    assertEquals(Instant.parse("2100-12-31T23:59:59Z"),
        new QueryParams(Map.of("to", List.of("2100-12-31T23:59:59Z"))).instant("to"));
    assertEquals("2100-12-31", new QueryParams(Map.of("to", List.of("2100-12-31"))).date("to").toString());
    // Digits of other scripts are not digits here (java.time would reject them too; the check is explicit).
    assertEquals("from", bad(() -> new QueryParams(Map.of("from", List.of("\u0662\u0660\u0662\u0666-12-01T00:00:00Z")))
        .instant("from")).parameter());
  }

  @Test
  void idsAreAsciiDigitsWithinALong() {
    assertEquals(123L, QueryParams.employeeId("123"));
    assertEquals(Long.MAX_VALUE, QueryParams.employeeId(Long.toString(Long.MAX_VALUE)));
    // Long.parseLong("\u0661\u0662\u0663") is 123: the id check must not get there.
    assertEquals(123L, Long.parseLong("\u0661\u0662\u0663"), "what the ASCII check guards against");
    for (String v : new String[] {"\u0661\u0662\u0663", "\uff11\uff12\uff13", "+123", "9223372036854775808",
        "99999999999999999999", "", " 1", "1e3", "0x10"}) {
      BadRequestException e = bad(() -> QueryParams.employeeId(v));
      assertEquals("id", e.parameter(), v);
    }
  }

  @Test
  void longValuesAreRejectedAndNeverEchoedWhole() {
    String longName = "d".repeat(201);
    BadRequestException e = bad(() -> new QueryParams(Map.of("department", List.of(longName))).optional("department"));
    assertEquals("department", e.parameter());
    assertTrue(e.getMessage().contains("201 characters"), e.getMessage());
    assertEquals("d".repeat(200), new QueryParams(Map.of("department", List.of("d".repeat(200)))).optional("department"));
    String huge = "x".repeat(100_000);
    e = bad(() -> new QueryParams(Map.of(huge, List.of("1"))).only(Set.of("from")));
    assertTrue(e.getMessage().length() < 300, "the unknown name is cut: " + e.getMessage().length());
    assertTrue(e.parameter().length() < 100, "so is the parameter field");
    e = bad(() -> new QueryParams(Map.of("from", List.of("y".repeat(150)))).instant("from"));
    assertTrue(e.getMessage().length() < 300, e.getMessage());
    e = bad(() -> new QueryParams(Map.of("x", List.of("1"))).only(Set.of()));
    assertTrue(e.getMessage().contains("no parameters"), e.getMessage());
  }
}
