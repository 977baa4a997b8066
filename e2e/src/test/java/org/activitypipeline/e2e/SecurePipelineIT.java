package org.activitypipeline.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.activitypipeline.common.json.Json;
import org.activitypipeline.lakehouse.Tables;
import org.activitypipeline.lakehouse.hudi.HudiSettings;
import org.activitypipeline.lakehouse.hudi.HudiTable;
import org.activitypipeline.localstack.LocalStack;
import org.activitypipeline.localstack.ServerKind;
import org.activitypipeline.localstack.junit.WithLocalStack;
import org.activitypipeline.localstack.testing.JarProcess;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The pipeline against the local broker's SASL_SSL listener (SCRAM-SHA-512 over TLS), each process a
 * Kafka user of its own with only the ACLs of {@link ProcessAcls} (the table of docs/SECURITY.md): a
 * new employee and its activities go through cdc, poller, processor, serving and the batch ingest, the
 * activities exactly once. A principal cannot touch topics outside its ACLs, and a process with a
 * wrong password stops at start with one line naming the setting. Runs after {@link EndToEndIT} (the
 * same stack and process names: the same deployment, restarted with security on).
 */
@WithLocalStack({ServerKind.POSTGRES, ServerKind.KAFKA, ServerKind.CASSANDRA, ServerKind.HDFS})
@Order(2)
class SecurePipelineIT {
  private static final List<String> USERS = List.of("cdc", "poller", "processor", "batch", "serving");
  final Path dir = Path.of("target", "e2e-secure").toAbsolutePath();
  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void eachProcessConnectsOverSaslSslWithOnlyItsAcls(LocalStack stack) throws Exception {
    Map<String, String> props = stack.connectionProperties();
    String plaintext = props.get("kafka.bootstrap.servers");
    String trustStore = props.get("kafka.secure.truststore");
    String trustPassword = props.get("kafka.secure.truststore.password");
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", plaintext))) {
      ProcessAcls.install(admin, USERS);
    }
    Map<String, String> secureStack = new HashMap<>(props);
    secureStack.put("kafka.bootstrap.servers", props.get("kafka.secure.bootstrap.servers"));
    try (Pipeline pipeline = new Pipeline(dir, secureStack)) {
      Map<String, String> userOf = Map.of("cdc", "cdc", "poller", "poller", "processor", "processor",
          "batch-layer", "batch", "serving", "serving");
      userOf.forEach((process, user) -> pipeline.extraConfig(process,
          ProcessAcls.clientSettings(user, ProcessAcls.password(user), trustStore, trustPassword)));
      pipeline.cdc();
      pipeline.processor();
      pipeline.poller();
      pipeline.serving();
      String base = "http://127.0.0.1:" + pipeline.servingPort;

      long employeeId = newEmployee(pipeline.postgresJdbc());
      EndToEndIT.await(Duration.ofMinutes(4), "employee " + employeeId + " is served", pipeline,
          () -> profile(base, employeeId) != null);

      long written;
      try (ActivityFeed feed = ActivityFeed.start(pipeline.cassandra(), List.of(employeeId), t -> t, 20, 17)) {
        EndToEndIT.await(Duration.ofMinutes(1), "activities are written", pipeline, () -> feed.written() >= 100);
        written = feed.stop();
      }
      long[] seen = {0};
      EndToEndIT.await(Duration.ofMinutes(3), "every activity enriched once", pipeline, () -> {
        seen[0] = enrichedActivities(plaintext, employeeId);
        return seen[0] >= written;
      }, () -> seen[0] + " of " + written + " enriched");
      assertEquals(written, enrichedActivities(plaintext, employeeId), "exactly once over SASL_SSL");
      EndToEndIT.await(Duration.ofMinutes(1), "the profile shows the activity", pipeline,
          () -> profile(base, employeeId).get("recent_activity").size() > 0);

      int exit = pipeline.batchRunOnce("batch-ingest", "ingest").runToEnd(600);
      assertEquals(0, exit, "the batch ingest over SASL_SSL:\n" + pipeline.process("batch-ingest").logTail());
      HudiTable employees = new HudiTable(Tables.EMPLOYEES, HudiSettings.forReading(pipeline.lakehouse(), Map.of()));
      assertTrue(employees.readAll().stream().anyMatch(r -> ((Long) r.get("employee_id")) == employeeId),
          "the new employee is in the Hudi employees table");

      assertAclsHoldOutsideTheirGrants(props.get("kafka.secure.bootstrap.servers"), trustStore, trustPassword);
      assertWrongPasswordStopsAtStart(pipeline, trustStore, trustPassword);

      for (String name : List.of("serving", "poller", "processor", "cdc")) {
        pipeline.process(name).stopCleanly(name);
      }
      for (String name : List.of("cdc", "poller", "processor", "serving", "batch-ingest")) {
        String log = pipeline.process(name).logText();
        assertTrue(!log.contains(ProcessAcls.password(userOf.getOrDefault(name, "batch"))),
            name + " never logs its password");
        // A missing ACL must fail here, not hide in a warning a retry papers over.
        assertEquals(List.of(), log.lines().filter(l -> l.contains("AuthorizationException")).toList(),
            name + " was refused nothing");
      }
    }
  }

  private static long newEmployee(String jdbc) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbc, "pipeline", "pipeline")) {
      long department;
      try (PreparedStatement st = c.prepareStatement("INSERT INTO departments (name, cost_center, location)"
          + " VALUES (?, 'CC-SEC', 'Zurich') RETURNING department_id")) {
        st.setString(1, "Secure " + System.nanoTime());
        try (ResultSet rs = st.executeQuery()) {
          rs.next();
          department = rs.getLong(1);
        }
      }
      try (PreparedStatement st = c.prepareStatement("INSERT INTO employees (first_name, last_name, email,"
          + " department_id, job_title, location, hire_date, salary) VALUES ('Sasl', 'Scram', ?, ?, 'Engineer',"
          + " 'Zurich', current_date, 91000) RETURNING employee_id")) {
        st.setString(1, "sasl.scram." + System.nanoTime() + "@example.com");
        st.setLong(2, department);
        try (ResultSet rs = st.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    }
  }

  private JsonNode profile(String base, long id) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/employees/" + id))
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? Json.mapper().readTree(r.body()) : null;
    } catch (java.io.IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** processed-activities records of the employee, committed ones, read through the stack's own listener. */
  private static long enrichedActivities(String plaintext, long employeeId) {
    Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, plaintext);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    byte[] key = Long.toString(employeeId).getBytes(StandardCharsets.UTF_8);
    long n = 0;
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> parts = c.partitionsFor("processed-activities").stream()
          .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          if (java.util.Arrays.equals(key, r.key())) {
            n++;
          }
        }
      }
    }
    return n;
  }

  /** serving may not write anything, the poller may not read the employees. */
  private static void assertAclsHoldOutsideTheirGrants(String secure, String trustStore, String trustPassword) {
    Map<String, Object> serving = new HashMap<>(ProcessAcls.clientSettingsWithoutPrefix("serving", trustStore,
        trustPassword));
    serving.put("bootstrap.servers", secure);
    serving.put("max.block.ms", 20_000);
    // Not idempotent: an idempotent producer is refused at the cluster (IdempotentWrite) before any topic.
    serving.put("enable.idempotence", false);
    serving.put("acks", "1");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(serving, new ByteArraySerializer(),
        new ByteArraySerializer())) {
      ExecutionException e = assertThrows(ExecutionException.class, () -> producer.send(new ProducerRecord<>(
          "processed-employees", "1".getBytes(StandardCharsets.UTF_8), new byte[] {'x'})).get());
      assertInstanceOf(TopicAuthorizationException.class, e.getCause(), "serving cannot write: " + e);
    }
    Map<String, Object> poller = new HashMap<>(ProcessAcls.clientSettingsWithoutPrefix("poller", trustStore,
        trustPassword));
    poller.put("bootstrap.servers", secure);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(poller, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      consumer.assign(List.of(new TopicPartition("processed-employees", 0)));
      consumer.seekToBeginning(consumer.assignment());
      assertThrows(TopicAuthorizationException.class, () -> {
        for (int i = 0; i < 40; i++) {
          consumer.poll(Duration.ofMillis(500));
        }
      }, "the poller cannot read the employees");
    }
  }

  private static void assertWrongPasswordStopsAtStart(Pipeline pipeline, String trustStore, String trustPassword)
      throws Exception {
    Map<String, String> processor = new LinkedHashMap<>(ProcessAcls.clientSettings("processor", "not-the-password",
        trustStore, trustPassword));
    processor.put("instance.id", "wrong-password");
    assertWrongPasswordStopsAtStart(pipeline.speedAs("processor-wrong-password", "processor", processor));
    Map<String, String> cdc = new LinkedHashMap<>(ProcessAcls.clientSettings("cdc", "not-the-password",
        trustStore, trustPassword));
    cdc.put("kafka.transactional.id", "speed-layer-cdc-wrong-password");
    assertWrongPasswordStopsAtStart(pipeline.speedAs("cdc-wrong-password", "cdc", cdc));
  }

  private static void assertWrongPasswordStopsAtStart(JarProcess wrong) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (wrong.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
    assertTrue(!wrong.isAlive(), "a wrong password is fatal at start, the process ends by itself:\n" + wrong.logTail());
    int exit = wrong.stop(10);
    assertNotEquals(0, exit, "and says so in its exit code:\n" + wrong.logTail());
    List<String> lines = wrong.logText().lines().filter(l -> l.contains("kafka.client.sasl.jaas.config")).toList();
    assertEquals(1, lines.size(), "one line names the setting:\n" + wrong.logTail());
    assertTrue(lines.get(0).contains("event=fatal"), lines.get(0));
    assertTrue(wrong.logText().lines().noneMatch(l -> l.startsWith("\tat ")), "no stack trace:\n" + wrong.logTail());
    assertTrue(!wrong.logText().contains("not-the-password"), "the password is never logged");
  }
}
