package org.activitypipeline.serving.batch;

import java.time.Instant;

/**
 * What the serving layer last saw of the lakehouse: the batch horizon and the newest completed
 * Hudi instant of each table it reads. Cached batch data is keyed by it, so a change (a views
 * commit, a new horizon) makes every older cache entry unreachable at once, with no race against
 * a load that was in flight.
 *
 * @param horizon windows ending at or before this are served from the batch views; null before the first views run
 * @param horizonComputedAt when the views job wrote the horizon (null without one)
 * @param hourlyInstant newest completed instant of {@code hourly_activity_agg} (null: no table yet)
 * @param dailyInstant newest completed instant of {@code daily_device_agg}
 * @param ingestInstant newest completed instant of {@code employee_activity} (the last batch ingest commit)
 */
public record LakehouseSnapshot(Instant horizon, Instant horizonComputedAt, String hourlyInstant, String dailyInstant,
                                String ingestInstant) {

  public static final LakehouseSnapshot EMPTY = new LakehouseSnapshot(null, null, null, null, null);
}
