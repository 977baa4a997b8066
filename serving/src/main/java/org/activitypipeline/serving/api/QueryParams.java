package org.activitypipeline.serving.api;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses and checks request parameters; every problem is a {@link BadRequestException} that names
 * the parameter and says what a valid value looks like. Pure: tested without a server.
 */
final class QueryParams {
  private final Map<String, List<String>> params;

  QueryParams(Map<String, List<String>> params) {
    this.params = params;
  }

  /** Rejects parameters the endpoint does not know (a typo must not silently widen a query). */
  QueryParams only(Set<String> known) {
    for (String name : params.keySet()) {
      if (!known.contains(name)) {
        throw new BadRequestException(name, "unknown parameter '" + name + "'; this endpoint takes "
            + String.join(", ", known.stream().sorted().toList()));
      }
    }
    return this;
  }

  String optional(String name) {
    List<String> values = params.get(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw new BadRequestException(name, "'" + name + "' was given " + values.size() + " times; give it once");
    }
    String v = values.get(0).trim();
    if (v.isEmpty()) {
      throw new BadRequestException(name, "'" + name + "' is empty; leave it out to mean all");
    }
    return v;
  }

  String required(String name) {
    String v = optional(name);
    if (v == null) {
      throw new BadRequestException(name, "'" + name + "' is required");
    }
    return v;
  }

  Instant instant(String name) {
    String v = required(name);
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw new BadRequestException(name, "'" + name + "' must be an ISO-8601 UTC instant such as"
          + " 2026-12-01T10:00:00Z, was '" + v + "'");
    }
  }

  LocalDate date(String name) {
    String v = required(name);
    try {
      return LocalDate.parse(v);
    } catch (DateTimeParseException e) {
      throw new BadRequestException(name, "'" + name + "' must be a date such as 2026-12-01, was '" + v + "'");
    }
  }

  /** Checks {@code from < to} and the maximum range; the error names {@code to}. */
  static void checkRange(Instant from, Instant to, Duration maxRange) {
    if (!from.isBefore(to)) {
      throw new BadRequestException("to", "'to' (" + to + ") must be after 'from' (" + from + ")");
    }
    if (Duration.between(from, to).compareTo(maxRange) > 0) {
      throw new BadRequestException("to", "the range from 'from' to 'to' is longer than the maximum of "
          + maxRange.toDays() + " days; ask for a shorter range");
    }
  }

  static long employeeId(String raw) {
    try {
      long id = Long.parseLong(raw);
      if (id < 0) {
        throw new NumberFormatException();
      }
      return id;
    } catch (NumberFormatException e) {
      throw new BadRequestException("id", "the employee id must be a non-negative whole number, was '" + raw + "'");
    }
  }
}
