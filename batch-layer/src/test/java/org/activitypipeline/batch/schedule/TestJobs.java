package org.activitypipeline.batch.schedule;

import java.util.concurrent.Callable;
import org.activitypipeline.batch.job.BatchJob;

/** BatchJobs made of a name and a body, for tests. */
final class TestJobs {
  private TestJobs() {}

  static BatchJob job(String name, Callable<String> body) {
    return new BatchJob() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String run() throws Exception {
        return body.call();
      }
    };
  }

  static BatchJob noop(String name) {
    return job(name, () -> "nothing to do");
  }
}
