package org.activitypipeline.speed.employees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SalaryBandsTest {

  @Test
  void defaultBandsHaveTheDocumentedLabels() {
    assertEquals(List.of("<50k", "50k-75k", "75k-100k", "100k-150k", ">=150k"), SalaryBands.DEFAULT.labels());
    assertEquals(SalaryBands.parse("50000,75000,100000,150000"), SalaryBands.DEFAULT);
  }

  @ParameterizedTest
  @CsvSource({
      "0.01, <50k",
      "49999.99, <50k",
      "50000, 50k-75k", // lower bound inclusive
      "50000.00, 50k-75k",
      "74999.99, 50k-75k",
      "75000.00, 75k-100k",
      "81234.50, 75k-100k",
      "99999.99, 75k-100k",
      "100000, 100k-150k",
      "149999.99, 100k-150k",
      "150000.00, >=150k",
      "9999999.99, >=150k",
  })
  void defaultBandBoundaries(String salary, String band) {
    assertEquals(band, SalaryBands.DEFAULT.bandOf(new BigDecimal(salary)));
  }

  @Test
  void nullSalaryHasNoBand() {
    assertNull(SalaryBands.DEFAULT.bandOf(null));
  }

  @Test
  void boundsNotInWholeThousandsAreWrittenPlain() {
    SalaryBands bands = SalaryBands.parse(" 62500 , 100000.00,1000000, 1234567.5 ");
    assertEquals(List.of("<62500", "62500-100k", "100k-1000k", "1000k-1234567.5", ">=1234567.5"), bands.labels());
    assertEquals("62500-100k", bands.bandOf(new BigDecimal("62500")));
    assertEquals(">=1234567.5", bands.bandOf(new BigDecimal("1234567.50")));
  }

  @Test
  void aSingleBoundMakesTwoBands() {
    SalaryBands bands = SalaryBands.parse("60000");
    assertEquals(List.of("<60k", ">=60k"), bands.labels());
    assertEquals("<60k", bands.bandOf(new BigDecimal("59999.99")));
    assertEquals(">=60k", bands.bandOf(new BigDecimal("60000")));
  }

  @Test
  void equalityIgnoresTheScaleOfBounds() {
    assertEquals(SalaryBands.parse("50000,75000"), SalaryBands.parse("50000.00,75000.0"));
    assertEquals(SalaryBands.parse("50000,75000").hashCode(), SalaryBands.parse("50000.00,75000.0").hashCode());
    assertNotEquals(SalaryBands.parse("50000,75000"), SalaryBands.parse("50000,80000"));
  }

  @Test
  void ofValidatesLikeParse() {
    assertEquals(SalaryBands.DEFAULT, SalaryBands.of(List.of(new BigDecimal("50000"), new BigDecimal("75000"),
        new BigDecimal("100000"), new BigDecimal("150000"))));
    assertThrows(IllegalArgumentException.class, () -> SalaryBands.of(List.of()));
    assertThrows(IllegalArgumentException.class, () -> SalaryBands.of(null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   "})
  void emptyBandsAreRejected(String spec) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SalaryBands.parse(spec));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
  }

  @Test
  void nullBandsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> SalaryBands.parse(null));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "50000,abc,100000 | 'abc'",
      "50000,,75000 | ''",
      "50000, | ''",
      "50k,75k | '50k'",
      "-1,50000 | '-1'",
      "0,50000 | '0'",
      "50000,40000 | '40000'",
      "50000,50000 | '50000' is not above",
      "50000,50000.00 | '50000.00'",
  })
  void badBoundsAreRejectedNamingTheValue(String spec, String named) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SalaryBands.parse(spec));
    assertTrue(e.getMessage().contains(named), e.getMessage());
  }
}
