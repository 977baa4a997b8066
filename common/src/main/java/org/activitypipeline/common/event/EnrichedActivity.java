package org.activitypipeline.common.event;

import java.time.Instant;

/**
 * An activity with the employee's attributes as known when it was processed
 * ({@code processed-activities}, keyed by employee id). When the employee was still unknown after
 * the bounded wait, {@link #employeeKnown} is false and the employee fields are null: the activity
 * is emitted anyway, never dropped.
 */
public record EnrichedActivity(
    int schemaVersion,
    Activity activity,
    boolean employeeKnown,
    Long departmentId,
    String departmentName,
    String jobTitle,
    String employeeLocation,
    String employeeStatus,
    Instant processedAt) implements Versioned {

  public static final int SCHEMA_VERSION = 1;
}
