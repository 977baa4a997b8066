package org.activitypipeline.speed.processor;

/**
 * A task produced a record larger than Kafka takes from this producer. Sent, it would fail the
 * transaction and every retry of it, stalling the partition; instead the input record that produced it
 * is dead-lettered with this message and processing goes on.
 */
final class OversizedOutputException extends RuntimeException {
  OversizedOutputException(String topic, int bytes, int maxBytes) {
    super("the " + topic + " record it produced is " + bytes + " bytes, more than the " + maxBytes
        + " bytes a record may have (kafka.producer.max.request.size)");
  }
}
