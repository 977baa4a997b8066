package org.activitypipeline.generators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Options that fail fast, before anything connects: no servers needed (the rest is in GeneratorsCommandIT). */
class GeneratorOptionsTest {
  private static final String VALID_KINDS =
      "(valid kinds: raise, promotion, department_move, status_change, hire, delete)";

  record Result(int exitCode, String out, String err) {
  }

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    picocli.CommandLine cmd = new picocli.CommandLine(new Generators());
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  private static void assertUsageError(String firstLine, String... args) {
    Result r = run(args);
    assertEquals(2, r.exitCode(), r.err());
    assertEquals(firstLine, r.err().lines().findFirst().orElse(""), r.err());
  }

  @Test
  void helpListsTheNewOptions() {
    String employees = run("employees", "--help").out().replaceAll("\\s+", " ");
    assertTrue(employees.contains("--kinds=KIND[,KIND...]"), employees);
    assertTrue(employees.contains("the speed layer to the department at processing time"), employees);
    String activities = run("activities", "--help").out().replaceAll("\\s+", " ");
    assertTrue(activities.contains("--time-scale=F"), activities);
    assertTrue(activities.contains("Write times and partitions stay real."), activities);
  }

  @Test
  void unknownOrNoKindsAreUsageErrors() {
    assertUsageError("--kinds: unknown change kind 'transfer' " + VALID_KINDS,
        "employees", "--kinds", "raise,transfer");
    assertUsageError("--kinds: at least one change kind is needed " + VALID_KINDS, "employees", "--kinds", "");
    assertUsageError("--kinds: at least one change kind is needed " + VALID_KINDS, "employees", "--kinds", ",");
  }

  @Test
  void aTimeScaleMustBePositiveAndFinite() {
    for (String bad : new String[] {"0", "-60", "NaN", "Infinity", "2e6"}) {
      Result r = run("activities", "--time-scale", bad);
      assertEquals(2, r.exitCode(), r.err());
      assertTrue(r.err().startsWith("--time-scale must be a number > 0 and at most 1000000, was "), bad + ": " + r.err());
    }
    assertEquals(2, run("activities", "--time-scale", "fast").exitCode());
  }
}
