package org.activitypipeline.serving.batch;

/** The batch views could not be read (HDFS or the Hudi table is unreachable or broken): the API answers 503. */
public final class BatchViewsUnavailableException extends RuntimeException {
  public BatchViewsUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
