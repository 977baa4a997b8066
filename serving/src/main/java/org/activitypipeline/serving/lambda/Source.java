package org.activitypipeline.serving.lambda;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Which layer served a window: the batch view (complete, recomputed) or the speed layer (real time). */
public enum Source {
  BATCH,
  SPEED;

  @JsonValue
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
