package org.activitypipeline.serving.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.ByteBuffer;
import org.activitypipeline.common.json.Json;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error responses (a request line too long: 414, headers too large: 431, an ambiguous or
 * undecodable URI: 400), which never reach Javalin, as the same JSON {@link ApiError} every other error
 * is, with the security headers, instead of Jetty's HTML page. Jetty's message is not echoed (it may
 * quote the request); a fixed one per status is.
 */
final class JsonErrorHandler extends ErrorHandler {

  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                  Callback callback) {
    HttpFields.Mutable headers = response.getHeaders();
    headers.put(HttpHeader.CONTENT_TYPE, "application/json");
    SecurityHeaders.ALL.forEach(headers::put);
    headers.put(HttpHeader.CACHE_CONTROL, SecurityHeaders.NO_STORE);
    response.write(true, ByteBuffer.wrap(body(code)), callback);
  }

  /** A request Jetty could not parse: no Request exists, only the response's fields and body. */
  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    SecurityHeaders.ALL.forEach(fields::put);
    return ByteBuffer.wrap(body(status));
  }

  static byte[] body(int status) {
    String reason = HttpStatus.getMessage(status);
    try {
      return Json.mapper().writeValueAsBytes(new ApiError(ApiError.codeOf(status), null,
          "the server refused the request: " + status + " " + reason));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an ApiError always serializes", e);
    }
  }
}
