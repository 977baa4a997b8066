package org.activitypipeline.serving.api;

/** A request parameter is missing or invalid: 400 with a JSON error naming the parameter. */
final class BadRequestException extends RuntimeException {
  private final String parameter;

  BadRequestException(String parameter, String message) {
    super(message);
    this.parameter = parameter;
  }

  String parameter() {
    return parameter;
  }
}
