package org.activitypipeline.generators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.activitypipeline.common.event.ChangeOp;
import org.activitypipeline.generators.employees.AppliedChange;
import org.activitypipeline.localstack.LocalStack;
import org.activitypipeline.localstack.ServerKind;
import org.activitypipeline.localstack.junit.WithLocalStack;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line, in-process through picocli and, for signals, as the fat JAR. */
@WithLocalStack({ServerKind.POSTGRES, ServerKind.CASSANDRA})
class GeneratorsCommandIT {

  record Result(int exitCode, String out, String err) {
  }

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    picocli.CommandLine cmd = new picocli.CommandLine(new Generators());
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void everySubcommandHasHelp() {
    Result employees = run("employees", "--help");
    assertEquals(0, employees.exitCode());
    for (String option : List.of("--jdbc-url", "--departments", "--employees", "--rate", "--count", "--duration",
        "--seed", "--journal", "--kinds")) {
      assertTrue(employees.out().contains(option), option + " in\n" + employees.out());
    }
    Result activities = run("activities", "--help");
    assertEquals(0, activities.exitCode());
    for (String option : List.of("--contact-point", "--local-dc", "--keyspace", "--shards", "--rate", "--late-fraction",
        "--out-of-order-fraction", "--time-scale", "--consistency", "--max-in-flight", "--jdbc-url")) {
      assertTrue(activities.out().contains(option), option + " in\n" + activities.out());
    }
  }

  @Test
  void anUnreachablePostgresIsOneLineAndExitCode1() throws IOException {
    String url = "jdbc:postgresql://127.0.0.1:" + closedPort() + "/hr";
    Result r = run("employees", "--jdbc-url", url, "--count", "1");
    assertEquals(1, r.exitCode());
    assertOneLineError(r, "error: cannot connect to PostgreSQL at " + url + ": Connection refused");
    Result a = run("activities", "--jdbc-url", url, "--count", "1");
    assertEquals(1, a.exitCode());
    assertOneLineError(a, "error: cannot connect to PostgreSQL at " + url + ": Connection refused");
  }

  @Test
  void anUnreachableCassandraIsOneLineAndExitCode1(LocalStack stack) throws IOException {
    seedEmployees(stack);
    String contactPoint = "127.0.0.1:" + closedPort();
    Result r = run(with(stack, "activities", "--contact-point", contactPoint, "--count", "1"));
    assertEquals(1, r.exitCode());
    assertOneLineError(r, "error: cannot connect to Cassandra at " + contactPoint + ": ");
  }

  @Test
  void aMissingSchemaNamesTheInitScripts(LocalStack stack) {
    seedEmployees(stack);
    Result cassandra = run(with(stack, "activities", "--keyspace", "nosuch", "--count", "1"));
    assertEquals(1, cassandra.exitCode());
    assertOneLineError(cassandra, "error: table nosuch.employee_activity does not exist: apply init-scripts/cassandra");

    Map<String, String> p = stack.connectionProperties();
    String otherDb = p.get("postgres.jdbc.url").replace("/hr", "/postgres");
    Result postgres = run("employees", "--jdbc-url", otherDb, "--user", p.get("postgres.user"), "--password",
        p.get("postgres.password"), "--count", "1");
    assertEquals(1, postgres.exitCode());
    assertOneLineError(postgres, "error: table departments does not exist in " + otherDb
        + ": apply init-scripts/postgres");
  }

  @Test
  void badOptionsAreUsageErrors() {
    assertEquals(2, run("activities", "--late-fraction", "1.5").exitCode());
    assertEquals(2, run("activities", "--consistency", "MOST").exitCode());
    assertEquals(2, run("employees", "--duration", "soon").exitCode());
    assertEquals(2, run("employees", "--rate", "-5").exitCode());
    assertEquals(2, run("employees", "--kinds", "raise,transfer").exitCode());
    assertEquals(2, run("activities", "--time-scale", "0").exitCode());
  }

  @Test
  void theEmployeesJournalMatchesTheDatabase(LocalStack stack, @TempDir Path dir) throws Exception {
    seedEmployees(stack);
    Set<Long> ids = employeeIds(stack);
    Path journal = dir.resolve("changes.csv");
    Result r = run(with(stack, "employees", "--count", "400", "--rate", "0", "--seed", "7", "--journal",
        journal.toString()));
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.err().contains("employees: done, 400 rows in "), r.err());
    assertTrue(r.err().contains("errors=0"), r.err());

    List<String> lines = Files.readAllLines(journal, StandardCharsets.UTF_8);
    assertEquals(400, lines.size());
    for (String line : lines) {
      AppliedChange c = AppliedChange.fromCsv(line);
      if (c.op() == ChangeOp.CREATE) {
        assertTrue(ids.add(c.employeeId()), "a hire gets a new id: " + line);
      } else {
        assertTrue(ids.contains(c.employeeId()), "changes an existing employee: " + line);
        if (c.op() == ChangeOp.DELETE) {
          ids.remove(c.employeeId());
        }
      }
    }
    assertEquals(ids, employeeIds(stack), "replaying the journal gives the table's rows");
  }

  @Test
  void activitiesFromTheCommandLine(LocalStack stack) {
    seedEmployees(stack);
    Result r = run(with(stack, "activities", "--count", "500", "--rate", "0", "--seed", "1", "--late-fraction", "0.2"));
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.err().contains("activities: done, 500 rows in "), r.err());
    assertTrue(r.err().contains("errors=0"), r.err());
  }

  @Test
  void sigtermFinishesInFlightWorkAndPrintsASummary(LocalStack stack, @TempDir Path dir) throws Exception {
    seedEmployees(stack);
    Path jar = Path.of("target", "generators.jar").toAbsolutePath();
    assertTrue(Files.exists(jar), "run through mvn verify: the fat jar is built in package");

    Path activitiesErr = dir.resolve("activities.err");
    Process activities = start(jar, activitiesErr, with(stack, "activities", "--rate", "300"));
    Path journal = dir.resolve("journal.csv");
    Path employeesErr = dir.resolve("employees.err");
    Process employees = start(jar, employeesErr, with(stack, "employees", "--rate", "100", "--journal",
        journal.toString()));
    awaitLine(activitiesErr, "rows/s", Duration.ofSeconds(60));
    awaitLine(employeesErr, "rows/s", Duration.ofSeconds(60));

    activities.destroy(); // SIGTERM
    employees.destroy();
    assertTrue(activities.waitFor(40, TimeUnit.SECONDS) && employees.waitFor(40, TimeUnit.SECONDS));
    assertEquals(143, activities.exitValue(), "terminated by SIGTERM");

    String err = Files.readString(activitiesErr);
    assertTrue(err.contains("activities: done, "), err);
    assertTrue(err.contains("errors=0"), err);
    assertFalse(err.contains("\tat "), err);

    String employeesOut = Files.readString(employeesErr);
    String summary = employeesOut.lines().filter(l -> l.startsWith("employees: done, ")).findFirst()
        .orElseThrow(() -> new AssertionError(employeesOut));
    long total = Long.parseLong(summary.substring("employees: done, ".length(), summary.indexOf(" rows")));
    assertEquals(total, Files.readAllLines(journal).size(), "every committed change is in the journal");
  }

  // --- helpers ------------------------------------------------------------------------------

  private static void assertOneLineError(Result r, String expectedStart) {
    String err = r.err().strip();
    String last = err.lines().reduce((a, b) -> b).orElse("");
    assertTrue(last.startsWith(expectedStart), "expected '" + expectedStart + "...' but stderr was:\n" + err);
    assertFalse(err.contains("\tat ") || err.contains("Exception in"), "no stack trace:\n" + err);
    assertFalse(r.out().contains("\tat "), "no stack trace on stdout:\n" + r.out());
  }

  /** {@code args} plus the stack's PostgreSQL and Cassandra settings. */
  private static String[] with(LocalStack stack, String... args) {
    Map<String, String> p = stack.connectionProperties();
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--jdbc-url", p.get("postgres.jdbc.url"), "--user", p.get("postgres.user"), "--password",
        p.get("postgres.password")));
    if (args[0].equals("activities") && !all.contains("--contact-point")) {
      all.addAll(List.of("--contact-point", p.get("cassandra.contact.points"), "--local-dc",
          p.get("cassandra.local.datacenter")));
    }
    return all.toArray(String[]::new);
  }

  private static void seedEmployees(LocalStack stack) {
    Result r = run(with(stack, "employees", "--employees", "200", "--count", "0"));
    assertEquals(0, r.exitCode(), r.err());
  }

  private static Set<Long> employeeIds(LocalStack stack) throws SQLException {
    Map<String, String> p = stack.connectionProperties();
    Set<Long> ids = new HashSet<>();
    try (Connection c = DriverManager.getConnection(p.get("postgres.jdbc.url"), p.get("postgres.user"),
        p.get("postgres.password")); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT employee_id FROM employees")) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    return ids;
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static Process start(Path jar, Path stderr, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-jar", jar.toString()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(stderr.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
  }

  private static void awaitLine(Path file, String text, Duration timeout) {
    Awaitility.await("'" + text + "' in " + file).atMost(timeout).pollInterval(Duration.ofMillis(200))
        .until(() -> Files.exists(file) && Files.readString(file).contains(text));
  }
}
