package org.activitypipeline.speed.window;

/** The two aggregations of DESIGN §4. */
public enum WindowKind {
  /** One UTC hour of a department and activity type: {@code hourly-activity-aggregations}. */
  HOURLY,
  /** One UTC day of a device type: {@code daily-device-aggregations}. */
  DAILY
}
