package org.activitypipeline.serving.api;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code http.allowed-hosts}: the {@code Host} header values (without the port) a request may carry.
 * A page on another site that rebinds its DNS name to this server's address still sends its own name
 * as Host, so it is refused (421) even though the browser let it through.
 */
final class HostAllowList {
  private final Set<String> hosts;

  /** @param hosts lower-case host names or addresses, or null: every Host is allowed */
  HostAllowList(List<String> hosts) {
    this.hosts = hosts == null ? null : Set.copyOf(hosts);
  }

  boolean allows(String hostHeader) {
    if (hosts == null) {
      return true;
    }
    return hostHeader != null && hosts.contains(withoutPort(hostHeader.strip().toLowerCase(Locale.ROOT)));
  }

  /** {@code name:8080} → {@code name}, {@code [::1]:8080} → {@code [::1]}. */
  static String withoutPort(String host) {
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      return end < 0 ? host : host.substring(0, end + 1);
    }
    int colon = host.lastIndexOf(':');
    return colon < 0 ? host : host.substring(0, colon);
  }
}
