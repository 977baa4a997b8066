package org.activitypipeline.localstack.hive;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs HiveQL statements on a JDBC connection and prints their results, as beeline does for the
 * common cases: scripts split on {@code ;} outside quotes and comments, {@code ${hivevar:NAME}} and
 * {@code ${NAME}} replaced, results as an aligned table, CSV or TSV. Uses java.sql only, so any
 * driver's connection will do.
 */
public final class HiveQl {
  /** How a result is printed. */
  public enum Format {
    TABLE, CSV, TSV
  }

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{(?:hivevar:)?([A-Za-z_][A-Za-z0-9_.]*)}");
  /** Rows a table keeps in memory to size its columns; more are printed in further blocks. */
  static final int TABLE_BLOCK = 10_000;

  private final Connection connection;
  private final Map<String, String> variables;
  private final Format format;
  private final PrintStream out;
  private final PrintStream err;

  public HiveQl(Connection connection, Map<String, String> variables, Format format, PrintStream out,
                PrintStream err) {
    this.connection = connection;
    this.variables = Map.copyOf(variables);
    this.format = format;
    this.out = out;
    this.err = err;
  }

  /** Runs every statement of {@code script} in order; stops at the first failure (reported on err). */
  public boolean runScript(String script) {
    for (String statement : statements(script)) {
      if (!run(statement)) {
        return false;
      }
    }
    return true;
  }

  /** Reads statements from {@code in} until {@code quit;}, {@code exit;} or its end; a failure is reported, not fatal. */
  public void runInteractive(BufferedReader in) throws IOException {
    StringBuilder pending = new StringBuilder();
    err.print("hive> ");
    err.flush();
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      pending.append(line).append('\n');
      List<String> complete = statements(pending.toString());
      boolean ended = endsStatement(pending.toString());
      if (ended) {
        for (String statement : complete) {
          String word = statement.trim().toLowerCase(Locale.ROOT);
          if (word.equals("quit") || word.equals("exit") || word.equals("!quit")) {
            return;
          }
          run(statement);
        }
        pending.setLength(0);
      }
      err.print(pending.length() == 0 ? "hive> " : "    > ");
      err.flush();
    }
  }

  private boolean run(String statement) {
    String sql;
    try {
      sql = substitute(statement, variables);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return false;
    }
    long t0 = System.nanoTime();
    try (Statement st = connection.createStatement()) {
      if (st.execute(sql)) {
        try (ResultSet rs = st.getResultSet()) {
          long rows = print(rs);
          err.printf(Locale.ROOT, "%d row%s (%.1f s)%n", rows, rows == 1 ? "" : "s", (System.nanoTime() - t0) / 1e9);
        }
      } else {
        err.printf(Locale.ROOT, "OK (%.1f s)%n", (System.nanoTime() - t0) / 1e9);
      }
      out.flush();
      return true;
    } catch (SQLException e) {
      err.println("error: " + firstLine(e));
      return false;
    }
  }

  private long print(ResultSet rs) throws SQLException {
    ResultSetMetaData meta = rs.getMetaData();
    int n = meta.getColumnCount();
    List<String> header = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      String label = meta.getColumnLabel(i);
      int dot = label.lastIndexOf('.'); // Hive labels columns table.column
      header.add(dot >= 0 ? label.substring(dot + 1) : label);
    }
    long rows = 0;
    List<List<String>> block = new ArrayList<>();
    if (format != Format.TABLE) {
      out.println(line(header));
    }
    while (rs.next()) {
      List<String> row = new ArrayList<>(n);
      for (int i = 1; i <= n; i++) {
        String v = rs.getString(i);
        row.add(v == null ? "NULL" : v);
      }
      rows++;
      if (format == Format.TABLE) {
        block.add(row);
        if (block.size() == TABLE_BLOCK) {
          table(header, block);
          block.clear();
        }
      } else {
        out.println(line(row));
      }
    }
    if (format == Format.TABLE && (rows == 0 || !block.isEmpty())) {
      table(header, block);
    }
    return rows;
  }

  private String line(List<String> values) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        sb.append(format == Format.CSV ? ',' : '\t');
      }
      sb.append(format == Format.CSV ? csv(values.get(i)) : values.get(i).replace('\t', ' ').replace('\n', ' '));
    }
    return sb.toString();
  }

  private static String csv(String v) {
    return v.matches("[^,\"\\n\\r]*") ? v : "\"" + v.replace("\"", "\"\"") + "\"";
  }

  private void table(List<String> header, List<List<String>> rows) {
    int[] width = new int[header.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = header.get(i).length();
      for (List<String> row : rows) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    StringBuilder rule = new StringBuilder("+");
    for (int w : width) {
      rule.append("-".repeat(w + 2)).append('+');
    }
    out.println(rule);
    out.println(tableRow(header, width));
    out.println(rule);
    for (List<String> row : rows) {
      out.println(tableRow(row, width));
    }
    out.println(rule);
  }

  private static String tableRow(List<String> values, int[] width) {
    StringBuilder sb = new StringBuilder("|");
    for (int i = 0; i < width.length; i++) {
      sb.append(' ').append(values.get(i)).append(" ".repeat(width[i] - values.get(i).length())).append(" |");
    }
    return sb.toString();
  }

  /**
   * The statements of a script: split on {@code ;} outside quotes, backticks and comments
   * ({@code --} to the end of the line), trimmed, empty ones dropped, without the {@code ;}.
   */
  public static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    char quote = 0;
    for (int i = 0; i < script.length(); i++) {
      char c = script.charAt(i);
      if (quote != 0) {
        current.append(c);
        if (c == '\\' && quote != '`' && i + 1 < script.length()) {
          current.append(script.charAt(++i));
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '-' && i + 1 < script.length() && script.charAt(i + 1) == '-') {
        int nl = script.indexOf('\n', i);
        i = nl < 0 ? script.length() : nl - 1;
      } else if (c == ';') {
        add(out, current);
      } else {
        if (c == '\'' || c == '"' || c == '`') {
          quote = c;
        }
        current.append(c);
      }
    }
    add(out, current);
    return out;
  }

  /** Whether the text ends with a {@code ;} that ends a statement (interactive input is complete). */
  static boolean endsStatement(String text) {
    char quote = 0;
    char last = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == '\\' && quote != '`') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
        last = c;
      } else if (c == '-' && i + 1 < text.length() && text.charAt(i + 1) == '-') {
        int nl = text.indexOf('\n', i);
        i = nl < 0 ? text.length() : nl - 1;
      } else {
        if (c == '\'' || c == '"' || c == '`') {
          quote = c;
        }
        if (!Character.isWhitespace(c)) {
          last = c;
        }
      }
    }
    return quote == 0 && last == ';';
  }

  private static void add(List<String> out, StringBuilder current) {
    String s = current.toString().trim();
    if (!s.isEmpty()) {
      out.add(s);
    }
    current.setLength(0);
  }

  /**
   * Replaces {@code ${hivevar:NAME}} and {@code ${NAME}} with their values.
   *
   * @throws IllegalArgumentException naming a variable without a value
   */
  public static String substitute(String sql, Map<String, String> variables) {
    Matcher m = VARIABLE.matcher(sql);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String value = variables.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException("no value for ${" + m.group(1) + "}: give --hivevar " + m.group(1) + "=...");
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /** The first line of an SQL error, without the driver's stack of causes. */
  public static String firstLine(SQLException e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
