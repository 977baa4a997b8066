package org.activitypipeline.serving.profile;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.activitypipeline.common.event.ChangeOp;
import org.activitypipeline.common.event.EmployeeChange;
import org.activitypipeline.common.event.EnrichedActivity;
import org.activitypipeline.common.json.InvalidRecordException;
import org.activitypipeline.common.json.JsonCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Employee profiles from the speed layer: the current state of every employee (the compacted
 * {@code processed-employees}, read whole) and each employee's most recent activities (the tail
 * of {@code processed-activities}), in memory.
 *
 * <p>Recent activity is bounded twice: {@code perEmployee} activities per employee (newest by
 * event time kept) and {@code maxEmployees} employees (Caffeine evicts the least recently active).
 * Thread-safe: tailer threads write, request threads read. Undecodable records are counted and
 * logged with the reason; a delete or a tombstone removes the employee.
 */
public final class EmployeeProfiles {
  private static final Logger log = LoggerFactory.getLogger(EmployeeProfiles.class);
  private static final Comparator<RecentActivity> NEWEST_FIRST =
      Comparator.comparing(RecentActivity::eventTime).reversed().thenComparing(RecentActivity::activityId);

  /** One activity as the profile shows it. */
  public record RecentActivity(String activityId, String activityType, String deviceType, String location,
                               int durationSeconds, Instant eventTime, String departmentName) {}

  /** The answer for one employee: current state, newest activities first. */
  public record Profile(EmployeeChange employee, List<RecentActivity> recentActivity) {}

  private final JsonCodec<EmployeeChange> employeeCodec =
      JsonCodec.of(EmployeeChange.class, EmployeeChange.SCHEMA_VERSION);
  private final JsonCodec<EnrichedActivity> activityCodec =
      JsonCodec.of(EnrichedActivity.class, EnrichedActivity.SCHEMA_VERSION);
  private final Map<Long, EmployeeChange> employees = new ConcurrentHashMap<>();
  private final Cache<Long, Deque<RecentActivity>> recent;
  private final int perEmployee;
  private final AtomicLong invalid = new AtomicLong();

  public EmployeeProfiles(int perEmployee, long maxEmployees) {
    this.perEmployee = perEmployee;
    this.recent = Caffeine.newBuilder().maximumSize(maxEmployees).build();
  }

  /** A record of {@code processed-employees}. */
  public void acceptEmployee(ConsumerRecord<byte[], byte[]> r) {
    try {
      if (r.value() == null) {
        employees.remove(parseId(r.key()));
        return;
      }
      EmployeeChange c = employeeCodec.decode(r.value());
      if (c.op() == ChangeOp.DELETE) {
        employees.remove(c.employeeId());
      } else {
        // Replays after a crash upstream carry an LSN already seen: keep the newest state.
        employees.merge(c.employeeId(), c, (old, now) -> now.sourceLsn() >= old.sourceLsn() ? now : old);
      }
    } catch (InvalidRecordException e) {
      invalid(r, e);
    }
  }

  /** A record of {@code processed-activities}. */
  public void acceptActivity(ConsumerRecord<byte[], byte[]> r) {
    try {
      EnrichedActivity e = activityCodec.decode(r.value());
      if (e.activity() == null || e.activity().activityId() == null || e.activity().eventTime() == null) {
        throw new InvalidRecordException("enriched activity without activity, activity_id or event_time");
      }
      RecentActivity a = new RecentActivity(e.activity().activityId(), e.activity().activityType(),
          e.activity().deviceType(), e.activity().location(), e.activity().durationSeconds(),
          e.activity().eventTime(), e.departmentName());
      recent.asMap().compute(e.activity().employeeId(), (id, q) -> add(q == null ? new ArrayDeque<>() : q, a));
    } catch (InvalidRecordException e) {
      invalid(r, e);
    }
  }

  /** Keeps the newest {@code perEmployee} by event time; an id seen again (a replay) is not added twice. */
  private Deque<RecentActivity> add(Deque<RecentActivity> q, RecentActivity a) {
    for (RecentActivity existing : q) {
      if (existing.activityId().equals(a.activityId())) {
        return q;
      }
    }
    List<RecentActivity> all = new ArrayList<>(q);
    all.add(a);
    all.sort(NEWEST_FIRST);
    return new ArrayDeque<>(all.subList(0, Math.min(perEmployee, all.size())));
  }

  public Optional<Profile> profile(long employeeId) {
    EmployeeChange e = employees.get(employeeId);
    if (e == null) {
      return Optional.empty();
    }
    Deque<RecentActivity> q = recent.getIfPresent(employeeId);
    return Optional.of(new Profile(e, q == null ? List.of() : List.copyOf(q)));
  }

  /** One search hit: who, and where they work now. */
  public record Match(long employeeId, String firstName, String lastName, String departmentName, String jobTitle,
                      String status) {}

  /**
   * Current employees matching {@code query}: all digits finds that id; anything else matches a
   * substring of the name, the e-mail, the department or the job title, ignoring case. At most
   * {@code limit}, ordered by last name, first name and id.
   */
  public List<Match> search(String query, int limit) {
    String q = query.strip().toLowerCase(Locale.ROOT);
    Stream<EmployeeChange> found;
    if (!q.isEmpty() && q.chars().allMatch(c -> c >= '0' && c <= '9') && q.length() <= 18) {
      EmployeeChange e = employees.get(Long.parseLong(q));
      found = e == null ? Stream.empty() : Stream.of(e);
    } else {
      found = employees.values().stream().filter(e -> contains(e.firstName() + " " + e.lastName(), q)
          || contains(e.email(), q) || contains(e.departmentName(), q) || contains(e.jobTitle(), q));
    }
    return found.map(e -> new Match(e.employeeId(), e.firstName(), e.lastName(), e.departmentName(), e.jobTitle(),
            e.status()))
        .sorted(Comparator.comparing((Match m) -> String.valueOf(m.lastName()))
            .thenComparing(m -> String.valueOf(m.firstName())).thenComparingLong(Match::employeeId))
        .limit(limit).toList();
  }

  private static boolean contains(String field, String lowerQuery) {
    return field != null && field.toLowerCase(Locale.ROOT).contains(lowerQuery);
  }

  public int employees() {
    return employees.size();
  }

  public long invalidRecords() {
    return invalid.get();
  }

  private static long parseId(byte[] key) {
    try {
      return Long.parseLong(new String(key, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw new InvalidRecordException("tombstone whose key is not an employee id");
    }
  }

  private void invalid(ConsumerRecord<byte[], byte[]> r, InvalidRecordException e) {
    invalid.incrementAndGet();
    log.warn("event=invalid_record topic={} partition={} offset={} reason=\"{}\"", r.topic(), r.partition(),
        r.offset(), e.getMessage());
  }
}
