package org.activitypipeline.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.activitypipeline.lakehouse.Tables;
import org.activitypipeline.lakehouse.hudi.HudiSettings;
import org.activitypipeline.lakehouse.hudi.HudiTable;
import org.activitypipeline.lakehouse.hudi.HudiTableSpec;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * PII that must never leave the speed layer, planted in PostgreSQL and looked for everywhere the
 * pipeline writes: an employee with a salary no generator produces, and a column added to the table
 * that no column policy lists (so it must be dropped). {@link #assertNowhere} reads every Kafka topic
 * (keys, values, headers, aborted transactions included), every file and every record of every Hudi
 * table on HDFS, every process log and the API's answers about the employee. The one place the salary
 * may be is the speed layer's own change stream {@code cdc.public.employees}, and it must be there:
 * otherwise the search proves nothing.
 */
final class PlantedPersonalData {
  static final String SALARY = "987654.31";
  static final String SSN = "SSN-PLANTED-7731";
  /** The speed layer's internal change stream: the raw row, salary included, readable by cdc and the processor only. */
  static final String CDC_EMPLOYEES = "cdc.public.employees";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  final long employeeId;

  private PlantedPersonalData(long employeeId) {
    this.employeeId = employeeId;
  }

  /** Adds the column {@code ssn} to {@code employees} and an employee with the planted salary and ssn. */
  static PlantedPersonalData plant(String jdbc) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbc, "pipeline", "pipeline"); Statement st = c.createStatement()) {
      st.execute("ALTER TABLE employees ADD COLUMN IF NOT EXISTS ssn TEXT");
      long department;
      try (ResultSet rs = st.executeQuery("SELECT min(department_id) FROM departments")) {
        rs.next();
        department = rs.getLong(1);
      }
      try (PreparedStatement ins = c.prepareStatement("INSERT INTO employees (first_name, last_name, email,"
          + " department_id, job_title, location, hire_date, salary, ssn) VALUES ('Planted', 'Person',"
          + " 'planted.person@example.com', ?, 'Auditor', 'Basel', current_date, " + SALARY + ", '" + SSN + "')"
          + " RETURNING employee_id")) {
        ins.setLong(1, department);
        try (ResultSet rs = ins.executeQuery()) {
          rs.next();
          return new PlantedPersonalData(rs.getLong(1));
        }
      }
    }
  }

  void assertNowhere(Pipeline pipeline, String base, Path logs) throws Exception {
    List<String> found = new ArrayList<>();
    long cdcHits = searchTopics(pipeline.kafka(), found);
    assertTrue(cdcHits > 0, "the planted salary went through " + CDC_EMPLOYEES + " (else this search proves nothing)");
    int[] tables = searchLakehouse(pipeline.lakehouse(), found);
    try (Stream<Path> files = Files.list(logs)) {
      for (Path log : files.filter(p -> p.toString().endsWith(".log")).toList()) {
        String text = Files.readString(log, StandardCharsets.ISO_8859_1);
        if (text.contains(SALARY) || text.contains(SSN)) {
          found.add("log " + log.getFileName());
        }
      }
    }
    String profile = searchApi(base, found);
    assertEquals(List.of(), found, "the planted salary or ssn left the speed layer");
    System.out.printf("pii: planted salary and ssn in none of the topics (%d records of %s carry them), %d Hudi"
        + " tables (%d records, %d files), logs, the API (%s)%n", cdcHits, CDC_EMPLOYEES, tables[0], tables[1],
        tables[2], profile.length() > 200 ? profile.substring(0, 200) + "..." : profile);
  }

  /** @return how many records of the cdc topic carry the planted salary */
  private long searchTopics(String bootstrap, List<String> found) throws Exception {
    Set<String> topics;
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      topics = admin.listTopics().names().get();
    }
    Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    // Aborted transactions' records are on the brokers' disks too: read them.
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
    long cdcHits = 0;
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      for (String topic : topics) {
        List<TopicPartition> parts = c.partitionsFor(topic).stream()
            .map(i -> new TopicPartition(topic, i.partition())).toList();
        c.assign(parts);
        c.seekToBeginning(parts);
        Map<TopicPartition, Long> end = c.endOffsets(parts);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
          if (System.nanoTime() > deadline) {
            throw new AssertionError("could not read " + topic + " to its end");
          }
          for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
            if (carries(r)) {
              if (topic.equals(CDC_EMPLOYEES)) {
                cdcHits++;
              } else {
                found.add("topic " + topic + " partition " + r.partition() + " offset " + r.offset());
              }
            }
          }
        }
      }
    }
    return cdcHits;
  }

  private static boolean carries(ConsumerRecord<byte[], byte[]> r) {
    if (contains(r.key()) || contains(r.value())) {
      return true;
    }
    for (Header h : r.headers()) {
      if (contains(h.value())) {
        return true;
      }
    }
    return false;
  }

  private static boolean contains(byte[] bytes) {
    if (bytes == null) {
      return false;
    }
    String s = new String(bytes, StandardCharsets.ISO_8859_1);
    return s.contains(SALARY) || s.contains(SSN);
  }

  /** @return tables, records and files searched */
  private static int[] searchLakehouse(String lakehouse, List<String> found) throws IOException {
    HudiSettings settings = HudiSettings.forReading(lakehouse, Map.of());
    int tables = 0;
    int records = 0;
    for (HudiTableSpec spec : Tables.ALL) {
      HudiTable table = new HudiTable(spec, settings);
      if (!table.exists()) {
        continue;
      }
      tables++;
      Schema schema = table.schema().orElseThrow();
      for (Schema.Field f : schema.getFields()) {
        if (f.name().contains("ssn") || f.name().equals("salary")) {
          found.add("column " + spec.name() + "." + f.name());
        }
      }
      for (GenericRecord r : table.readAll()) {
        records++;
        String text = r.toString();
        if (text.contains(SALARY) || text.contains(SSN)) {
          found.add("Hudi " + spec.name() + " record " + text);
        }
      }
    }
    int files = 0;
    FileSystem fs = new org.apache.hadoop.fs.Path(lakehouse).getFileSystem(HudiTable.hadoopConf(settings));
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(new org.apache.hadoop.fs.Path(lakehouse), true);
    while (it.hasNext()) {
      LocatedFileStatus f = it.next();
      files++;
      try (InputStream in = fs.open(f.getPath())) {
        if (contains(in.readAllBytes())) {
          found.add("file " + f.getPath());
        }
      }
    }
    return new int[] {tables, records, files};
  }

  /** The planted employee's profile as served: the speed layer published it (with the salary's band). */
  String profile(String base) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/employees/" + employeeId))
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 && r.body().contains("Planted") && r.body().contains(">=150k") ? r.body() : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private String searchApi(String base, List<String> found) throws Exception {
    String first = null;
    for (String path : List.of("/api/v1/employees/" + employeeId, "/api/v1/status")) {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.body().contains(SALARY) || r.body().contains(SSN) || r.body().contains("\"ssn\"")) {
        found.add("API " + path + ": " + r.body());
      }
      first = first == null ? r.statusCode() + " " + r.body() : first;
    }
    return first;
  }
}
