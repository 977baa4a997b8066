package org.activitypipeline.serving.api;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Function;
import org.activitypipeline.common.event.EmployeeChange;
import org.activitypipeline.serving.lambda.DailyWindow;
import org.activitypipeline.serving.lambda.HourlyWindow;
import org.activitypipeline.serving.lambda.Source;
import org.activitypipeline.serving.profile.EmployeeProfiles;

/** Response bodies of the API (JSON, snake_case, ISO-8601 instants). */
final class Responses {
  private Responses() {}

  /** How many windows each layer served. */
  record Served(int batch, int speed) {
    static <W> Served of(List<W> windows, Function<W, Source> source) {
      int b = 0;
      for (W w : windows) {
        if (source.apply(w) == Source.BATCH) {
          b++;
        }
      }
      return new Served(b, windows.size() - b);
    }
  }

  /**
   * @param horizon the batch horizon the answer was merged at: windows ending at or before it came from the batch views
   */
  record Hourly(Instant from, Instant to, Instant horizon, Served served, List<HourlyWindow> windows) {}

  record Daily(LocalDate from, LocalDate to, Instant horizon, Served served, List<DailyWindow> windows) {}

  /** @param source always the speed layer: profiles come from the processor's topics */
  record Profile(EmployeeChange employee, List<EmployeeProfiles.RecentActivity> recentActivity, Source source) {}

  /**
   * @param lakehouseError {@code lakehouse_unreachable} while the last poll of the lakehouse failed (the detail
   *     is in the serving log), else null
   */
  record Status(Instant horizon, Instant horizonComputedAt, String lastBatchIngestCommit, String lastBatchViewsCommit,
                boolean lakehouseReachable, String lakehouseError, int speedHourlyWindows, int speedDailyWindows,
                boolean speedViewsCaughtUp, int employees, long invalidRecords) {}

  /** {@code GET /api/v1/employees?q=}: the first hits; {@code more} when there were more than the limit. */
  record Search(String query, boolean more, List<EmployeeProfiles.Match> employees) {}

  /** {@code GET /api/v1/completeness}: the reconciliation's per-hour counts, and their sums. */
  record Completeness(Instant from, Instant to, Totals totals, List<Hour> hours) {}

  /** Sums over the hours of a {@link Completeness} answer. */
  record Totals(int hoursChecked, long sourceRows, long rejected, long inKafka, long repaired, long unrepaired,
                long inHudi, long notInHudi, long notInSource) {}

  /**
   * One ingest hour: rows written into Cassandra in it and where they are. {@code complete} when every
   * valid row is in Hudi and none is missing from Kafka.
   */
  record Hour(Instant hour, Instant checkedAt, long sourceRows, long rejected, long inKafka, long repaired,
              long unrepaired, long inHudi, long notInHudi, long notInSource, boolean complete) {}
}
