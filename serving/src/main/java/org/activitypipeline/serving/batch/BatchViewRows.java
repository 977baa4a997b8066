package org.activitypipeline.serving.batch;

import java.time.Instant;
import java.time.LocalDate;
import org.activitypipeline.lakehouse.DailyDeviceAggRow;
import org.activitypipeline.lakehouse.HourlyActivityAggRow;
import org.activitypipeline.serving.lambda.DailyWindow;
import org.activitypipeline.serving.lambda.HourlyWindow;
import org.activitypipeline.serving.lambda.Source;
import org.apache.avro.generic.GenericRecord;

/** Rows of the batch-view tables as API windows (batch windows are complete: final by definition). */
final class BatchViewRows {
  private BatchViewRows() {}

  static HourlyWindow hourly(GenericRecord record) {
    HourlyActivityAggRow r = HourlyActivityAggRow.fromAvro(record);
    return new HourlyWindow(r.department(), r.activityType(), Instant.ofEpochMilli(r.windowStartMs()),
        Instant.ofEpochMilli(r.windowEndMs()), r.eventCount(), r.uniqueEmployees(), r.totalDurationSeconds(),
        r.avgDurationSeconds(), Instant.ofEpochMilli(r.firstEventTimeMs()), Instant.ofEpochMilli(r.lastEventTimeMs()),
        true, Source.BATCH);
  }

  static DailyWindow daily(GenericRecord record) {
    DailyDeviceAggRow r = DailyDeviceAggRow.fromAvro(record);
    return new DailyWindow(r.deviceType(), LocalDate.parse(r.eventDate()), r.eventCount(), r.uniqueEmployees(),
        r.countsByActivityType(), true, Source.BATCH);
  }
}
