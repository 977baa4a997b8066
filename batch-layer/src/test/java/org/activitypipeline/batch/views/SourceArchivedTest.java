package org.activitypipeline.batch.views;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SourceArchivedTest {
  @Test
  void aSourceStillOnTheActiveTimelineIsNotArchived() {
    assertFalse(ViewsJob.sourceArchived("20261124100000000", Optional.of("20261124090000000")));
    assertFalse(ViewsJob.sourceArchived("20261124100000000", Optional.of("20261124100000000")), "it is the earliest");
  }

  @Test
  void aSourceOlderThanTheEarliestActiveInstantWasArchived() {
    assertTrue(ViewsJob.sourceArchived("20261124100000000", Optional.of("20261124100000001")));
  }

  @Test
  void noSourceOrNoTimelineIsNotArchived() {
    assertFalse(ViewsJob.sourceArchived(null, Optional.of("20261124100000000")), "a first run recomputes all anyway");
    assertFalse(ViewsJob.sourceArchived("20261124100000000", Optional.empty()));
  }
}
