package org.activitypipeline.common.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a raw string becomes a typed value. {@link #parse} throws {@link IllegalArgumentException}
 * with a short explanation; {@link ConfigDef} turns it into a {@link ConfigException} naming the key.
 */
public final class ConfigType<T> {
  private static final Pattern DURATION_PATTERN = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  public static final ConfigType<String> STRING = new ConfigType<>("string", s -> s, String::valueOf);
  /** Like STRING, but never printed: {@link Config#toString()} shows {@code [hidden]}. */
  public static final ConfigType<String> PASSWORD = new ConfigType<>("password", s -> s, s -> "[hidden]");
  public static final ConfigType<Integer> INT =
      new ConfigType<>("int", s -> parseNumber(s, Integer::parseInt, "an integer"), String::valueOf);
  public static final ConfigType<Long> LONG =
      new ConfigType<>("long", s -> parseNumber(s, Long::parseLong, "an integer"), String::valueOf);
  public static final ConfigType<Boolean> BOOLEAN =
      new ConfigType<>("boolean", ConfigType::parseBoolean, String::valueOf);
  /** {@code 250ms}, {@code 5s}, {@code 10m}, {@code 2h}, {@code 1d}, or ISO-8601 ({@code PT30S}). */
  public static final ConfigType<Duration> DURATION =
      new ConfigType<>("duration", ConfigType::parseDuration, ConfigType::formatDuration);
  /** Comma-separated, blanks trimmed, empty entries dropped. */
  public static final ConfigType<List<String>> LIST =
      new ConfigType<>("list", ConfigType::parseList, l -> String.join(",", l));
  public static final ConfigType<Path> PATH = new ConfigType<>("path", Path::of, Path::toString);

  private final String name;
  private final Function<String, T> parser;
  private final Function<T, String> printer;

  private ConfigType(String name, Function<String, T> parser, Function<T, String> printer) {
    this.name = name;
    this.parser = parser;
    this.printer = printer;
  }

  /** Values restricted to the constants of {@code type}, matched case-insensitively. */
  public static <E extends Enum<E>> ConfigType<E> enumOf(Class<E> type) {
    return new ConfigType<>("one of " + Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT),
        s -> {
          for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(s.trim().replace('-', '_'))) {
              return constant;
            }
          }
          throw new IllegalArgumentException("expected one of "
              + Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
        },
        e -> e.name().toLowerCase(Locale.ROOT));
  }

  public String name() {
    return name;
  }

  public T parse(String raw) {
    return parser.apply(raw.trim());
  }

  String print(T value) {
    return value == null ? "" : printer.apply(value);
  }

  private static <N> N parseNumber(String s, Function<String, N> parser, String what) {
    try {
      return parser.apply(s.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected " + what);
    }
  }

  private static Boolean parseBoolean(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw new IllegalArgumentException("expected true or false");
    };
  }

  static Duration parseDuration(String s) {
    if (s.regionMatches(true, 0, "P", 0, 1)) {
      try {
        return Duration.parse(s);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("expected a duration such as 250ms, 5s, 10m, 2h or PT30S");
      }
    }
    Matcher m = DURATION_PATTERN.matcher(s.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("expected a duration such as 250ms, 5s, 10m, 2h or PT30S");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  private static String formatDuration(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0 && ms > 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0 && ms > 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }

  private static List<String> parseList(String s) {
    return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
  }
}
