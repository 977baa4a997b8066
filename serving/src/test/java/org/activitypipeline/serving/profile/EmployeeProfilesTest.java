package org.activitypipeline.serving.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.activitypipeline.common.event.Activity;
import org.activitypipeline.common.event.ChangeOp;
import org.activitypipeline.common.event.EmployeeChange;
import org.activitypipeline.common.event.EnrichedActivity;
import org.activitypipeline.common.json.JsonCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class EmployeeProfilesTest {
  static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
  final EmployeeProfiles profiles = new EmployeeProfiles(3, 100);
  long offset;

  static EmployeeChange change(ChangeOp op, long id, String title, long lsn) {
    return new EmployeeChange(1, op, id, "Ada", "Lovelace", "ada@example.com", 7L, "Engineering", title, "London",
        null, null, "50000-75000", "active", T, T, List.of("job_title"), Map.of(), lsn, T);
  }

  void employee(EmployeeChange c) {
    profiles.acceptEmployee(new ConsumerRecord<>("e", 0, offset++,
        Long.toString(c.employeeId()).getBytes(StandardCharsets.UTF_8),
        JsonCodec.of(EmployeeChange.class, 1).encode(c)));
  }

  void activity(long employee, String id, Instant eventTime) {
    Activity a = new Activity(1, id, employee, "login", "laptop", "linux", "10.0.0.1", "London", 5, eventTime,
        eventTime, Map.of());
    EnrichedActivity e = new EnrichedActivity(1, a, true, 7L, "Engineering", "Engineer", "London", "active", eventTime);
    profiles.acceptActivity(new ConsumerRecord<>("a", 0, offset++, null,
        JsonCodec.of(EnrichedActivity.class, 1).encode(e)));
  }

  @Test
  void theNewestStateWinsAndAReplayedOlderChangeDoesNotGoBack() {
    employee(change(ChangeOp.CREATE, 1, "Engineer", 100));
    employee(change(ChangeOp.UPDATE, 1, "Senior Engineer", 200));
    employee(change(ChangeOp.UPDATE, 1, "Engineer", 100)); // a replay after a crash upstream
    assertEquals("Senior Engineer", profiles.profile(1).orElseThrow().employee().jobTitle());
  }

  @Test
  void deletesAndTombstonesRemoveTheEmployee() {
    employee(change(ChangeOp.CREATE, 1, "Engineer", 100));
    employee(change(ChangeOp.CREATE, 2, "Engineer", 101));
    employee(change(ChangeOp.DELETE, 1, "Engineer", 300));
    profiles.acceptEmployee(new ConsumerRecord<>("e", 0, offset++, "2".getBytes(StandardCharsets.UTF_8), null));
    assertTrue(profiles.profile(1).isEmpty());
    assertTrue(profiles.profile(2).isEmpty());
  }

  @Test
  void keepsTheNewestActivitiesByEventTimeOnceEach() {
    employee(change(ChangeOp.CREATE, 1, "Engineer", 100));
    for (int i = 0; i < 6; i++) {
      activity(1, "a" + i, T.plusSeconds(i * 60L));
    }
    activity(1, "late", T.minusSeconds(3600)); // older than all kept: not kept
    activity(1, "a5", T.plusSeconds(300)); // a replay
    assertEquals(List.of("a5", "a4", "a3"), profiles.profile(1).orElseThrow().recentActivity().stream()
        .map(EmployeeProfiles.RecentActivity::activityId).toList());
  }

  @Test
  void badRecordsAreCounted() {
    profiles.acceptEmployee(new ConsumerRecord<>("e", 0, 0, "1".getBytes(StandardCharsets.UTF_8),
        "{oops".getBytes(StandardCharsets.UTF_8)));
    profiles.acceptActivity(new ConsumerRecord<>("a", 0, 0, null, "{\"schema_version\":1}".getBytes(StandardCharsets.UTF_8)));
    profiles.acceptEmployee(new ConsumerRecord<>("e", 0, 0, "x".getBytes(StandardCharsets.UTF_8), null));
    assertEquals(3, profiles.invalidRecords());
  }

  static EmployeeChange person(long id, String first, String last, String department, String title) {
    return new EmployeeChange(1, ChangeOp.CREATE, id, first, last, first.toLowerCase() + "@example.com", 7L, department,
        title, "London", null, null, null, "active", T, T, List.of(), Map.of(), id, T);
  }

  @Test
  void searchFindsCurrentEmployeesByNamePartEmailDepartmentTitleOrId() {
    employee(person(1, "Ada", "Lovelace", "Engineering", "Engineer"));
    employee(person(2, "Grace", "Hopper", "Engineering", "Admiral"));
    employee(person(3, "Alan", "Turing", "Research", "Cryptanalyst"));
    employee(person(12, "Adam", "Smith", "Finance", "Economist"));
    employee(new EmployeeChange(1, ChangeOp.DELETE, 3, "Alan", "Turing", null, null, null, null, null, null, null, null,
        null, T, T, List.of(), Map.of(), 99, T));

    assertEquals(List.of(1L, 12L), ids(profiles.search("ADA", 10)), "a name part, any case; by last name");
    assertEquals(List.of(2L), ids(profiles.search("grace@", 10)), "the e-mail");
    assertEquals(List.of(2L, 1L), ids(profiles.search("engineering", 10)), "the department");
    assertEquals(List.of(12L), ids(profiles.search("econom", 10)), "the job title");
    assertEquals(List.of(12L), ids(profiles.search(" 12 ", 10)), "digits: that id, not ids containing them");
    assertEquals(List.of(), ids(profiles.search("turing", 10)), "a deleted employee is not found");
    assertEquals(List.of(), ids(profiles.search("99999999999999999999", 10)), "too long to be an id: no match");
    assertEquals(List.of(2L), ids(profiles.search("e", 1)), "at most the limit (Hopper sorts first)");
    assertEquals("Engineering", profiles.search("hopper", 1).get(0).departmentName());
  }

  static List<Long> ids(List<EmployeeProfiles.Match> matches) {
    return matches.stream().map(EmployeeProfiles.Match::employeeId).toList();
  }
}
