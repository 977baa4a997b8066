package org.activitypipeline.generators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DurationConverterTest {
  @Test
  void parsesHumanAndIsoForms() {
    assertEquals(Duration.ofSeconds(30), DurationConverter.parse("30s"));
    assertEquals(Duration.ofSeconds(30), DurationConverter.parse("30"));
    assertEquals(Duration.ofMillis(250), DurationConverter.parse("250ms"));
    assertEquals(Duration.ofMinutes(90), DurationConverter.parse("1h30m"));
    assertEquals(Duration.ofDays(2), DurationConverter.parse("2d"));
    assertEquals(Duration.ofSeconds(45), DurationConverter.parse("PT45S"));
  }

  @Test
  void rejectsGarbageWithAnExample() {
    CommandLine.TypeConversionException e = assertThrows(CommandLine.TypeConversionException.class,
        () -> DurationConverter.parse("5 minutes"));
    assertEquals("'5 minutes' is not a duration (examples: 30s, 5m, 1h30m, 500ms)", e.getMessage());
    assertThrows(CommandLine.TypeConversionException.class, () -> DurationConverter.parse("10x"));
    assertThrows(CommandLine.TypeConversionException.class, () -> DurationConverter.parse("s"));
  }

  @Test
  void formatsCompactly() {
    assertEquals("2h", DurationConverter.format(Duration.ofHours(2)));
    assertEquals("5m", DurationConverter.format(Duration.ofMinutes(5)));
    assertEquals("90s", DurationConverter.format(Duration.ofSeconds(90)));
    assertEquals("1500ms", DurationConverter.format(Duration.ofMillis(1500)));
  }
}
