package org.activitypipeline.serving.health;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One {@code /metrics} endpoint the health view reads, and the process it belongs to. A process
 * scaled out has one target per instance: its figures are summed (rates, record lags) or the
 * worst taken (lags in seconds).
 */
public record ScrapeTarget(String process, URI uri) {
  /** The processes whose metrics the pipeline stages are computed from. */
  public static final Set<String> PROCESSES = Set.of("cdc", "poller", "processor", "batch-layer");

  /**
   * Entries {@code process=http://host:port/metrics}, as in {@code health.targets}.
   *
   * @throws IllegalArgumentException naming the entry that is not one
   */
  public static List<ScrapeTarget> parseAll(List<String> entries) {
    List<ScrapeTarget> all = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      String entry = entries.get(i);
      int eq = entry.indexOf('=');
      String process = eq < 0 ? "" : entry.substring(0, eq).strip();
      // The URL is never echoed: it may carry credentials by mistake.
      String which = "entry " + (i + 1) + " (" + (eq < 0 ? "no process=" : process + "=...") + ")";
      if (!PROCESSES.contains(process)) {
        throw new IllegalArgumentException(which + " is not process=url with process one of "
            + PROCESSES.stream().sorted().toList());
      }
      URI uri;
      try {
        uri = URI.create(entry.substring(eq + 1).strip());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(which + ": not a URL");
      }
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
          || uri.getUserInfo() != null) {
        throw new IllegalArgumentException(which + ": the URL must be http(s)://host:port/metrics, without"
            + " credentials");
      }
      all.add(new ScrapeTarget(process, uri));
    }
    return List.copyOf(all);
  }
}
