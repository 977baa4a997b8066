package org.activitypipeline.common.ops;

/** Text of a failure fit for one {@code event=... error="..."} log line. */
public final class LogText {
  private LogText() {
  }

  /** The first line of {@code message} ("" for null): a log event stays one line. */
  public static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
