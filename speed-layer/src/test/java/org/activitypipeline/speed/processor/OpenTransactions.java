package org.activitypipeline.speed.processor;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.activitypipeline.speed.testing.SpeedLayerProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;

/**
 * Puts a processor's threads in a known transaction state, as the broker's transaction coordinator
 * sees it ({@code describeTransactions}), so a failure can be made to land inside an open
 * transaction every time instead of by luck of timing.
 */
final class OpenTransactions {
  private static final int ATTEMPTS = 60;

  private OpenTransactions() {}

  /**
   * Suspends {@code process} (SIGSTOP) at a moment when every one of {@code transactionalIds} has an
   * ongoing transaction with partitions in it, and returns those transactions. The process stays
   * suspended; the caller resumes it.
   *
   * <p>A commit the process had already written to its socket still reaches the broker after the
   * stop, so a transaction counts as frozen open only when two reads 300 ms apart see the same ongoing
   * transaction.
   */
  static Map<String, TransactionDescription> freezeInside(SpeedLayerProcess process, Admin admin,
                                                          List<String> transactionalIds) throws Exception {
    Map<String, TransactionDescription> last = Map.of();
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      process.suspend();
      Thread.sleep(300);
      last = describe(admin, transactionalIds);
      if (allOngoing(last)) {
        Thread.sleep(300);
        Map<String, TransactionDescription> again = describe(admin, transactionalIds);
        if (allOngoing(again) && sameTransactions(last, again)) {
          System.out.printf("frozen inside open transactions after %d attempt(s): %s%n", attempt, again);
          return again;
        }
      }
      process.resume();
      Thread.sleep(50L * (attempt % 5));
    }
    throw new AssertionError("no moment with a transaction open in every thread in " + ATTEMPTS + " tries; last: " + last);
  }

  /**
   * Suspends {@code process} (SIGSTOP) at a moment when {@code transactionalId}'s transaction is
   * ongoing and already holds the consumer offsets ({@code sendOffsetsToTransaction} done, commit not
   * yet sent): the narrow window a stall must hit for the transaction to commit after the group has
   * moved on. Tries many short freezes; each that misses is let go at once. The process stays
   * suspended; the caller resumes it.
   */
  static TransactionDescription freezeAfterOffsetsSent(SpeedLayerProcess process, Admin admin, String transactionalId,
                                                       Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    java.util.Random random = new java.util.Random(17);
    int attempt = 0;
    TransactionDescription last = null;
    while (System.nanoTime() < deadline) {
      attempt++;
      process.suspend();
      last = describe(admin, List.of(transactionalId)).get(transactionalId);
      if (holdsOffsets(last)) {
        Thread.sleep(300);
        TransactionDescription again = describe(admin, List.of(transactionalId)).get(transactionalId);
        if (holdsOffsets(again) && sameTransactions(Map.of(transactionalId, last), Map.of(transactionalId, again))) {
          System.out.printf("frozen after the offsets were sent, attempt %d: %s%n", attempt, again);
          return again;
        }
      }
      process.resume();
      Thread.sleep(random.nextInt(40));
    }
    throw new AssertionError("no freeze between sendOffsetsToTransaction and the commit in " + attempt
        + " tries within " + limit + "; last: " + last);
  }

  private static boolean holdsOffsets(TransactionDescription d) {
    return d.state() == TransactionState.ONGOING
        && d.topicPartitions().stream().anyMatch(tp -> tp.topic().equals("__consumer_offsets"));
  }

  /**
   * Waits until the coordinator has aborted every transaction of {@code open} (the same producer id:
   * aborted by the coordinator itself, as after a timeout), and fails at once if one was committed.
   */
  static void awaitAborted(Admin admin, Map<String, TransactionDescription> open, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    Map<String, TransactionDescription> now = Map.of();
    while (System.nanoTime() < deadline) {
      try {
        now = describe(admin, List.copyOf(open.keySet()));
      } catch (ExecutionException | TimeoutException e) {
        Thread.sleep(500); // the restarted broker is still loading the transaction log
        continue;
      }
      boolean allAborted = true;
      for (Map.Entry<String, TransactionDescription> e : open.entrySet()) {
        TransactionDescription d = now.get(e.getKey());
        if (d.producerId() != e.getValue().producerId()) {
          throw new AssertionError(e.getKey() + ": another producer took over while the process was frozen: " + d);
        }
        if (d.state() == TransactionState.PREPARE_COMMIT || d.state() == TransactionState.COMPLETE_COMMIT) {
          throw new AssertionError(e.getKey() + ": the transaction open at the crash was committed: " + d);
        }
        allAborted &= d.state() == TransactionState.PREPARE_ABORT || d.state() == TransactionState.COMPLETE_ABORT;
      }
      if (allAborted) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the coordinator did not abort the open transactions within " + limit + ": " + now);
  }

  private static Map<String, TransactionDescription> describe(Admin admin, List<String> ids) throws Exception {
    return admin.describeTransactions(ids).all().get(30, TimeUnit.SECONDS);
  }

  private static boolean allOngoing(Map<String, TransactionDescription> described) {
    return described.values().stream()
        .allMatch(d -> d.state() == TransactionState.ONGOING && !d.topicPartitions().isEmpty());
  }

  private static boolean sameTransactions(Map<String, TransactionDescription> a, Map<String, TransactionDescription> b) {
    for (Map.Entry<String, TransactionDescription> e : a.entrySet()) {
      TransactionDescription x = e.getValue();
      TransactionDescription y = b.get(e.getKey());
      if (y == null || x.producerId() != y.producerId() || x.producerEpoch() != y.producerEpoch()
          || !x.transactionStartTimeMs().equals(y.transactionStartTimeMs())) {
        return false;
      }
    }
    return true;
  }
}
