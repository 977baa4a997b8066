package org.activitypipeline.speed.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.activitypipeline.common.event.Activity;
import org.activitypipeline.common.event.ChangeOp;
import org.activitypipeline.common.event.EmployeeChange;
import org.activitypipeline.common.event.EnrichedActivity;
import org.activitypipeline.common.json.JsonCodec;
import org.junit.jupiter.api.Test;

/** The spliced value reads back, through the schema's own codec, as the EnrichedActivity it stands for. */
class EnrichedActivityJsonTest {
  private static final JsonCodec<Activity> ACTIVITY = JsonCodec.of(Activity.class, 1);
  private static final JsonCodec<EnrichedActivity> ENRICHED = JsonCodec.of(EnrichedActivity.class, 1);
  private static final Instant NOW = Instant.parse("2026-11-25T02:03:47.396Z");
  private static final Activity A = new Activity(1, "00000000-0000-1000-8000-000000000001", 42, "login", "laptop",
      "linux", "10.0.0.1", "Zürich \"HQ\"", 35, Instant.parse("2026-11-24T10:15:30.123Z"),
      Instant.parse("2026-11-24T10:15:31Z"), Map.of("app", "vpn"));
  private static final EmployeeChange EMP = new EmployeeChange(1, ChangeOp.UPDATE, 42, "Ada", "Lovelace",
      "ada@example.com", 7L, "Engineering (old)", "Engineer", "London", null, LocalDate.of(2024, 1, 2), "50k-75k",
      "active", NOW, NOW, List.of(), Map.of(), 100, NOW);

  @Test
  void knownEmployeeWithCurrentDepartmentName() {
    EnrichedActivity got = ENRICHED.decode(new EnrichedActivityJson().encode(ACTIVITY.encode(A), EMP, "Engineering", NOW.toEpochMilli()));
    assertEquals(new EnrichedActivity(1, A, true, 7L, "Engineering", "Engineer", "London", "active", NOW), got);
  }

  @Test
  void departmentNameFallsBackToTheEmployeeRecord() {
    EnrichedActivity got = ENRICHED.decode(new EnrichedActivityJson().encode(ACTIVITY.encode(A), EMP, null, NOW.toEpochMilli()));
    assertEquals("Engineering (old)", got.departmentName());
  }

  @Test
  void unknownEmployeeHasOnlyTheActivity() {
    EnrichedActivity got = ENRICHED.decode(new EnrichedActivityJson().encode(ACTIVITY.encode(A), null, null, NOW.toEpochMilli()));
    assertEquals(new EnrichedActivity(1, A, false, null, null, null, null, null, NOW), got);
  }

  @Test
  void oneEncoderFollowsChangesOfTheEmployeeTheDepartmentNameAndTheTime() {
    EnrichedActivityJson json = new EnrichedActivityJson();
    byte[] activity = ACTIVITY.encode(A);
    assertEquals("Engineering", ENRICHED.decode(json.encode(activity, EMP, "Engineering", 1000)).departmentName());
    assertEquals("Platform", ENRICHED.decode(json.encode(activity, EMP, "Platform", 1000)).departmentName());
    EmployeeChange moved = new EmployeeChange(1, ChangeOp.UPDATE, 42, "Ada", "Lovelace", "ada@example.com", 9L,
        "Research", "Lead", "Paris", null, LocalDate.of(2024, 1, 2), "75k-100k", "active", NOW, NOW,
        List.of("job_title"), Map.of(), 101, NOW);
    EnrichedActivity after = ENRICHED.decode(json.encode(activity, moved, "Research", 1001));
    assertEquals(new EnrichedActivity(1, A, true, 9L, "Research", "Lead", "Paris", "active",
        Instant.ofEpochMilli(1001)), after);
    assertEquals(new EnrichedActivity(1, A, false, null, null, null, null, null, Instant.ofEpochMilli(1002)),
        ENRICHED.decode(json.encode(activity, null, null, 1002)));
    assertEquals("Platform", ENRICHED.decode(json.encode(activity, EMP, "Platform", 1002)).departmentName());
  }
}
