package org.activitypipeline.localstack.process;

/** A server could not be started: port in use, process died, or not ready in time. */
public final class ServerStartException extends RuntimeException {
  public ServerStartException(String message) {
    super(message);
  }

  public ServerStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
