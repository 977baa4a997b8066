package org.activitypipeline.serving.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A bearer token and the check of an {@code Authorization} header against it. The scheme is matched
 * case-insensitively ({@code Bearer}, {@code bearer}, {@code BEARER}: RFC 9110 §11.1); the token is
 * compared in constant time over SHA-256 digests, so neither its content nor its length leaks through
 * the response time.
 */
final class BearerToken {
  private static final String SCHEME = "bearer";
  private final byte[] expected;

  BearerToken(String token) {
    this.expected = sha256(token);
  }

  /** True when {@code header} is {@code <scheme> <token>} with this token. */
  boolean matches(String header) {
    if (header == null) {
      return false;
    }
    String h = header.strip();
    int space = h.indexOf(' ');
    if (space != SCHEME.length() || !h.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return false;
    }
    return MessageDigest.isEqual(sha256(h.substring(space + 1).strip()), expected);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
