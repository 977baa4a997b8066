package org.activitypipeline.batch.schedule;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Collects the runs a node reports. */
final class RecordingListener implements JobScheduler.Listener {
  final List<String> finished = new CopyOnWriteArrayList<>();
  final List<String> failures = new CopyOnWriteArrayList<>();

  @Override
  public void finished(String job, Duration duration) {
    finished.add(job);
  }

  @Override
  public void failed(String job, Duration duration, Throwable error) {
    failures.add(job + ": " + error);
  }

  long finishedCount(String job) {
    return finished.stream().filter(job::equals).count();
  }

  long failedCount(String job) {
    return failures.stream().filter(f -> f.startsWith(job + ": ")).count();
  }
}
