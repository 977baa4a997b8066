package org.activitypipeline.bench.speed;

import java.util.BitSet;
import java.util.Map;

/**
 * Window values computed directly from an {@link Input}, each computed once: with every event, and
 * without the events that are truly late per partition or globally.
 */
final class References {
  private final Input in;
  private Map<String, WindowValue> hourlyAll;
  private Map<String, WindowValue> dailyAll;
  private Map<String, WindowValue> hourlyByPartition;
  private Map<String, WindowValue> dailyByPartition;
  private Map<String, WindowValue> hourlyGlobal;
  private Map<String, WindowValue> dailyGlobal;

  References(Input in) {
    this.in = in;
  }

  synchronized Map<String, WindowValue> hourlyAll() {
    return hourlyAll != null ? hourlyAll : (hourlyAll = WindowValue.referenceHourly(in, new BitSet()));
  }

  synchronized Map<String, WindowValue> dailyAll() {
    return dailyAll != null ? dailyAll : (dailyAll = WindowValue.referenceDaily(in, new BitSet()));
  }

  synchronized Map<String, WindowValue> hourlyByPartition() {
    return hourlyByPartition != null ? hourlyByPartition
        : (hourlyByPartition = WindowValue.referenceHourly(in, in.lateHourlyByPartition));
  }

  synchronized Map<String, WindowValue> dailyByPartition() {
    return dailyByPartition != null ? dailyByPartition
        : (dailyByPartition = WindowValue.referenceDaily(in, in.lateDailyByPartition));
  }

  synchronized Map<String, WindowValue> hourlyGlobal() {
    return hourlyGlobal != null ? hourlyGlobal : (hourlyGlobal = WindowValue.referenceHourly(in, in.lateHourlyGlobal));
  }

  synchronized Map<String, WindowValue> dailyGlobal() {
    return dailyGlobal != null ? dailyGlobal : (dailyGlobal = WindowValue.referenceDaily(in, in.lateDailyGlobal));
  }
}
