package org.activitypipeline.generators.activities;

import java.time.Instant;
import java.util.UUID;

/**
 * One activity row the generator wrote to {@code activity.employee_activity}.
 *
 * @param activityId the row's time-based (version 1) UUID, made when the row was sent
 * @param employeeId who did it
 * @param eventTime when it happened ({@code event_time}); always before {@code writeTime} on the real
 *     clock (time scale 1), otherwise before the scaled event clock at {@code writeTime}
 * @param writeTime the timestamp of {@code activityId} (millisecond precision); its hour is the row's
 *     {@code ingest_hour}
 * @param late whether the event was generated as a late upload (minutes to hours of event time before
 *     its write)
 */
public record WrittenActivity(UUID activityId, long employeeId, Instant eventTime, Instant writeTime, boolean late) {
}
