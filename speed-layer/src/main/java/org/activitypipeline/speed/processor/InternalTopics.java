package org.activitypipeline.speed.processor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.activitypipeline.common.topic.TopicReadiness;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the topics the processor depends on before any thread starts: inputs and outputs must exist
 * (a missing one would be auto-created with the wrong layout), and the internal topics are created
 * with the partition counts the tasks rely on, or refused when they exist with other counts.
 */
final class InternalTopics {
  private static final Logger LOG = LoggerFactory.getLogger(InternalTopics.class);

  private InternalTopics() {
  }

  /** @return the number of raw-activities partitions (= enrich tasks) */
  static int ensure(Admin admin, ProcessorConfig cfg) throws InterruptedException {
    ProcessorConfig.TopicNames t = cfg.topics();
    List<String> required = List.of(t.cdcEmployees(), t.cdcDepartments(), t.rawActivities(), t.processedEmployees(),
        t.processedDepartments(), t.processedActivities(), t.hourlyAggregations(), t.dailyAggregations(),
        t.lateActivities(), t.deadLetters());
    Map<String, Integer> existing = describe(admin, required);
    // A topic created a moment ago may not be in every broker's metadata yet: look again briefly.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!existing.keySet().containsAll(required) && System.nanoTime() < deadline) {
      Thread.sleep(500);
      existing = describe(admin, required);
    }
    for (String name : required) {
      if (!existing.containsKey(name)) {
        throw new IllegalStateException("topic '" + name + "' does not exist; create the topics of docs/SCHEMAS.md"
            + " first (the local stack does)");
      }
    }
    int raw = existing.get(t.rawActivities());
    Map<String, NewTopic> internal = new HashMap<>();
    Optional<Short> rf = cfg.internalReplicationFactor() < 0 ? Optional.empty()
        : Optional.of(cfg.internalReplicationFactor());
    internal.put(t.windowPartials(), new NewTopic(t.windowPartials(), Optional.of(cfg.internalPartitions()), rf)
        .configs(Map.of("cleanup.policy", "delete", "retention.ms", String.valueOf(7L * 24 * 3600 * 1000))));
    internal.put(t.windowChangelog(), new NewTopic(t.windowChangelog(), Optional.of(cfg.internalPartitions()), rf)
        .configs(Map.of("cleanup.policy", "compact")));
    internal.put(t.enrichChangelog(), new NewTopic(t.enrichChangelog(), Optional.of(raw), rf)
        .configs(Map.of("cleanup.policy", "compact")));
    internal.put(t.cdcProgress(), new NewTopic(t.cdcProgress(), Optional.of(1), rf)
        .configs(Map.of("cleanup.policy", "compact")));
    Map<String, Integer> present = describe(admin, new ArrayList<>(internal.keySet()));
    List<NewTopic> toCreate = new ArrayList<>();
    for (NewTopic nt : internal.values()) {
      Integer have = present.get(nt.name());
      if (have == null) {
        toCreate.add(nt);
      } else if (have != nt.numPartitions()) {
        throw new IllegalStateException("internal topic '" + nt.name() + "' has " + have + " partitions, the processor"
            + " needs " + nt.numPartitions() + " (internal.partitions, or the raw-activities partition count)");
      }
    }
    if (!toCreate.isEmpty()) {
      try {
        admin.createTopics(toCreate).all().get(60, TimeUnit.SECONDS);
        LOG.info("event=internal_topics_created topics={}", toCreate.stream().map(NewTopic::name).toList());
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException("cannot create internal topics: " + e.getCause().getMessage(), e);
        }
      } catch (java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException("creating internal topics timed out", e);
      }
      // The threads write to them at once; a first write must not race the partitions' creation.
      TopicReadiness.await(admin, toCreate.stream().map(NewTopic::name).toList(), Duration.ofSeconds(60));
    }
    return raw;
  }

  private static Map<String, Integer> describe(Admin admin, List<String> names) throws InterruptedException {
    Map<String, Integer> out = new HashMap<>();
    Map<String, org.apache.kafka.common.KafkaFuture<TopicDescription>> futures =
        admin.describeTopics(names).topicNameValues();
    for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<TopicDescription>> e : futures.entrySet()) {
      try {
        out.put(e.getKey(), e.getValue().get(60, TimeUnit.SECONDS).partitions().size());
      } catch (ExecutionException ex) {
        if (!(ex.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
          throw new IllegalStateException("cannot describe topic '" + e.getKey() + "': " + ex.getCause().getMessage(),
              ex);
        }
      } catch (java.util.concurrent.TimeoutException ex) {
        throw new IllegalStateException("describing topic '" + e.getKey() + "' timed out (is Kafka up?)", ex);
      }
    }
    return out;
  }
}
