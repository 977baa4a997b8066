package org.activitypipeline.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The source schemas of {@code init-scripts/} (copied into this module's jar at build time, so the
 * repository folder stays the single source), in file-name order.
 */
public final class InitScripts {
  /** One script: its file name (for messages) and its text. */
  public record Script(String name, String text) {
  }

  private InitScripts() {
  }

  /** Scripts of {@code init-scripts/<folder>} ending in {@code suffix}, sorted by name. */
  public static List<Script> load(String folder, String suffix) {
    String resource = "init-scripts/" + folder;
    URL url = InitScripts.class.getClassLoader().getResource(resource);
    if (url == null) {
      throw new IllegalStateException("init scripts '" + resource + "' are missing from the launcher's classpath");
    }
    try {
      URI uri = url.toURI();
      if ("jar".equals(uri.getScheme())) {
        FileSystem fs;
        try {
          fs = FileSystems.newFileSystem(uri, Map.of());
        } catch (FileSystemAlreadyExistsException e) {
          fs = FileSystems.getFileSystem(uri);
        }
        return read(fs.getPath(resource), suffix);
      }
      return read(Path.of(uri), suffix);
    } catch (IOException | URISyntaxException e) {
      throw new IllegalStateException("cannot read init scripts from " + url + ": " + e, e);
    }
  }

  private static List<Script> read(Path dir, String suffix) throws IOException {
    List<Script> scripts = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList()) {
        scripts.add(new Script(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8)));
      }
    }
    return scripts;
  }

  /**
   * Splits CQL into statements at semicolons that end a line, skipping {@code --} comment lines
   * (the driver executes one statement at a time).
   */
  public static List<String> cqlStatements(String text) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n")) {
      String trimmed = line.trim();
      if (trimmed.startsWith("--") || trimmed.isEmpty()) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        statements.add(current.toString().trim().replaceAll(";$", ""));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      statements.add(current.toString().trim());
    }
    return statements;
  }
}
