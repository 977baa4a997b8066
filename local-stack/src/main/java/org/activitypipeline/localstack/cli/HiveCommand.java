package org.activitypipeline.localstack.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.activitypipeline.localstack.hive.HiveQl;
import org.activitypipeline.localstack.process.ServerHome;
import org.activitypipeline.localstack.process.ServerStartException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar local-stack.jar hive [-e SQL | -f FILE] [--hivevar K=V]... [--output table|csv|tsv]}:
 * HiveQL against a HiveServer2 with nothing installed but the JDK. The Hive JDBC driver comes from the
 * stack's own HiveServer2 classpath, loaded in a class loader of its own (its dependencies never meet
 * this jar's).
 */
@Command(name = "hive", mixinStandardHelpOptions = true,
    description = {"Runs HiveQL against HiveServer2: the statements of -e or -f, or typed at a prompt (end each with ;,"
        + " quit with quit; or Ctrl-D).", "Results go to standard output, messages to standard error; the exit code is"
        + " 1 when a statement of -e or -f failed (the rest are not run)."})
final class HiveCommand implements Callable<Integer> {
  @Option(names = {"-u", "--url"}, paramLabel = "JDBC_URL",
      description = "HiveServer2 to connect to. Default: the local stack's, jdbc:hive2://127.0.0.1:20000/default"
          + " (plus --port-offset).")
  String url;

  @Option(names = "--port-offset", defaultValue = "0", description = "The local stack's port offset, for the"
      + " default URL. Default: ${DEFAULT-VALUE}.")
  int portOffset;

  @Option(names = {"-n", "--user"}, defaultValue = "analyst", description = "User name (its password, if the server"
      + " wants one, from HIVE_PASSWORD). Default: ${DEFAULT-VALUE}.")
  String user;

  @Option(names = {"-e", "--execute"}, paramLabel = "SQL", description = "Statements to run, separated by ;.")
  String execute;

  @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "A script to run.")
  Path file;

  @Option(names = "--hivevar", paramLabel = "NAME=VALUE",
      description = "Replaces ${hivevar:NAME} and ${NAME} in the statements. Repeatable.")
  Map<String, String> hivevars = new LinkedHashMap<>();

  @Option(names = "--output", defaultValue = "table", paramLabel = "FORMAT",
      description = "table (aligned columns), csv or tsv (a header line, then one line per row). Default: ${DEFAULT-VALUE}.")
  HiveQl.Format output;

  @Override
  public Integer call() {
    if (execute != null && file != null) {
      System.err.println("error: give -e or -f, not both");
      return 2;
    }
    String script;
    try {
      script = execute != null ? execute : file != null ? Files.readString(file, StandardCharsets.UTF_8) : null;
    } catch (NoSuchFileException e) {
      System.err.println("error: no such file: " + file);
      return 2;
    } catch (IOException e) {
      System.err.println("error: cannot read " + file + ": " + e.getMessage());
      return 2;
    }
    String jdbcUrl = url != null ? url : "jdbc:hive2://127.0.0.1:" + (20000 + portOffset) + "/default";
    try (URLClassLoader loader = hiveJdbcLoader(); Connection c = connect(loader, jdbcUrl)) {
      HiveQl ql = new HiveQl(c, hivevars, output, System.out, System.err);
      if (script != null) {
        return ql.runScript(script) ? 0 : 1;
      }
      ql.runInteractive(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
      return 0;
    } catch (ServerStartException | IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      return 2;
    } catch (SQLException e) {
      System.err.println("error: cannot connect to " + jdbcUrl + ": " + HiveQl.firstLine(e));
      return 1;
    } catch (IOException | ReflectiveOperationException e) {
      System.err.println("error: " + e);
      return 1;
    }
  }

  private Connection connect(URLClassLoader loader, String jdbcUrl) throws SQLException, ReflectiveOperationException {
    Thread current = Thread.currentThread();
    ClassLoader previous = current.getContextClassLoader();
    current.setContextClassLoader(loader); // the driver loads its parts through it
    try {
      Driver driver = (Driver) Class.forName("org.apache.hive.jdbc.HiveDriver", true, loader)
          .getDeclaredConstructor().newInstance();
      Properties p = new Properties();
      p.setProperty("user", user);
      String password = System.getenv("HIVE_PASSWORD");
      p.setProperty("password", password == null ? "" : password);
      Connection c = driver.connect(jdbcUrl, p);
      if (c == null) {
        throw new IllegalArgumentException("not a HiveServer2 URL: " + jdbcUrl);
      }
      return c;
    } finally {
      current.setContextClassLoader(previous);
    }
  }

  /** HiveServer2's classpath of the local stack, parent the platform loader: none of this jar's classes. */
  private static URLClassLoader hiveJdbcLoader() throws IOException {
    // Hive's logging would otherwise print its configuration search to the terminal.
    System.setProperty("log4j2.level", "ERROR");
    System.setProperty("log4j2.statusLoggerLevel", "OFF");
    return ServerHome.isolatedLoader("hiveserver2");
  }
}
