package org.activitypipeline.serving.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostAllowListTest {

  @Test
  void theHostHeaderIsComparedWithoutItsPort() {
    HostAllowList hosts = new HostAllowList(List.of("serving.example.com", "127.0.0.1", "[::1]"));
    for (String ok : new String[] {"serving.example.com", "Serving.Example.COM:8080", "127.0.0.1:8080", "[::1]:8080",
        "[::1]"}) {
      assertTrue(hosts.allows(ok), ok);
    }
    for (String bad : new String[] {null, "", "evil.example", "serving.example.com.evil.example", "127.0.0.2:8080",
        "example.com"}) {
      assertFalse(hosts.allows(bad), String.valueOf(bad));
    }
    assertTrue(new HostAllowList(null).allows("anything"), "unset: every Host");
    assertEquals("[::1]", HostAllowList.withoutPort("[::1]:80"));
  }
}
