package org.activitypipeline.serving.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BearerTokenTest {
  final BearerToken token = new BearerToken("0123456789abcdef0123");

  @Test
  void theSchemeIsCaseInsensitiveTheTokenIsNot() {
    for (String ok : new String[] {"Bearer 0123456789abcdef0123", "bearer 0123456789abcdef0123",
        "BEARER 0123456789abcdef0123", "bEaReR 0123456789abcdef0123", "Bearer  0123456789abcdef0123 "}) {
      assertTrue(token.matches(ok), ok);
    }
    for (String bad : new String[] {null, "", "Bearer", "Bearer ", "0123456789abcdef0123", "Basic 0123456789abcdef0123",
        "Bearer 0123456789ABCDEF0123", "Bearer 0123456789abcdef012", "Bearer 0123456789abcdef01234",
        "Bearer0123456789abcdef0123", "Bearerx 0123456789abcdef0123", "Token 0123456789abcdef0123"}) {
      assertFalse(token.matches(bad), String.valueOf(bad));
    }
  }
}
