package org.activitypipeline.generators;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.activitypipeline.generators.employees.AppliedChange;
import org.activitypipeline.generators.run.GeneratorException;

/**
 * Appends one {@code employee_id,op,kind} line per committed change ({@link AppliedChange#toCsv()}),
 * flushed per line, so the file matches what PostgreSQL committed even if the process is killed.
 */
final class ChangeJournal implements AutoCloseable {
  private final Path file;
  private final BufferedWriter out;

  private ChangeJournal(Path file, BufferedWriter out) {
    this.file = file;
    this.out = out;
  }

  static ChangeJournal open(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      return new ChangeJournal(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND, StandardOpenOption.WRITE));
    } catch (IOException e) {
      throw new GeneratorException("cannot open journal " + file + ": " + GeneratorException.rootMessage(e), e);
    }
  }

  void append(AppliedChange change) {
    try {
      out.write(change.toCsv());
      out.newLine();
      out.flush();
    } catch (IOException e) {
      throw new GeneratorException("cannot write journal " + file + ": " + GeneratorException.rootMessage(e), e);
    }
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new GeneratorException("cannot close journal " + file + ": " + GeneratorException.rootMessage(e), e);
    }
  }
}
