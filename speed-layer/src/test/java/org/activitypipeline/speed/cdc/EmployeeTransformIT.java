package org.activitypipeline.speed.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.activitypipeline.common.event.CdcProgress;
import org.activitypipeline.common.event.ChangeOp;
import org.activitypipeline.common.event.EmployeeChange;
import org.activitypipeline.common.json.JsonCodec;
import org.activitypipeline.common.topic.Topics;
import org.activitypipeline.localstack.LocalStack;
import org.activitypipeline.localstack.ServerKind;
import org.activitypipeline.localstack.junit.WithLocalStack;
import org.activitypipeline.speed.employees.SalaryBands;
import org.activitypipeline.speed.processor.ProcessorTopics;
import org.activitypipeline.speed.testing.SpeedLayerProcess;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Real PostgreSQL changes through the real cdc process (Debezium's actual event format) into the
 * processor's employee transformer: after updates, department moves, salary changes, deletes, a
 * column added to the table and a kill -9 of the cdc in the middle of a burst (so Debezium sends
 * changes again), processed-employees holds exactly PostgreSQL's current state, once per change.
 */
@WithLocalStack({ServerKind.POSTGRES, ServerKind.KAFKA})
class EmployeeTransformIT {
  private static final Path WORK = Path.of("target", "employee-transform-it").toAbsolutePath();
  private static final JsonCodec<EmployeeChange> CODEC = JsonCodec.of(EmployeeChange.class, 1);

  @Test
  void processedEmployeesEqualPostgresAfterReplaysDeletesAndANewColumn(LocalStack stack) throws Exception {
    CdcTestStack t = new CdcTestStack(stack);
    String name = CdcTestStack.uniqueName("it_transform");
    ProcessorTopics topics = ProcessorTopics.create(t.bootstrap(), "transform");
    int metricsPort;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      metricsPort = free.getLocalPort();
    }
    List<Long> mine = new ArrayList<>();
    long deptA;
    long deptB;
    try (Connection c = t.app()) {
      deptA = EmployeeWrites.department(c, "Transform A " + name);
      deptB = EmployeeWrites.department(c, "Transform B " + name);
      for (int i = 0; i < 40; i++) {
        mine.add(EmployeeWrites.insert(c, name + "-" + i + "@example.com", deptA, "Engineer"));
      }
    }
    Map<String, String> cdcConfig = t.cdcSettings(name);
    cdcConfig.put("topic.prefix", topics.prefix + ".cdc"); // writes <prefix>.cdc.public.employees
    cdcConfig.put("snapshot.mode", "initial"); // every existing row once, then changes
    try (SpeedLayerProcess cdc = SpeedLayerProcess.of("cdc", WORK, name + "-cdc", cdcConfig);
        SpeedLayerProcess processor = SpeedLayerProcess.of("processor", WORK, name + "-processor",
            // The snapshot sends every employee (tens of thousands after the other cdc tests) before
            // any department: the transformer waits for the departments that long.
            topics.processorConfig("0", Map.of("enrich.unknown-employee.wait", "120s",
                // The column policy: desk is allowed; ssn, added below and listed nowhere, must be withheld.
                "employee.columns", "desk:allow", "metrics.port", Integer.toString(metricsPort))))) {
      cdc.start();
      processor.start();
      t.awaitSlotActive(name);
      // Change rows only once the snapshot is through (it reads the table while streaming starts; a
      // row it reads after a change would carry that change as a snapshot, not as an update).
      awaitKeys(t.bootstrap(), topics.topic(Topics.PROCESSED_EMPLOYEES), new HashSet<>(mine));
      try (Connection c = t.app(); Statement st = c.createStatement()) {
        for (int i = 0; i < 10; i++) {
          EmployeeWrites.setTitle(c, mine.get(i), "Senior Engineer");
        }
        st.executeUpdate("UPDATE employees SET department_id = " + deptB + " WHERE employee_id IN ("
            + mine.get(10) + "," + mine.get(11) + ")");
        st.executeUpdate("UPDATE employees SET salary = 151000 WHERE employee_id = " + mine.get(12));
        st.executeUpdate("UPDATE departments SET name = 'Transform B2 " + name + "' WHERE department_id = " + deptB);
        st.execute("ALTER TABLE employees ADD COLUMN IF NOT EXISTS desk TEXT");
        st.executeUpdate("UPDATE employees SET desk = 'D-' || employee_id WHERE employee_id IN (" + mine.get(13) + ","
            + mine.get(14) + ")");
        st.execute("ALTER TABLE employees ADD COLUMN IF NOT EXISTS ssn TEXT");
        st.executeUpdate("UPDATE employees SET ssn = '" + PLANTED_SSN + "-' || employee_id WHERE employee_id IN ("
            + mine.get(15) + "," + mine.get(16) + ")");
        for (int i = 30; i < 36; i++) {
          EmployeeWrites.delete(c, mine.get(i));
        }
      }
      // A burst of single-row transactions; the cdc is killed in the middle and restarted, so
      // Debezium sends what it had not yet confirmed again.
      try (Connection c = t.app()) {
        for (int round = 0; round < 30; round++) {
          for (int i = 0; i < 10; i++) {
            EmployeeWrites.setTitle(c, mine.get(20 + i), "Round " + round);
          }
          if (round == 12) {
            cdc.kill();
            cdc.start();
          }
        }
      }
      Map<Long, Expected> expected = postgresState(t);
      Set<Long> deleted = new HashSet<>(mine.subList(30, 36));
      // processed-employees carries the department's name as of the employee's last change: a rename
      // alone re-emits no employee (docs/SCHEMAS.md). The two moved employees changed around the rename.
      Set<String> renamed = Set.of("Transform B " + name, "Transform B2 " + name);
      expected.replaceAll((id, e) -> Objects.equals(e.departmentId(), deptB) ? e.withDepartmentName(null) : e);
      Output out = awaitMatch(t.bootstrap(), topics.topic(Topics.PROCESSED_EMPLOYEES), expected, deleted, deptB);
      for (long id : List.of(mine.get(10), mine.get(11))) {
        assertTrue(renamed.contains(out.latest.get(id).departmentName()), out.latest.get(id).departmentName());
      }
      assertTrue(out.duplicates.isEmpty(), "each (employee, LSN) once: " + out.duplicates);
      Map<String, Integer> inputDuplicates = countDuplicates(t.bootstrap(), topics.topic(Topics.CDC_EMPLOYEES));
      System.out.printf("employee transform: %d changes out, %d (employee, lsn) sent twice by the cdc and dropped%n",
          out.records, inputDuplicates.size());
      EmployeeChange raised = out.latest.get(mine.get(12));
      assertEquals(">=150k", raised.salaryBand());
      EmployeeChange withDesk = out.latest.get(mine.get(13));
      assertEquals("D-" + mine.get(13), withDesk.extraColumns().get("desk"), "the new column flows through");
      assertTrue(withDesk.changedFields().contains("desk"), "and is reported as changed: " + withDesk.changedFields());
      assertEquals("Transform A " + name, out.latest.get(mine.get(0)).departmentName());
      assertUnlistedColumnWithheld(t.bootstrap(), topics.topic(Topics.PROCESSED_EMPLOYEES), out, processor, metricsPort);
      assertEmployeeDeadLettersCarryNoProtectedColumn(t.bootstrap(), topics);
      processor.stopCleanly();
      cdc.stopCleanly();
    } finally {
      t.dropSlot(name);
    }
  }

  /** A value of the column the policy does not list: it must appear in no output. */
  private static final String PLANTED_SSN = "SSN-PLANTED-7731";
  /** A salary planted in hand-made, broken change events: the dead letters must not carry it. */
  private static final String PLANTED_SALARY = "987654.31";

  /** ssn (added to the table, listed nowhere) is in no processed-employees record; its name is logged and counted. */
  private static void assertUnlistedColumnWithheld(String bootstrap, String topic, Output out, SpeedLayerProcess processor,
                                                  int metricsPort) throws Exception {
    for (EmployeeChange e : out.latest.values()) {
      assertTrue(!e.extraColumns().containsKey("ssn") && !e.changedFields().contains("ssn"), e.toString());
    }
    try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap, topic)) {
      long records = 0;
      Map<TopicPartition, Long> end = c.endOffsets(c.assignment());
      while (end.entrySet().stream().anyMatch(e -> c.position(e.getKey()) < e.getValue())) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(300))) {
          records++;
          String value = r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8);
          assertTrue(!value.contains(PLANTED_SSN) && !value.contains("\"ssn\""), value);
        }
      }
      assertTrue(records >= out.records, "read the whole topic: " + records);
    }
    assertTrue(processor.logText().contains("event=unlisted_column column=ssn action=drop"), processor.logTail());
    assertTrue(!processor.logText().contains(PLANTED_SSN), "the value is never logged");
    String metrics = new String(java.net.URI.create("http://127.0.0.1:" + metricsPort + "/metrics").toURL()
        .openStream().readAllBytes(), StandardCharsets.UTF_8);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(
        "processor_employee_unlisted_columns_total\\{column=\"ssn\"[^}]*\\} (\\S+)").matcher(metrics);
    assertTrue(m.find() && Double.parseDouble(m.group(1)) >= 2, "two changes carried ssn: " + metrics.lines()
        .filter(l -> l.contains("unlisted")).toList());
    assertTrue(!metrics.contains("column=\"desk\""), "desk is listed");
  }

  /**
   * Broken employee events (as a faulty cdc could write them) go to the dead-letter topic without the
   * salary or the unlisted column: one JSON event lacking its employee_id, one that is not JSON.
   */
  private static void assertEmployeeDeadLettersCarryNoProtectedColumn(String bootstrap, ProcessorTopics topics)
      throws Exception {
    String cdcTopic = topics.topic(Topics.CDC_EMPLOYEES);
    String noId = "{\"before\":null,\"after\":{\"first_name\":\"Planted\",\"salary\":\"" + PLANTED_SALARY
        + "\",\"ssn\":\"" + PLANTED_SSN + "\"},\"source\":{\"table\":\"employees\",\"lsn\":1,\"ts_ms\":1},"
        + "\"op\":\"c\",\"ts_ms\":1}";
    String notJson = "{\"after\":{\"salary\":" + PLANTED_SALARY + "x, \"ssn\":\"" + PLANTED_SSN + "\"}";
    Map<String, Object> p = new HashMap<>();
    p.put(org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]> producer =
             new org.apache.kafka.clients.producer.KafkaProducer<>(p,
                 new org.apache.kafka.common.serialization.ByteArraySerializer(),
                 new org.apache.kafka.common.serialization.ByteArraySerializer())) {
      for (String value : List.of(noId, notJson)) {
        producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(cdcTopic, 0,
            "{\"employee_id\":-1}".getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8))).get();
      }
    }
    List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap, topics.topic(Topics.PIPELINE_DLQ))) {
      while (letters.size() < 2 && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(300))) {
          org.apache.kafka.common.header.Header source = r.headers().lastHeader(Topics.DlqHeaders.SOURCE_TOPIC);
          if (source != null && cdcTopic.equals(new String(source.value(), StandardCharsets.UTF_8))) {
            letters.add(r);
          }
        }
      }
    }
    assertEquals(2, letters.size(), "both broken events dead-lettered");
    for (ConsumerRecord<byte[], byte[]> r : letters) {
      StringBuilder all = new StringBuilder(r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8));
      r.headers().forEach(h -> all.append('\n').append(h.key()).append('=')
          .append(new String(h.value(), StandardCharsets.UTF_8)));
      assertTrue(!all.toString().contains("987654") && !all.toString().contains(PLANTED_SSN), all.toString());
    }
    String first = new String(letters.get(0).value(), StandardCharsets.UTF_8);
    assertTrue(first.contains("\"first_name\":\"Planted\""), "the allowed columns stay, to debug with: " + first);
    assertEquals("after.salary,after.ssn", new String(letters.get(0).headers()
        .lastHeader(Topics.DlqHeaders.VALUE_REDACTED).value(), StandardCharsets.UTF_8));
    assertNull(letters.get(1).value(), "not JSON: nothing of it can be told safe");
    assertTrue(new String(letters.get(1).headers().lastHeader(Topics.DlqHeaders.REASON).value(),
        StandardCharsets.UTF_8).startsWith("not valid JSON (line 1"));
  }

  /** What processed-employees must say about one employee (all but the band come straight from SQL). */
  record Expected(String firstName, String lastName, String email, Long departmentId, String departmentName,
                  String jobTitle, String location, Long managerId, LocalDate hireDate, String salaryBand,
                  String status) {
    static Expected of(EmployeeChange c, long renamedDepartment) {
      Expected e = new Expected(c.firstName(), c.lastName(), c.email(), c.departmentId(), c.departmentName(),
          c.jobTitle(), c.location(), c.managerId(), c.hireDate(), c.salaryBand(), c.status());
      return Objects.equals(c.departmentId(), renamedDepartment) ? e.withDepartmentName(null) : e;
    }

    Expected withDepartmentName(String name) {
      return new Expected(firstName, lastName, email, departmentId, name, jobTitle, location, managerId, hireDate,
          salaryBand, status);
    }
  }

  private static Map<Long, Expected> postgresState(CdcTestStack t) throws Exception {
    Map<Long, Expected> m = new HashMap<>();
    try (Connection c = t.app(); PreparedStatement st = c.prepareStatement("SELECT e.employee_id, e.first_name,"
        + " e.last_name, e.email, e.department_id, d.name, e.job_title, e.location, e.manager_id, e.hire_date,"
        + " e.salary, e.status FROM employees e LEFT JOIN departments d ON d.department_id = e.department_id");
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        m.put(rs.getLong(1), new Expected(rs.getString(2), rs.getString(3), rs.getString(4),
            (Long) rs.getObject(5, Long.class), rs.getString(6), rs.getString(7), rs.getString(8),
            (Long) rs.getObject(9, Long.class), rs.getObject(10, LocalDate.class),
            SalaryBands.DEFAULT.bandOf(rs.getBigDecimal(11)), rs.getString(12)));
      }
    }
    return m;
  }

  /** The processed-employees topic as read so far. */
  static final class Output {
    final Map<Long, EmployeeChange> latest = new HashMap<>();
    final Set<Long> tombstoned = new HashSet<>();
    final Set<String> seen = new HashSet<>();
    final List<String> duplicates = new ArrayList<>();
    long records;
  }

  private static Output awaitMatch(String bootstrap, String topic, Map<Long, Expected> expected, Set<Long> deleted,
                                   long renamedDepartment) throws InterruptedException {
    Output out = new Output();
    try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap, topic)) {
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      String mismatch = "nothing read";
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          long id = Long.parseLong(new String(r.key(), StandardCharsets.UTF_8));
          if (r.value() == null) {
            out.tombstoned.add(id);
            out.latest.remove(id);
            continue;
          }
          EmployeeChange e = CODEC.decode(r.value());
          out.records++;
          if (!out.seen.add(id + "@" + e.sourceLsn())) {
            out.duplicates.add(id + "@" + e.sourceLsn());
          }
          if (e.op() == ChangeOp.DELETE) {
            out.latest.remove(id);
          } else {
            out.tombstoned.remove(id);
            out.latest.put(id, e);
          }
        }
        mismatch = mismatch(out, expected, deleted, renamedDepartment);
        if (mismatch == null) {
          return out;
        }
      }
      throw new AssertionError("processed-employees does not match PostgreSQL: " + mismatch);
    }
  }

  private static String mismatch(Output out, Map<Long, Expected> expected, Set<Long> deleted, long renamedDepartment) {
    for (Map.Entry<Long, Expected> e : expected.entrySet()) {
      EmployeeChange got = out.latest.get(e.getKey());
      if (got == null || !Objects.equals(Expected.of(got, renamedDepartment), e.getValue())) {
        return "employee " + e.getKey() + ": want " + e.getValue() + ", got "
            + (got == null ? null : Expected.of(got, renamedDepartment));
      }
    }
    for (long id : deleted) {
      if (out.latest.containsKey(id) || !out.tombstoned.contains(id)) {
        return "deleted employee " + id + " is still there (or has no tombstone)";
      }
    }
    if (out.latest.size() != expected.size()) {
      return out.latest.size() + " employees in the topic, " + expected.size() + " in PostgreSQL";
    }
    return null;
  }

  private static void awaitKeys(String bootstrap, String topic, Set<Long> wanted) {
    Set<Long> seen = new HashSet<>();
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap, topic)) {
      while (!seen.containsAll(wanted)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the snapshot did not reach processed-employees: " + seen.size() + " seen");
        }
        c.poll(Duration.ofMillis(300)).forEach(r -> seen.add(Long.parseLong(new String(r.key(), StandardCharsets.UTF_8))));
      }
    }
  }

  private static Map<String, Integer> countDuplicates(String bootstrap, String topic) {
    Map<String, Integer> seen = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap, topic)) {
      Map<TopicPartition, Long> end = c.endOffsets(c.assignment());
      while (end.entrySet().stream().anyMatch(e -> c.position(e.getKey()) < e.getValue())) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(300))) {
          if (r.headers().lastHeader(CdcProgress.HEADER) != null) {
            continue; // progress, not a change
          }
          CdcEvent e = CdcEvent.parse(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(),
              new String(r.key(), StandardCharsets.UTF_8), new String(r.value(), StandardCharsets.UTF_8)),
              "employee_id");
          seen.merge(e.id() + "@" + e.lsn(), 1, Integer::sum);
        }
      }
    }
    seen.values().removeIf(n -> n == 1);
    return seen;
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String topic) {
    Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> parts = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition()))
        .toList();
    c.assign(parts);
    c.seekToBeginning(parts);
    return c;
  }
}
