package org.activitypipeline.bench.streams;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The aggregate the peer keeps per window, in its window store: event count, total duration,
 * first/last event time, the exact set of employee ids (unique employees must be exact, as in the
 * processor) and, for daily windows, counts per activity type.
 *
 * <p>Streams keeps store values serialised and decodes one on every update, so the encoding matters:
 * employee ids are a sorted {@code long[]} (decoded with one bulk copy, inserted by binary search),
 * not a hash set that would be rebuilt per record. Mutable; Streams hands each update a fresh copy.
 */
final class WindowState {
  private long count;
  private long totalDurationSeconds;
  private long firstEventMillis = Long.MAX_VALUE;
  private long lastEventMillis = Long.MIN_VALUE;
  private long[] employees = new long[8];
  private int employeeCount;
  private final Map<String, Long> countsByActivityType = new TreeMap<>();

  /** Adds one activity; {@code byType} for daily windows. Returns this (a Streams {@code Aggregator}). */
  WindowState add(Hit hit, boolean byType) {
    count++;
    totalDurationSeconds += hit.durationSeconds();
    firstEventMillis = Math.min(firstEventMillis, hit.eventMillis());
    lastEventMillis = Math.max(lastEventMillis, hit.eventMillis());
    int at = Arrays.binarySearch(employees, 0, employeeCount, hit.employeeId());
    if (at < 0) {
      int insert = -at - 1;
      if (employeeCount == employees.length) {
        employees = Arrays.copyOf(employees, employees.length * 2);
      }
      System.arraycopy(employees, insert, employees, insert + 1, employeeCount - insert);
      employees[insert] = hit.employeeId();
      employeeCount++;
    }
    if (byType) {
      countsByActivityType.merge(hit.activityType(), 1L, Long::sum);
    }
    return this;
  }

  long count() {
    return count;
  }

  long totalDurationSeconds() {
    return totalDurationSeconds;
  }

  long firstEventMillis() {
    return firstEventMillis;
  }

  long lastEventMillis() {
    return lastEventMillis;
  }

  int uniqueEmployees() {
    return employeeCount;
  }

  Map<String, Long> countsByActivityType() {
    return countsByActivityType;
  }

  static Serde<WindowState> serde() {
    return Serdes.serdeFrom((topic, s) -> s.encode(), (topic, bytes) -> bytes == null ? null : decode(bytes));
  }

  private byte[] encode() {
    byte[][] types = new byte[countsByActivityType.size()][];
    int size = 8 * 4 + 4 + 8 * employeeCount + 4;
    int i = 0;
    for (String t : countsByActivityType.keySet()) {
      types[i] = t.getBytes(StandardCharsets.UTF_8);
      size += 4 + types[i].length + 8;
      i++;
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    b.putLong(count).putLong(totalDurationSeconds).putLong(firstEventMillis).putLong(lastEventMillis);
    b.putInt(employeeCount);
    b.asLongBuffer().put(employees, 0, employeeCount);
    b.position(b.position() + 8 * employeeCount);
    b.putInt(types.length);
    i = 0;
    for (long n : countsByActivityType.values()) {
      b.putInt(types[i].length).put(types[i]).putLong(n);
      i++;
    }
    return b.array();
  }

  private static WindowState decode(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    WindowState s = new WindowState();
    s.count = b.getLong();
    s.totalDurationSeconds = b.getLong();
    s.firstEventMillis = b.getLong();
    s.lastEventMillis = b.getLong();
    s.employeeCount = b.getInt();
    s.employees = new long[Math.max(8, s.employeeCount + 1)];
    b.asLongBuffer().get(s.employees, 0, s.employeeCount);
    b.position(b.position() + 8 * s.employeeCount);
    int types = b.getInt();
    for (int i = 0; i < types; i++) {
      byte[] t = new byte[b.getInt()];
      b.get(t);
      s.countsByActivityType.put(new String(t, StandardCharsets.UTF_8), b.getLong());
    }
    return s;
  }
}
