package org.activitypipeline.batch.schedule;

import java.util.Properties;

/** The Quartz configuration of a clustered node with a JDBC job store on PostgreSQL. Pure. */
final class QuartzProperties {
  static final String TABLE_PREFIX = "QRTZ_";

  private QuartzProperties() {}

  /**
   * @param dataSourceName must be unique in the JVM: Quartz registers connection pools JVM-wide by
   *     this name and closes the pool of that name when a scheduler shuts down
   */
  static Properties of(SchedulerSettings s, String dataSourceName) {
    Properties p = new Properties();
    p.setProperty("org.quartz.scheduler.instanceName", s.schedulerName());
    p.setProperty("org.quartz.scheduler.instanceId", s.instanceId());
    p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
    p.setProperty("org.quartz.threadPool.threadCount", String.valueOf(s.threadCount()));

    p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
    p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
    p.setProperty("org.quartz.jobStore.dataSource", dataSourceName);
    p.setProperty("org.quartz.jobStore.tablePrefix", TABLE_PREFIX);
    p.setProperty("org.quartz.jobStore.isClustered", "true");
    p.setProperty("org.quartz.jobStore.clusterCheckinInterval", String.valueOf(s.clusterCheckinInterval().toMillis()));
    p.setProperty("org.quartz.jobStore.misfireThreshold", String.valueOf(s.misfireThreshold().toMillis()));
    // Nodes take the TRIGGER_ACCESS row lock to acquire triggers, so two nodes never acquire the same fire.
    p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
    // Job data is stored as string properties, not Java-serialised objects: no class-version coupling
    // between nodes of different builds (we only store the job name).
    p.setProperty("org.quartz.jobStore.useProperties", "true");

    String ds = "org.quartz.dataSource." + dataSourceName + ".";
    p.setProperty(ds + "provider", "hikaricp");
    p.setProperty(ds + "driver", "org.postgresql.Driver");
    p.setProperty(ds + "URL", s.jdbcUrl());
    p.setProperty(ds + "user", s.user());
    p.setProperty(ds + "password", s.password());
    // Each worker holds a connection while it completes its fire; the scheduler thread, the cluster
    // manager and the misfire handler need one each besides, or they queue behind busy workers.
    p.setProperty(ds + "maxConnections", String.valueOf(s.threadCount() + 3));
    // Handed to HikariDataSource.setPoolName: names the pool's threads and log lines.
    p.setProperty(ds + "poolName", "quartz-" + dataSourceName);
    return p;
  }
}
