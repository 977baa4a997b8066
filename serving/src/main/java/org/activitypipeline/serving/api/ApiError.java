package org.activitypipeline.serving.api;

/**
 * The body of every error response.
 *
 * @param error a stable code: bad_request, unauthorized, not_found, unavailable, internal
 * @param parameter the offending request parameter (bad_request only)
 * @param message what went wrong, for a human
 */
record ApiError(String error, String parameter, String message) {}
