package org.activitypipeline.generators.run;

/**
 * A failure a person can act on, with a one-line message that says what and where, for example
 * {@code cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:15432/hr: Connection refused}.
 * The command line prints only the message (no stack trace) and exits with a non-zero code.
 */
public class GeneratorException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public GeneratorException(String message) {
    super(message);
  }

  public GeneratorException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The innermost cause's message (drivers wrap the useful part, e.g. "Connection refused"). */
  public static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null || message.isBlank() ? root.getClass().getSimpleName() : message.strip();
  }
}
