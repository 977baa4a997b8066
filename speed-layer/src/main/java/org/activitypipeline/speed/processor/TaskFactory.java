package org.activitypipeline.speed.processor;

import java.util.function.Consumer;
import org.activitypipeline.speed.employees.EmployeeEventRedaction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import java.time.Clock;
import org.activitypipeline.speed.employees.DepartmentTask;
import org.activitypipeline.speed.employees.EmployeeChangeMapper;
import org.activitypipeline.speed.employees.EmployeeDirectory;
import org.activitypipeline.speed.employees.EmployeeDirectoryReader;
import org.activitypipeline.speed.employees.EmployeeTask;
import org.activitypipeline.speed.enrich.EnrichTask;
import org.activitypipeline.speed.window.WindowTask;
import org.apache.kafka.common.TopicPartition;

/** Builds the task for an assigned input partition, with its state restored. Thread-safe. */
final class TaskFactory {
  private final ProcessorConfig cfg;
  private final EmployeeDirectory directory;
  private final EmployeeDirectoryReader directoryReader;
  private final EmployeeChangeMapper employeeMapper;
  private final EmployeeEventRedaction employeeRedaction;
  private final EnrichTask.Settings enrichSettings;
  private final WindowTask.Topics windowTopics;
  private final Clock clock;

  /**
   * @param unlistedColumns told each column of an employee change the column policy does not list
   *     (called from every stream thread)
   */
  TaskFactory(ProcessorConfig cfg, EmployeeDirectory directory, EmployeeDirectoryReader directoryReader,
              int rawPartitions, Consumer<String> unlistedColumns, Clock clock) {
    this.cfg = cfg;
    this.clock = clock;
    this.directory = directory;
    this.directoryReader = directoryReader;
    this.employeeMapper = new EmployeeChangeMapper(cfg.salaryBands(), cfg.columnPolicy(), unlistedColumns);
    this.employeeRedaction = new EmployeeEventRedaction(cfg.columnPolicy());
    ProcessorConfig.TopicNames t = cfg.topics();
    this.enrichSettings = new EnrichTask.Settings(t.processedActivities(), t.lateActivities(), t.windowPartials(),
        cfg.internalPartitions(), t.enrichChangelog(), rawPartitions, cfg.windowAllowedLateness().toMillis(),
        cfg.maxOutOfOrderness().toMillis(), cfg.unknownEmployeeWait().toMillis(), cfg.cdcWait().toMillis(),
        cfg.maxFutureSkew().toMillis(), cfg.idleTimeout().toMillis());
    this.windowTopics = new WindowTask.Topics(t.hourlyAggregations(), t.dailyAggregations(), t.windowChangelog());
  }

  Task create(TopicPartition tp, ChangelogReader changelogs) {
    ProcessorConfig.TopicNames t = cfg.topics();
    String topic = tp.topic();
    if (topic.equals(t.rawActivities())) {
      return EnrichTask.restore(enrichSettings, tp.partition(), directory, changelogs, clock);
    }
    if (topic.equals(t.windowPartials())) {
      return WindowTask.restore(windowTopics, tp.partition(), cfg.windowAllowedLateness().toMillis(), changelogs);
    }
    // The LSN dedupe needs everything earlier owners of this partition committed.
    directoryReader.awaitCaughtUp(cfg.restoreTimeout());
    if (topic.equals(t.cdcEmployees())) {
      return new EmployeeTask(employeeMapper, directory, t.processedEmployees(), t.cdcProgress(),
          cfg.unknownEmployeeWait().toMillis(), clock::millis);
    }
    if (topic.equals(t.cdcDepartments())) {
      return new DepartmentTask(directory, t.processedDepartments(), t.cdcProgress());
    }
    throw new IllegalStateException("no task for topic " + topic);
  }

  /** What a dead letter carries of a record: its value, less what may not leave the speed layer. */
  record DeadLetterValue(byte[] value, String removed) {
  }

  /** Whether records of {@code topic} hold personal data the column policy governs (the raw employee events). */
  boolean carriesPersonalData(String topic) {
    return topic.equals(cfg.topics().cdcEmployees());
  }

  /** The value a dead letter of {@code record} carries: employee events without the columns not published as they are. */
  DeadLetterValue deadLetterValue(ConsumerRecord<byte[], byte[]> record) {
    if (!carriesPersonalData(record.topic())) {
      return new DeadLetterValue(record.value(), null);
    }
    EmployeeEventRedaction.Redacted r = employeeRedaction.redact(record.value());
    return new DeadLetterValue(r.value(), r.removed());
  }
}
