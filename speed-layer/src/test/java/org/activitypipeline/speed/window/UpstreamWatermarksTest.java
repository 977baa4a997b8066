package org.activitypipeline.speed.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UpstreamWatermarksTest {

  @Test
  void isMinValueUntilEveryEnrichTaskReported() {
    UpstreamWatermarks w = new UpstreamWatermarks();
    assertEquals(Long.MIN_VALUE, w.current(), "nothing reported");
    w.update(new WatermarkMarker(0, 3, 5_000));
    assertEquals(Long.MIN_VALUE, w.current(), "1 of 3");
    w.update(new WatermarkMarker(2, 3, 7_000));
    assertEquals(Long.MIN_VALUE, w.current(), "2 of 3: a fast partition alone must not close windows");
    w.update(new WatermarkMarker(1, 3, 6_000));
    assertEquals(5_000, w.current(), "3 of 3");
    assertEquals(3, w.size());
  }

  @Test
  void isTheMinimumOverAllTasks() {
    UpstreamWatermarks w = new UpstreamWatermarks();
    w.update(new WatermarkMarker(0, 3, 300));
    w.update(new WatermarkMarker(1, 3, 100));
    w.update(new WatermarkMarker(2, 3, 200));
    assertEquals(100, w.current());
    w.update(new WatermarkMarker(1, 3, 250)); // the slowest task catches up
    assertEquals(200, w.current());
    w.update(new WatermarkMarker(0, 3, 10_000)); // the fastest moving on changes nothing
    assertEquals(200, w.current());
  }

  @Test
  void aTaskThatSawNothingYetHoldsTheWatermarkBack() {
    UpstreamWatermarks w = new UpstreamWatermarks();
    w.update(new WatermarkMarker(0, 2, 1_000));
    assertTrue(w.update(new WatermarkMarker(1, 2, Long.MIN_VALUE)));
    assertEquals(Long.MIN_VALUE, w.current());
    w.update(new WatermarkMarker(1, 2, 900));
    assertEquals(900, w.current());
  }

  @Test
  void markersNeverGoBack() {
    UpstreamWatermarks w = new UpstreamWatermarks();
    assertTrue(w.update(new WatermarkMarker(0, 2, 500)));
    assertTrue(w.update(new WatermarkMarker(1, 2, 800)));
    assertEquals(500, w.current());

    assertFalse(w.update(new WatermarkMarker(0, 2, 400)), "an older marker (e.g. a replayed one) does not move");
    assertFalse(w.update(new WatermarkMarker(0, 2, 500)), "the same marker again does not move");
    assertEquals(500, w.current());
    assertEquals(new WatermarkMarker(0, 2, 500), w.marker(0));

    assertTrue(w.update(new WatermarkMarker(0, 2, 501)));
    assertEquals(501, w.current());
  }

  @Test
  void markerOfATaskIsItsLastOneWithTheTaskCount() {
    UpstreamWatermarks w = new UpstreamWatermarks();
    assertNull(w.marker(0));
    w.update(new WatermarkMarker(1, 4, 123));
    assertEquals(new WatermarkMarker(1, 4, 123), w.marker(1));
    assertNull(w.marker(0));
  }

  @Test
  void moreRawPartitionsWaitForTheNewTaskToo() {
    UpstreamWatermarks w = new UpstreamWatermarks();
    w.update(new WatermarkMarker(0, 2, 100));
    w.update(new WatermarkMarker(1, 2, 200));
    assertEquals(100, w.current());
    w.update(new WatermarkMarker(0, 3, 150)); // raw-activities grew to 3 partitions
    assertEquals(100, w.current(), "task 2 has not reported yet: the watermark waits for it (and never goes back)");
    w.update(new WatermarkMarker(2, 3, 120));
    assertEquals(120, w.current());
  }

  @Test
  void anIdleTaskIsLeftOutOfTheMinimumUntilItHasInputAgain() {
    UpstreamWatermarks w = new UpstreamWatermarks();
    w.update(new WatermarkMarker(0, 2, 100));
    w.update(new WatermarkMarker(1, 2, 500));
    assertEquals(100, w.current());
    assertTrue(w.update(new WatermarkMarker(0, 2, 100, true)), "idleness alone is a change");
    assertEquals(500, w.current());
    assertEquals(new WatermarkMarker(0, 2, 100, true), w.marker(0));

    assertTrue(w.update(new WatermarkMarker(0, 2, 200)), "active again, even without moving");
    assertEquals(500, w.current(), "a task back from idleness behind the others moves nothing back");
    w.update(new WatermarkMarker(1, 2, 900));
    assertEquals(500, w.current(), "the task back counts again: min(200, 900) is below, so it holds");
    w.update(new WatermarkMarker(0, 2, 700));
    assertEquals(700, w.current());
  }

  @Test
  void aPartitionThatNeverHadInputStopsHoldingOnceIdle() {
    UpstreamWatermarks w = new UpstreamWatermarks();
    w.update(new WatermarkMarker(0, 2, 1_000));
    assertEquals(Long.MIN_VALUE, w.current());
    w.update(new WatermarkMarker(1, 2, Long.MIN_VALUE, true));
    assertEquals(1_000, w.current());
  }

  @Test
  void whileEveryTaskIsIdleTheWatermarkStays() {
    UpstreamWatermarks w = new UpstreamWatermarks();
    w.update(new WatermarkMarker(0, 2, 300));
    w.update(new WatermarkMarker(1, 2, 800));
    w.update(new WatermarkMarker(0, 2, 300, true));
    assertEquals(800, w.current());
    w.update(new WatermarkMarker(1, 2, 800, true));
    assertEquals(800, w.current(), "idleness is no evidence of progress");
    assertFalse(w.update(new WatermarkMarker(1, 2, 800, true)), "the same idle marker again changes nothing");
  }

  @Test
  void aRestoredValueIsAFloor() {
    UpstreamWatermarks w = new UpstreamWatermarks();
    w.restoreCurrent(5_000);
    w.update(new WatermarkMarker(0, 1, 4_000));
    assertEquals(5_000, w.current());
    w.update(new WatermarkMarker(0, 1, 6_000));
    assertEquals(6_000, w.current());
  }

  @Test
  void markersWrittenBeforeIdlenessExistedReadAsActive() {
    WatermarkMarker old = WatermarkMarker.fromJson(
        "{\"task\":1,\"of\":2,\"watermark\":42}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(new WatermarkMarker(1, 2, 42, false), old);
    WatermarkMarker idle = new WatermarkMarker(1, 2, 42, true);
    assertEquals(idle, WatermarkMarker.fromJson(idle.toJson()));
  }
}
