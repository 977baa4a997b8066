package org.activitypipeline.serving.api;

import io.javalin.http.HttpStatus;

/** A request refused before any endpoint ran (wrong Host, too large a body): its status and error code. */
final class RequestRejectedException extends RuntimeException {
  private final HttpStatus status;
  private final String code;

  RequestRejectedException(HttpStatus status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  HttpStatus status() {
    return status;
  }

  String code() {
    return code;
  }
}
