package org.activitypipeline.common.topic;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Waits until topics created a moment ago take writes: every partition answers at its leader.
 *
 * <p>Why: an idempotent or transactional producer that sends to a partition the broker has not made
 * yet can lose the race (KAFKA-15591, seen here with broker and clients 4.3): its first request fails
 * with NOT_LEADER_OR_FOLLOWER, a later one is appended, and every retry of the first then fails with
 * OUT_OF_ORDER_SEQUENCE_NUMBER until the delivery timeout drops it, although the topic's metadata
 * already names the leader. ListOffsets is answered by the partition's leader itself, so it succeeds
 * only once the partition is really there. Needs kafka-clients on the class path (an optional
 * dependency of this module).
 */
public final class TopicReadiness {
  private static final long RETRY_MILLIS = 100;

  private TopicReadiness() {
  }

  /**
   * Creates {@code topics} and returns once every partition of them takes writes ({@link #await}):
   * the way to make a topic that is written to at once.
   *
   * @throws IllegalStateException naming the topics, when the broker refuses to create them (for
   *     example, one exists already) or does not serve them within {@code timeout}
   */
  public static void create(Admin admin, Collection<NewTopic> topics, Duration timeout) throws InterruptedException {
    List<String> names = topics.stream().map(NewTopic::name).toList();
    try {
      admin.createTopics(topics).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("topics " + names + " cannot be created: " + e.getCause().getMessage(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("topics " + names + " not created within " + timeout.toSeconds() + " s", e);
    }
    await(admin, names, timeout);
  }

  /**
   * Returns once every partition of {@code topics} answers at its leader.
   *
   * @throws IllegalStateException naming the topics, when they are not served within {@code timeout}
   *     or the broker answers with an error that retrying cannot fix (e.g. not authorized)
   */
  public static void await(Admin admin, Collection<String> topics, Duration timeout) throws InterruptedException {
    if (topics.isEmpty()) {
      return;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    Throwable last = null;
    while (true) {
      long leftMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
      try {
        Map<String, TopicDescription> described =
            admin.describeTopics(topics).allTopicNames().get(leftMillis, TimeUnit.MILLISECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        described.forEach((name, d) -> d.partitions()
            .forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        admin.listOffsets(latest).all().get(leftMillis, TimeUnit.MILLISECONDS);
        return;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof RetriableException)) {
          throw new IllegalStateException("topics " + topics + " cannot be read: " + e.getCause().getMessage(),
              e.getCause());
        }
        last = e.getCause();
      } catch (TimeoutException e) {
        last = e;
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new IllegalStateException("topics " + topics + " not served by their partition leaders within "
            + timeout.toSeconds() + " s: " + last, last);
      }
      Thread.sleep(RETRY_MILLIS);
    }
  }
}
