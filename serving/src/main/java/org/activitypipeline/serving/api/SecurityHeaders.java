package org.activitypipeline.serving.api;

import java.util.Map;

/**
 * The headers every response carries. The dashboard loads its script, style and ECharts from this
 * server only, has no inline script or style attribute, and draws on canvas, so the CSP allows
 * nothing else ({@code data:} images only for the page's empty favicon). API answers are never cached:
 * they change with every commit and may be behind a token.
 */
final class SecurityHeaders {
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
      + " connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  static final Map<String, String> ALL = Map.of(
      "Content-Security-Policy", CSP,
      "X-Content-Type-Options", "nosniff",
      "X-Frame-Options", "DENY",
      "Referrer-Policy", "no-referrer");
  static final String NO_STORE = "no-store";

  private SecurityHeaders() {}
}
