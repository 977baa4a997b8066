package org.activitypipeline.speed.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine.Offsets;
import io.debezium.engine.DebeziumEngine.RecordCommitter;
import io.debezium.engine.StopEngineException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.activitypipeline.common.event.CdcProgress;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KafkaBridgeTest {
  static final String TX_TOPIC = "cdc.transaction";
  static final String HEARTBEAT_TOPIC = "cdc.public.cdc_heartbeat";
  static final String EMPLOYEES = "cdc.public.employees";
  static final String DEPARTMENTS = "cdc.public.departments";

  MockProducer<String, String> producer;
  KafkaBridge bridge;
  CdcMetrics metrics;
  RecordingCommitter committer;

  @BeforeEach
  void setUp() {
    Node broker = new Node(0, "localhost", 9092);
    List<PartitionInfo> partitions = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      partitions.add(new PartitionInfo(EMPLOYEES, p, broker, new Node[] {broker}, new Node[] {broker}));
    }
    partitions.add(new PartitionInfo(DEPARTMENTS, 0, broker, new Node[] {broker}, new Node[] {broker}));
    Cluster cluster = new Cluster("c", List.of(broker), partitions, Set.of(), Set.of());
    producer = new MockProducer<>(cluster, true, null, new StringSerializer(), new StringSerializer());
    producer.initTransactions();
    metrics = new CdcMetrics(new SimpleMeterRegistry(), Clock.systemUTC());
    bridge = new KafkaBridge(producer, TX_TOPIC, HEARTBEAT_TOPIC, List.of(EMPLOYEES, DEPARTMENTS), "dlq", 1000,
        metrics);
    committer = new RecordingCommitter(producer);
  }

  @Test
  void batchIsOneTransactionAndAcknowledgedOnlyAfterCommit() throws Exception {
    List<ChangeEvent<String, String>> batch = List.of(
        change("cdc.public.employees", "{\"employee_id\":1}", 100),
        change("cdc.public.employees", "{\"employee_id\":2}", 101),
        change("cdc.public.departments", "{\"department_id\":7}", 102));
    bridge.handleBatch(batch, committer);

    assertEquals(1, producer.commitCount());
    assertEquals(3, producer.history().size());
    assertEquals(List.of("cdc.public.employees", "cdc.public.employees", "cdc.public.departments"),
        producer.history().stream().map(ProducerRecord::topic).toList(), "Debezium's order, destination topics");
    assertEquals(batch, committer.processed);
    assertTrue(committer.everyAckAfterCommit, "markProcessed only after commitTransaction");
    assertTrue(committer.batchFinished);
    assertEquals(102, metrics.lastLsn());
  }

  @Test
  void everyForwardedRecordCarriesItsLsnHeaderAndKey() throws Exception {
    bridge.handleBatch(List.of(change("cdc.public.employees", "{\"employee_id\":1}", 123456789L)), committer);
    ProducerRecord<String, String> sent = producer.history().get(0);
    assertEquals("{\"employee_id\":1}", sent.key());
    assertEquals("123456789", new String(sent.headers().lastHeader(KafkaBridge.LSN_HEADER).value(),
        StandardCharsets.UTF_8));
  }

  @Test
  void heartbeatsAndTransactionMarkersAreAcknowledgedButNotSent() throws Exception {
    List<ChangeEvent<String, String>> batch = List.of(
        new FakeEvent("__debezium-heartbeat.cdc", "{\"serverName\":\"cdc\"}", "{\"ts_ms\":1}"),
        new FakeEvent(TX_TOPIC, "{\"id\":\"9:1\"}", "{\"status\":\"END\"}"),
        new FakeEvent(null, null, null));
    bridge.handleBatch(batch, committer);
    assertEquals(0, producer.history().size());
    assertEquals(0, producer.commitCount(), "no empty transactions");
    assertEquals(batch, committer.processed);
    assertTrue(committer.batchFinished);
  }

  @Test
  void aHeartbeatRowChangeBecomesProgressOnEveryPartitionAfterTheChangesBeforeIt() throws Exception {
    List<ChangeEvent<String, String>> batch = List.of(
        change(EMPLOYEES, "{\"employee_id\":1}", 100),
        new FakeEvent(HEARTBEAT_TOPIC, "{\"id\":1}", "{\"before\":null,\"after\":{\"id\":1},\"source\":"
            + "{\"lsn\":101,\"ts_ms\":1700000005000},\"op\":\"u\"}"),
        change(DEPARTMENTS, "{\"department_id\":7}", 102));
    bridge.handleBatch(batch, committer);

    assertEquals(1, producer.commitCount(), "one transaction with the changes");
    List<ProducerRecord<String, String>> sent = producer.history();
    assertEquals(6, sent.size(), "1 change, 3 + 1 progress records, 1 change");
    assertEquals(EMPLOYEES, sent.get(0).topic());
    assertEquals(List.of(EMPLOYEES + "-0", EMPLOYEES + "-1", EMPLOYEES + "-2", DEPARTMENTS + "-0"),
        sent.subList(1, 5).stream().map(r -> r.topic() + "-" + r.partition()).toList(),
        "progress goes to every partition explicitly, in the heartbeat's place in the order");
    for (ProducerRecord<String, String> r : sent.subList(1, 5)) {
      assertEquals(CdcProgress.KEY, r.key());
      assertEquals("1", new String(r.headers().lastHeader(CdcProgress.HEADER).value(), StandardCharsets.UTF_8));
      assertEquals(new CdcProgress(1700000005000L, 101), CdcProgress.fromJson(r.value().getBytes(StandardCharsets.UTF_8)));
    }
    assertEquals(DEPARTMENTS, sent.get(5).topic());
    assertEquals(null, sent.get(5).headers().lastHeader(CdcProgress.HEADER), "changes carry no progress header");
    assertFalse(sent.stream().anyMatch(r -> r.topic().equals(HEARTBEAT_TOPIC)), "the heartbeat row is not forwarded");
    assertEquals(batch, committer.processed);
    assertEquals(1700000005000L, metrics.lastProgressMillis());
    assertEquals(102, metrics.lastLsn(), "progress does not count as a change");
  }

  @Test
  void theSnapshotReadOfTheHeartbeatRowIsNoProgress() throws Exception {
    bridge.handleBatch(List.of(new FakeEvent(HEARTBEAT_TOPIC, "{\"id\":1}", "{\"after\":{\"id\":1},\"source\":"
        + "{\"lsn\":101,\"ts_ms\":1700000005000,\"snapshot\":\"true\"},\"op\":\"r\"}")), committer);
    assertEquals(0, producer.history().size(), "the snapshot of other tables may still follow it");
    assertTrue(committer.batchFinished);
  }

  @Test
  void aChangeTooLargeForKafkaGoesToTheDeadLetterTopicAsAReferenceWithoutItsValues() throws Exception {
    String big = "{\"before\":null,\"after\":{\"employee_id\":3,\"salary\":\"98765.00\",\"notes\":\""
        + "é".repeat(600) + "\"},\"source\":{\"lsn\":200,\"ts_ms\":1700000000000},\"op\":\"u\"}";
    List<ChangeEvent<String, String>> batch = List.of(change(EMPLOYEES, "{\"employee_id\":2}", 199),
        new FakeEvent(EMPLOYEES, "{\"employee_id\":3}", big), change(EMPLOYEES, "{\"employee_id\":4}", 201));
    bridge.handleBatch(batch, committer);
    List<ProducerRecord<String, String>> sent = producer.history();
    assertEquals(List.of(EMPLOYEES, "dlq", EMPLOYEES), sent.stream().map(ProducerRecord::topic).toList(),
        "the changes around it flow, in the same transaction");
    assertEquals(1, producer.commitCount());
    ProducerRecord<String, String> ref = sent.get(1);
    assertEquals("{\"employee_id\":3}", ref.key());
    assertFalse(ref.value().contains("98765"), "never the row's values: " + ref.value());
    assertTrue(ref.value().contains("\"lsn\":200") && ref.value().contains("\"op\":\"u\"")
        && ref.value().contains("\"value_bytes\":" + (big.length() + 600)), ref.value());
    assertTrue(new String(ref.headers().lastHeader("dlq.reason").value(), StandardCharsets.UTF_8)
        .contains("exceeds the 1000 bytes"));
    assertEquals("cdc", new String(ref.headers().lastHeader("dlq.stage").value(), StandardCharsets.UTF_8));
    assertEquals(batch, committer.processed, "acknowledged: cdc goes on past it");
    assertEquals(201, metrics.lastLsn());
  }

  @Test
  void aChangeThatFitsWithoutItsLargeBeforeImageIsSentWithoutIt() throws Exception {
    String value = "{\"before\":{\"employee_id\":3,\"notes\":\"" + "x".repeat(2000) + "\"},\"after\":"
        + "{\"employee_id\":3,\"notes\":\"short\"},\"source\":{\"lsn\":300,\"ts_ms\":1},\"op\":\"u\"}";
    bridge.handleBatch(List.of(new FakeEvent(EMPLOYEES, "{\"employee_id\":3}", value)), committer);
    ProducerRecord<String, String> sent = producer.history().get(0);
    assertEquals(EMPLOYEES, sent.topic());
    assertTrue(sent.value().contains("\"before\":null") && sent.value().contains("\"short\""), sent.value());
    assertEquals(Integer.toString(value.length()), new String(sent.headers()
        .lastHeader(KafkaBridge.BEFORE_OMITTED_HEADER).value(), StandardCharsets.UTF_8));
    assertEquals("300", new String(sent.headers().lastHeader(KafkaBridge.LSN_HEADER).value(), StandardCharsets.UTF_8));
  }

  @Test
  void kafkaFailureAbortsAcknowledgesNothingAndStopsTheEngine() {
    producer.commitTransactionException = new KafkaException("broker gone");
    var batch = List.of(change("cdc.public.employees", "{\"employee_id\":1}", 5));
    var e = assertThrows(KafkaBridge.BatchNotCommittedException.class, () -> bridge.handleBatch(batch, committer));
    assertFalse(EngineSupervisor.isFatal(e), "transient: the supervisor restarts the engine");
    assertTrue(producer.transactionAborted());
    assertTrue(committer.processed.isEmpty(), "an uncommitted batch must be read again");
    assertFalse(committer.batchFinished);
  }

  @Test
  void fencingIsFatal() {
    producer.fenceProducer();
    var batch = List.of(change("cdc.public.employees", "{\"employee_id\":1}", 5));
    var e = assertThrows(KafkaBridge.BatchNotCommittedException.class, () -> bridge.handleBatch(batch, committer));
    assertTrue(e.getCause() instanceof ProducerFencedException, e.toString());
    assertTrue(EngineSupervisor.isFatal(e));
    assertTrue(committer.processed.isEmpty());
  }

  @Test
  void aRefusedLoginOrHandshakeIsFatal() {
    assertTrue(EngineSupervisor.isFatal(new org.apache.kafka.common.KafkaException("init",
        new org.apache.kafka.common.errors.SaslAuthenticationException("invalid credentials"))));
    assertTrue(EngineSupervisor.isFatal(new org.apache.kafka.common.errors.SslAuthenticationException("handshake")));
    assertFalse(EngineSupervisor.isFatal(new org.apache.kafka.common.errors.TimeoutException("broker down")));
  }

  @Test
  void afterDrainNoBatchIsProcessed() throws Exception {
    assertTrue(bridge.drain(Duration.ofSeconds(1)));
    var batch = List.of(change("cdc.public.employees", "{\"employee_id\":1}", 5));
    assertThrows(StopEngineException.class, () -> bridge.handleBatch(batch, committer));
    assertEquals(0, producer.history().size());
    assertTrue(committer.processed.isEmpty());
  }

  @Test
  void producerKeysTheBridgeOwnsCannotBeOverridden() {
    assertTrue(KafkaBridge.ownerOfProducerKey("transactional.id") != null);
    assertTrue(KafkaBridge.ownerOfProducerKey("enable.idempotence") != null);
    assertEquals(null, KafkaBridge.ownerOfProducerKey("compression.type"));
  }

  static ChangeEvent<String, String> change(String topic, String key, long lsn) {
    return new FakeEvent(topic, key, "{\"before\":null,\"after\":{\"id\":1},\"source\":{\"connector\":\"postgresql\","
        + "\"lsn\":" + lsn + ",\"ts_ms\":1700000000000},\"op\":\"c\"}");
  }

  record FakeEvent(String destination, String key, String value) implements ChangeEvent<String, String> {
    @Override
    public Integer partition() {
      return null;
    }
  }

  /** Records acknowledgements and whether each came after the producer committed. */
  static final class RecordingCommitter implements RecordCommitter<ChangeEvent<String, String>> {
    final MockProducer<String, String> producer;
    final List<ChangeEvent<String, String>> processed = new ArrayList<>();
    boolean everyAckAfterCommit = true;
    boolean batchFinished;

    RecordingCommitter(MockProducer<String, String> producer) {
      this.producer = producer;
    }

    @Override
    public void markProcessed(ChangeEvent<String, String> record) {
      if (producer.transactionInFlight()) {
        everyAckAfterCommit = false;
      }
      processed.add(record);
    }

    @Override
    public void markBatchFinished() {
      batchFinished = true;
    }

    @Override
    public void markProcessed(ChangeEvent<String, String> record, Offsets offsets) {
      markProcessed(record);
    }

    @Override
    public Offsets buildOffsets() {
      throw new UnsupportedOperationException();
    }
  }
}
