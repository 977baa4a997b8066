package org.activitypipeline.batch.schedule;

import java.util.Collection;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.activitypipeline.batch.job.BatchJob;

/** The jobs of this process by name. Immutable, thread-safe. */
final class JobCatalog {
  private final SortedMap<String, BatchJob> byName;

  private JobCatalog(SortedMap<String, BatchJob> byName) {
    this.byName = byName;
  }

  /** @throws IllegalArgumentException if two jobs share a name or a name is blank */
  static JobCatalog of(Collection<? extends BatchJob> jobs) {
    SortedMap<String, BatchJob> byName = new TreeMap<>();
    for (BatchJob job : jobs) {
      String name = Objects.requireNonNull(job, "job").name();
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("job " + job.getClass().getName() + " has a blank name");
      }
      BatchJob previous = byName.putIfAbsent(name, job);
      if (previous != null) {
        throw new IllegalArgumentException("two jobs are named '" + name + "': " + previous.getClass().getName()
            + " and " + job.getClass().getName());
      }
    }
    return new JobCatalog(byName);
  }

  /** @throws IllegalArgumentException naming the known jobs if there is no job {@code name} */
  BatchJob require(String name) {
    BatchJob job = byName.get(name);
    if (job == null) {
      throw new IllegalArgumentException("unknown job '" + name + "'; known jobs: " + knownNames());
    }
    return job;
  }

  boolean contains(String name) {
    return byName.containsKey(name);
  }

  Collection<String> names() {
    return byName.keySet();
  }

  String knownNames() {
    return byName.isEmpty() ? "(none)" : String.join(", ", byName.keySet());
  }
}
