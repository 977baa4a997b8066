package org.activitypipeline.bench.processor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.activitypipeline.common.topic.TopicReadiness;
import org.activitypipeline.localstack.LocalStack;
import org.activitypipeline.localstack.ServerKind;
import org.activitypipeline.localstack.junit.WithLocalStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * A group that committed "last record + 1" is caught up on a transactional topic whose tail is an
 * aborted transaction (markers only), and not caught up while a committed record is left to read.
 */
@WithLocalStack(ServerKind.KAFKA)
class OffsetProgressIT {
  @Test
  void abortedTransactionAtTheTailIsNothingLeftToRead(LocalStack stack) throws Exception {
    String bootstrap = stack.connectionProperties().get("kafka.bootstrap.servers");
    String topic = "it-progress-" + UUID.randomUUID();
    String group = "it-progress-group-" + UUID.randomUUID();
    TopicPartition tp = new TopicPartition(topic, 0);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
        OffsetProgress progress = new OffsetProgress(admin, bootstrap)) {
      TopicReadiness.create(admin, List.of(new NewTopic(topic, 1, (short) 1)), Duration.ofMinutes(1));
      try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
          "transactional.id", "it-progress-" + topic), new ByteArraySerializer(), new ByteArraySerializer())) {
        p.initTransactions();
        p.beginTransaction();
        p.send(new ProducerRecord<>(topic, 0, null, new byte[] {1})); // offset 0, then its commit marker (1)
        p.commitTransaction();
        p.beginTransaction();
        p.send(new ProducerRecord<>(topic, 0, null, new byte[] {2})); // offset 2, aborted; abort marker (3)
        p.flush();
        p.abortTransaction();

        admin.alterConsumerGroupOffsets(group, Map.of(tp, new OffsetAndMetadata(1))).all().get();
        assertTrue(progress.caughtUp(group, List.of(topic), 1), "only markers and an aborted record follow offset 1");
        assertFalse(progress.caughtUp(group, List.of(topic), 0), "without a slack the end offset is the rule");

        p.beginTransaction();
        p.send(new ProducerRecord<>(topic, 0, null, new byte[] {3})); // offset 4, committed: left to read
        p.commitTransaction();
        assertFalse(progress.caughtUp(group, List.of(topic), 1), "a committed record follows offset 1");
      }
    }
  }
}
