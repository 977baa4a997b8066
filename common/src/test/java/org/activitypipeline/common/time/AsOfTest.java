package org.activitypipeline.common.time;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AsOfTest {
  private static final long[] FROM = {100, 200, 200, 300};

  private static int at(long t) {
    return AsOf.index(FROM.length, i -> FROM[i], t);
  }

  @Test
  void theNewestVersionValidAtOrBeforeTheTime() {
    assertEquals(0, at(100));
    assertEquals(0, at(199));
    assertEquals(2, at(200), "valid from exactly then; of two from the same time, the later one");
    assertEquals(2, at(299));
    assertEquals(3, at(300));
    assertEquals(3, at(Long.MAX_VALUE));
  }

  @Test
  void beforeTheFirstVersionTheFirst() {
    assertEquals(0, at(99));
    assertEquals(0, at(Long.MIN_VALUE));
    assertEquals(0, AsOf.index(1, i -> 500, 0));
  }
}
