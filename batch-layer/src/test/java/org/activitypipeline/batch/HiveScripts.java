package org.activitypipeline.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the scripts in {@code hive-scripts/} the way beeline would: statements end with {@code ;}, {@code --} starts a comment. */
final class HiveScripts {

  private HiveScripts() {}

  static String read(String name) throws IOException {
    return Files.readString(Path.of("..", "hive-scripts", name));
  }

  static List<String> statements(String script) {
    StringBuilder current = new StringBuilder();
    List<String> out = new ArrayList<>();
    for (String line : script.split("\n")) {
      String trimmed = line.trim();
      if (trimmed.startsWith("--") || trimmed.isEmpty()) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        String sql = current.toString().trim();
        out.add(sql.substring(0, sql.length() - 1));
        current.setLength(0);
      }
    }
    return out;
  }

  /** Statements of a script, each named by the {@code -- query: NAME} comment before it. */
  static Map<String, String> namedQueries(String script) {
    Map<String, String> out = new LinkedHashMap<>();
    String name = null;
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\n")) {
      String trimmed = line.trim();
      if (trimmed.startsWith("-- query:")) {
        name = trimmed.substring("-- query:".length()).trim();
      } else if (!trimmed.startsWith("--") && !trimmed.isEmpty()) {
        current.append(line).append('\n');
        if (trimmed.endsWith(";")) {
          String sql = current.toString().trim();
          out.put(name, sql.substring(0, sql.length() - 1));
          current.setLength(0);
        }
      }
    }
    return out;
  }

  /** Every row as its columns joined by tabs ({@code null} for SQL NULL). */
  static List<String> rows(Statement st, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          row.append(i > 1 ? "\t" : "").append(rs.getString(i));
        }
        out.add(row.toString());
      }
    }
    return out;
  }
}
