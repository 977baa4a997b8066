package org.activitypipeline.batch.schedule;

import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.activitypipeline.batch.job.BatchJob;
import org.activitypipeline.common.config.ConfigException;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.simpl.SimpleJobFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of the batch layer's Quartz cluster: a JDBC job store on PostgreSQL shared by every node
 * with the same {@link SchedulerSettings#schedulerName()}. Each fire runs on exactly one node, a job
 * never overlaps itself anywhere in the cluster, and when a node dies (no check-in for
 * {@code clusterCheckinInterval} + 7.5 s) another node takes over its triggers and re-runs the jobs
 * it was running (jobs are idempotent, see {@link BatchJob}).
 *
 * <p>Lifecycle NEW → STARTED → CLOSED, one way; {@link #start()} and {@link #close} are synchronized.
 * A failing job is logged, counted and retried at its next fire; it never stops the scheduler.
 */
public final class JobScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobScheduler.class);
  private static final AtomicInteger DATA_SOURCE_SEQ = new AtomicInteger();

  /** Told about every run of this node. Called on the worker thread; must be quick and thread-safe. */
  public interface Listener {
    Listener NONE = new Listener() {
      @Override
      public void finished(String job, Duration duration) {}

      @Override
      public void failed(String job, Duration duration, Throwable error) {}
    };

    void finished(String job, Duration duration);

    void failed(String job, Duration duration, Throwable error);
  }

  private enum State { NEW, STARTED, CLOSED }

  private final SchedulerSettings settings;
  private final JobRunner runner;
  private State state = State.NEW;
  private Scheduler quartz;

  public JobScheduler(SchedulerSettings settings, Collection<? extends BatchJob> jobs) {
    this(settings, jobs, Listener.NONE);
  }

  /**
   * Validates only; nothing connects before {@link #start()}.
   *
   * @throws IllegalArgumentException if two jobs share a name
   * @throws ConfigException if a cron is configured for a job that does not exist
   */
  public JobScheduler(SchedulerSettings settings, Collection<? extends BatchJob> jobs, Listener listener) {
    this.settings = settings;
    JobCatalog catalog = JobCatalog.of(jobs);
    for (String name : settings.cronByJob().keySet()) {
      if (!catalog.contains(name)) {
        throw new ConfigException(SchedulerSettings.cronKey(name), "Config key '" + SchedulerSettings.cronKey(name)
            + "' schedules an unknown job; known jobs: " + catalog.knownNames());
      }
    }
    this.runner = new JobRunner(catalog, listener);
  }

  /**
   * Connects, makes the stored jobs and triggers match the configuration (see
   * {@link ScheduleReconciler}) and starts firing. If anything fails, what was built is shut down.
   *
   * @throws IllegalStateException if called twice or after close
   * @throws SchedulerException if the job store is unreachable or inconsistent
   */
  public synchronized void start() throws SchedulerException {
    if (state != State.NEW) {
      throw new IllegalStateException("scheduler is " + state.name().toLowerCase(Locale.ROOT) + "; it starts once");
    }
    // Unique per instance: Quartz keeps pools in a JVM-wide registry by name and closes "its" pool on shutdown.
    String dataSource = "batchJobStore" + DATA_SOURCE_SEQ.incrementAndGet();
    Scheduler s = newQuartzScheduler(QuartzProperties.of(settings, dataSource));
    try {
      // No bean-property injection into the adapter (Quartz's default factory would try it).
      s.setJobFactory(new SimpleJobFactory());
      s.getContext().put(QuartzJobAdapter.RUNNER_KEY, runner);
      new ScheduleReconciler(s).reconcile(runner.catalog(), settings.cronByJob());
      s.start();
    } catch (SchedulerException | RuntimeException e) {
      shutdownQuietly(s);
      state = State.CLOSED;
      throw e;
    }
    quartz = s;
    state = State.STARTED;
    LOG.info("event=scheduler_started scheduler={} instance={} threads={} jobs={} scheduled={}",
        settings.schedulerName(), s.getSchedulerInstanceId(), settings.threadCount(),
        runner.catalog().names().size(), settings.cronByJob().size());
  }

  /**
   * Fires a job now, on whichever node acquires it first; it still never overlaps a running one.
   *
   * @throws IllegalArgumentException if there is no such job
   * @throws IllegalStateException if the scheduler is not started
   */
  public synchronized void triggerNow(String job) throws SchedulerException {
    runner.catalog().require(job);
    if (state != State.STARTED) {
      throw new IllegalStateException("scheduler is " + state.name().toLowerCase(Locale.ROOT));
    }
    quartz.triggerJob(JobKey.jobKey(job, ScheduleReconciler.GROUP));
  }

  /** Whether this node is started and firing triggers (for /health). */
  public synchronized boolean isRunning() {
    try {
      return state == State.STARTED && quartz != null && quartz.isStarted() && !quartz.isShutdown();
    } catch (SchedulerException e) {
      return false;
    }
  }

  /** Graceful: waits for the running jobs of this node to finish, however long they take. */
  @Override
  public void close() {
    close(true);
  }

  /**
   * Stops firing on this node and releases its connections. Idempotent.
   *
   * @param waitForJobs whether to wait for the running jobs; without waiting they are abandoned
   *     mid-run and, as after a crash, another node re-runs them once this one is declared dead
   */
  public synchronized void close(boolean waitForJobs) {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    if (quartz == null) {
      return;
    }
    LOG.info("event=scheduler_stopping scheduler={} wait_for_jobs={}", settings.schedulerName(), waitForJobs);
    try {
      quartz.shutdown(waitForJobs);
      LOG.info("event=scheduler_stopped scheduler={}", settings.schedulerName());
    } catch (SchedulerException e) {
      LOG.error("event=scheduler_stop_failed scheduler={} error=\"{}\"", settings.schedulerName(), e.getMessage(), e);
    }
  }

  /**
   * Quartz keeps a JVM-wide registry of schedulers by name, and {@code getScheduler()} hands back the
   * registered one if there is one: a second node of the same cluster in this JVM (tests, an
   * in-process restart) would silently share the first one's scheduler. Removing it right after
   * creation keeps every JobScheduler independent; the lock makes create-and-remove atomic.
   */
  private static Scheduler newQuartzScheduler(Properties properties) throws SchedulerException {
    synchronized (JobScheduler.class) {
      Scheduler s = new StdSchedulerFactory(properties).getScheduler();
      SchedulerRepository.getInstance().remove(s.getSchedulerName());
      return s;
    }
  }

  private static void shutdownQuietly(Scheduler s) {
    try {
      s.shutdown(false);
    } catch (SchedulerException | RuntimeException e) {
      LOG.warn("event=scheduler_stop_failed error=\"{}\"", e.getMessage(), e);
    }
  }
}
