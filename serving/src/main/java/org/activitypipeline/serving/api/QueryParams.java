package org.activitypipeline.serving.api;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses and checks request parameters; every problem is a {@link BadRequestException} that names
 * the parameter and says what a valid value looks like. Pure: tested without a server.
 *
 * <p>Every value is bounded before it is parsed or used: at most {@link #MAX_VALUE_CHARS} characters;
 * instants and dates in {@link #EARLIEST}..{@link #LATEST} (java.time accepts years up to ±999999999,
 * whose arithmetic overflows); ids ASCII digits only ({@link Long#parseLong} also accepts other scripts'
 * digits, such as Arabic-Indic ones). An error message quotes at most {@link #SHOWN_CHARS} characters
 * of what it got.
 */
final class QueryParams {
  /** Longest value accepted: department and type names are short; a longer value is an attack or a bug. */
  static final int MAX_VALUE_CHARS = 200;
  /** The time range served: data of this pipeline lies well within it. */
  static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
  /** Exclusive: the first instant not served. */
  static final Instant LATEST = Instant.parse("2101-01-01T00:00:00Z");
  static final int SHOWN_CHARS = 64;
  private static final Pattern ASCII_DIGITS = Pattern.compile("[0-9]{1,19}");
  private static final Pattern ASCII_PRINTABLE = Pattern.compile("[\\x21-\\x7e]+");

  private final Map<String, List<String>> params;

  QueryParams(Map<String, List<String>> params) {
    this.params = params;
  }

  /** Rejects parameters the endpoint does not know (a typo must not silently widen a query). */
  QueryParams only(Set<String> known) {
    for (String name : params.keySet()) {
      if (!known.contains(name)) {
        throw new BadRequestException(shown(name), "unknown parameter '" + shown(name) + "'; this endpoint takes "
            + (known.isEmpty() ? "no parameters" : String.join(", ", known.stream().sorted().toList())));
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
    if (v.length() > MAX_VALUE_CHARS) {
      throw new BadRequestException(name, "'" + name + "' is " + v.length() + " characters long; at most "
          + MAX_VALUE_CHARS + " are accepted");
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

  /** An ISO-8601 UTC instant in [{@link #EARLIEST}, {@link #LATEST}). */
  Instant instant(String name) {
    String v = required(name);
    Instant at;
    try {
      if (!ASCII_PRINTABLE.matcher(v).matches()) {
        throw new DateTimeParseException("not ASCII", v, 0);
      }
      at = Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw new BadRequestException(name, "'" + name + "' must be an ISO-8601 UTC instant such as"
          + " 2026-12-01T10:00:00Z, was '" + shown(v) + "'");
    }
    return inServedRange(name, at);
  }

  /** A date (YYYY-MM-DD) whose day lies in the served range. */
  LocalDate date(String name) {
    String v = required(name);
    LocalDate day;
    try {
      if (!ASCII_PRINTABLE.matcher(v).matches()) {
        throw new DateTimeParseException("not ASCII", v, 0);
      }
      day = LocalDate.parse(v);
    } catch (DateTimeParseException e) {
      throw new BadRequestException(name, "'" + name + "' must be a date such as 2026-12-01, was '" + shown(v) + "'");
    }
    inServedRange(name, day.atStartOfDay(ZoneOffset.UTC).toInstant());
    return day;
  }

  private static Instant inServedRange(String name, Instant at) {
    if (at.isBefore(EARLIEST) || !at.isBefore(LATEST)) {
      throw new BadRequestException(name, "'" + name + "' must lie between " + EARLIEST + " and " + LATEST
          + " (exclusive), was " + at);
    }
    return at;
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

  /** A non-negative long written in ASCII digits only. */
  static long employeeId(String raw) {
    try {
      if (raw == null || !ASCII_DIGITS.matcher(raw).matches()) {
        throw new NumberFormatException();
      }
      return Long.parseLong(raw); // 19 digits can still exceed Long.MAX_VALUE: NumberFormatException
    } catch (NumberFormatException e) {
      throw new BadRequestException("id", "the employee id must be a whole number from 0 to " + Long.MAX_VALUE
          + " in ASCII digits, was '" + shown(raw) + "'");
    }
  }

  /** A value as error messages quote it: cut to {@link #SHOWN_CHARS} characters. */
  static String shown(String v) {
    if (v == null) {
      return "";
    }
    return v.length() <= SHOWN_CHARS ? v : v.substring(0, SHOWN_CHARS) + "…(" + v.length() + " characters)";
  }
}
