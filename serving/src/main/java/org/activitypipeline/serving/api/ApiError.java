package org.activitypipeline.serving.api;

/**
 * The body of every error response.
 *
 * @param error a stable code: bad_request, unauthorized, not_found, method_not_allowed, payload_too_large,
 *     uri_too_long, headers_too_large, misdirected_request, overloaded, unavailable, internal
 * @param parameter the offending request parameter (bad_request only)
 * @param message what went wrong, for a human
 */
record ApiError(String error, String parameter, String message) {

  /** The error code of a status that no more specific handler named (Jetty's own errors, Javalin's). */
  static String codeOf(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 401 -> "unauthorized";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 413 -> "payload_too_large";
      case 414 -> "uri_too_long";
      case 421 -> "misdirected_request";
      case 431 -> "headers_too_large";
      case 429, 503 -> "overloaded";
      default -> status >= 500 ? "internal" : "bad_request";
    };
  }
}
