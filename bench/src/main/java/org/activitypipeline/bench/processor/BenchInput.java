package org.activitypipeline.bench.processor;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import org.activitypipeline.common.event.Activity;
import org.activitypipeline.common.json.JsonCodec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Benchmark input: departments and employees as Debezium change events, and activities whose event
 * times follow their write order with the generator's mix (most within 30 s, 7 % out of order by up
 * to 3 min, 3 % late by 5 min to 6 h). Streams to Kafka; nothing is held in memory.
 */
public final class BenchInput {
  public static final int DEPARTMENTS = 12;
  private static final String[] TYPES = {"login", "logout", "email", "meeting", "file_access", "code_commit",
      "chat", "vpn_connect"};
  private static final String[] DEVICES = {"laptop", "desktop", "mobile", "tablet"};
  private static final JsonCodec<Activity> CODEC = JsonCodec.of(Activity.class, Activity.SCHEMA_VERSION);

  private BenchInput() {
  }

  public static void writeEmployees(KafkaProducer<byte[], byte[]> p, String departmentsTopic,
                                    String employeesTopic, int employees) {
    long lsn = 1_000;
    for (int d = 1; d <= DEPARTMENTS; d++) {
      String row = "{\"department_id\":" + d + ",\"name\":\"Department " + d + "\",\"cost_center\":\"CC-" + d
          + "\",\"location\":null,\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\"}";
      p.send(new ProducerRecord<>(departmentsTopic, bytes("{\"department_id\":" + d + "}"),
          debezium("departments", row, lsn++)));
    }
    for (int e = 1; e <= employees; e++) {
      String row = "{\"employee_id\":" + e + ",\"first_name\":\"F" + e + "\",\"last_name\":\"L\",\"email\":\"e" + e
          + "@example.com\",\"department_id\":" + (1 + e % DEPARTMENTS) + ",\"job_title\":\"Engineer\","
          + "\"location\":\"Berlin\",\"manager_id\":null,\"hire_date\":20089,\"salary\":\"70000.00\","
          + "\"status\":\"active\",\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\"}";
      p.send(new ProducerRecord<>(employeesTopic, bytes("{\"employee_id\":" + e + "}"), debezium("employees", row, lsn++)));
    }
    p.flush();
  }

  /**
   * One activity; {@code writeMillis} is its position on the timeline.
   *
   * @param lateAllowed false for latency runs (no late uploads, so every event updates a window)
   */
  public static ProducerRecord<byte[], byte[]> activity(String topic, long seq, long writeMillis, int employees,
                                                        SplittableRandom r, boolean lateAllowed) {
    Activity a = activityEvent(seq, writeMillis, employees, r, lateAllowed);
    return new ProducerRecord<>(topic, null, writeMillis, key(a), CODEC.encode(a));
  }

  /**
   * The activity {@link #activity} writes, for a harness that also keeps what it wrote: its id encodes
   * {@code seq} ({@link #sequenceOf}), its ingest time is {@code writeMillis}.
   */
  public static Activity activityEvent(long seq, long writeMillis, int employees, SplittableRandom r,
                                       boolean lateAllowed) {
    double draw = r.nextDouble();
    long lag;
    if (lateAllowed && draw < 0.03) {
      lag = 300_000 + (long) (r.nextDouble() * 6 * 3_600_000);
    } else if (draw < 0.10) {
      lag = 30_000 + (long) (r.nextDouble() * 150_000);
    } else {
      lag = (long) (r.nextDouble() * 30_000);
    }
    long employee = 1 + r.nextInt(employees);
    return new Activity(1, String.format("%08x-0000-1000-8000-%012x", seq >>> 32, seq & 0xFFFF_FFFF_FFFFL),
        employee, TYPES[r.nextInt(TYPES.length)], DEVICES[r.nextInt(DEVICES.length)], "linux", "10.1.2.3", "Berlin",
        r.nextInt(900), Instant.ofEpochMilli(writeMillis - lag), Instant.ofEpochMilli(writeMillis),
        Map.of("app", "bench", "version", "1.4.2"));
  }

  /** The record key of an activity: its employee id (as the poller writes it). */
  public static byte[] key(Activity a) {
    return bytes(Long.toString(a.employeeId()));
  }

  public static byte[] encode(Activity a) {
    return CODEC.encode(a);
  }

  /** The {@code seq} an activity id made by {@link #activityEvent} encodes. */
  public static long sequenceOf(String activityId) {
    return Long.parseLong(activityId.substring(0, 8) + activityId.substring(24, 36), 16);
  }

  /** The department name of an employee written by {@link #writeEmployees}. */
  public static String departmentOf(long employeeId) {
    return "Department " + (1 + employeeId % DEPARTMENTS);
  }

  private static byte[] debezium(String table, String row, long lsn) {
    return bytes("{\"before\":null,\"after\":" + row + ",\"source\":{\"version\":\"3.6.1.Final\",\"connector\":"
        + "\"postgresql\",\"name\":\"cdc\",\"ts_ms\":1767225600000,\"snapshot\":\"false\",\"db\":\"hr\",\"schema\":"
        + "\"public\",\"table\":\"" + table + "\",\"txId\":1,\"lsn\":" + lsn + ",\"xmin\":null},\"op\":\"c\","
        + "\"ts_ms\":1767225600001}");
  }

  public static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
