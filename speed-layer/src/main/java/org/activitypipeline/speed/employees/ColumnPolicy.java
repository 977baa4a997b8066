package org.activitypipeline.speed.employees;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the employee transformer publishes of each column of {@code public.employees}: the one place
 * where personal data is decided. Every column, known or added later by an ALTER TABLE, has an
 * {@link Action}; a column not listed gets the {@code unlisted} action ({@link Action#DROP} by
 * default), so a new column never reaches a topic, table or API until someone allows it.
 *
 * <p>Known columns keep their types, so not every action suits every column: the key and the columns
 * the pipeline works with ({@code employee_id}, {@code department_id}, {@code status},
 * {@code created_at}, {@code updated_at}) are always published; {@code salary} is only ever a band
 * or dropped; ids and dates cannot be hashed (their output fields are numbers and dates).
 *
 * <p>Hashing is HMAC-SHA256 with a secret key, lowercase hex: stable (joins and counts still work)
 * but not reversible by hashing a dictionary of names or e-mail addresses without the key.
 *
 * <p>Immutable and thread-safe.
 */
public final class ColumnPolicy {
  /** What happens to a column's value. */
  public enum Action {
    /** Published as it is. */
    ALLOW,
    /** Published as its {@link SalaryBands band} ({@code salary} only). */
    BAND,
    /** Published as the HMAC-SHA256 of its text, lowercase hex. */
    HASH,
    /** Not published: neither its value nor that it changed. */
    DROP;

    static Action parse(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown action '" + s.trim() + "' (allow, band, hash or drop)");
      }
    }

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final Set<String> ALWAYS_PUBLISHED = Set.of(EmployeeColumns.EMPLOYEE_ID,
      EmployeeColumns.DEPARTMENT_ID, EmployeeColumns.STATUS, EmployeeColumns.CREATED_AT, EmployeeColumns.UPDATED_AT);
  private static final Set<String> TEXT_COLUMNS = Set.of(EmployeeColumns.FIRST_NAME, EmployeeColumns.LAST_NAME,
      EmployeeColumns.EMAIL, EmployeeColumns.JOB_TITLE, EmployeeColumns.LOCATION);
  private static final String ALGORITHM = "HmacSHA256";
  /** The policy of the shipped configuration: every known column as before, salary as a band, new columns dropped. */
  public static final ColumnPolicy DEFAULT = of(Map.of(), Action.DROP, null);

  private final Map<String, Action> listed;
  private final Action unlisted;
  private final SecretKeySpec hashKey;

  private ColumnPolicy(Map<String, Action> listed, Action unlisted, SecretKeySpec hashKey) {
    this.listed = listed;
    this.unlisted = unlisted;
    this.hashKey = hashKey;
  }

  /**
   * @param columns  actions of columns, overriding the known columns' defaults (all {@code allow},
   *     {@code salary} {@code band}) and listing extra columns
   * @param unlisted action of a column not known and not listed: {@code drop} or {@code hash}
   * @param hashKey  the HMAC key, at least 16 characters; needed when any action is {@code hash}
   * @throws IllegalArgumentException naming the column and the action it cannot have
   */
  public static ColumnPolicy of(Map<String, Action> columns, Action unlisted, String hashKey) {
    Map<String, Action> all = new LinkedHashMap<>();
    for (String column : EmployeeColumns.KNOWN) {
      all.put(column, EmployeeColumns.SALARY.equals(column) ? Action.BAND : Action.ALLOW);
    }
    columns.forEach((column, action) -> {
      check(column, action);
      all.put(column, action);
    });
    if (unlisted != Action.DROP && unlisted != Action.HASH) {
      throw new IllegalArgumentException("a column not listed can only be dropped or hashed, not '"
          + unlisted.label() + "'");
    }
    boolean hashes = unlisted == Action.HASH || all.containsValue(Action.HASH);
    if (hashes && (hashKey == null || hashKey.length() < 16)) {
      throw new IllegalArgumentException("hashing a column needs a hash key of at least 16 characters");
    }
    SecretKeySpec key = hashes ? new SecretKeySpec(hashKey.getBytes(StandardCharsets.UTF_8), ALGORITHM) : null;
    return new ColumnPolicy(java.util.Collections.unmodifiableMap(all), unlisted, key);
  }

  /**
   * Parses {@code column:action,column:action}.
   *
   * @throws IllegalArgumentException naming the entry that is not {@code column:action}
   */
  public static Map<String, Action> parseColumns(List<String> entries) {
    Map<String, Action> columns = new LinkedHashMap<>();
    for (String entry : entries) {
      int colon = entry.indexOf(':');
      String column = colon < 0 ? "" : entry.substring(0, colon).trim();
      if (column.isEmpty() || !column.matches("[a-z_][a-z0-9_]*")) {
        throw new IllegalArgumentException("'" + entry + "' is not column:action with a lowercase column name");
      }
      if (columns.put(column, Action.parse(entry.substring(colon + 1))) != null) {
        throw new IllegalArgumentException("column '" + column + "' is listed twice");
      }
    }
    return columns;
  }

  private static void check(String column, Action action) {
    List<Action> allowed = new ArrayList<>();
    if (ALWAYS_PUBLISHED.contains(column)) {
      allowed.add(Action.ALLOW);
    } else if (EmployeeColumns.SALARY.equals(column)) {
      allowed.addAll(List.of(Action.BAND, Action.DROP));
    } else if (TEXT_COLUMNS.contains(column) || !EmployeeColumns.isKnown(column)) {
      allowed.addAll(List.of(Action.ALLOW, Action.HASH, Action.DROP));
    } else {
      allowed.addAll(List.of(Action.ALLOW, Action.DROP)); // manager_id, hire_date: typed outputs
    }
    if (!allowed.contains(action)) {
      throw new IllegalArgumentException("column '" + column + "' can be " + String.join(" or ",
          allowed.stream().map(Action::label).toList()) + ", not '" + action.label() + "'");
    }
  }

  public Action actionFor(String column) {
    return listed.getOrDefault(column, unlisted);
  }

  /** Whether {@code column} is neither known nor listed (it gets the unlisted action). */
  public boolean isUnlisted(String column) {
    return !listed.containsKey(column);
  }

  /** Whether anything of the column is published (its value, band or hash, and that it changed). */
  public boolean publishes(String column) {
    return actionFor(column) != Action.DROP;
  }

  /**
   * A text or extra column's published value: the value itself, its hash (of its text), or null when
   * dropped. Not for {@code salary} (its band is {@link SalaryBands}'s).
   */
  public Object publishedValue(String column, Object value) {
    if (value == null) {
      return null;
    }
    return switch (actionFor(column)) {
      case ALLOW -> value;
      case HASH -> hash(String.valueOf(value));
      case DROP -> null;
      case BAND -> throw new IllegalStateException("column '" + column + "' is banded, not a plain value");
    };
  }

  String hash(String text) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM); // not thread-safe: one per call (employee changes are few)
      mac.init(hashKey);
      return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }

  /**
   * A copy of a row image with only the columns published as they are: what a dead letter may carry.
   *
   * @param removed collects {@code image.column} of every column left out
   */
  ObjectNode allowedOnly(ObjectNode row, String image, List<String> removed) {
    ObjectNode copy = row.objectNode();
    row.fields().forEachRemaining(field -> {
      if (actionFor(field.getKey()) == Action.ALLOW) {
        copy.set(field.getKey(), field.getValue());
      } else {
        removed.add(image + "." + field.getKey());
      }
    });
    return copy;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ColumnPolicy p && listed.equals(p.listed) && unlisted == p.unlisted
        && java.util.Objects.equals(hashKey, p.hashKey);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(listed, unlisted);
  }

  @Override
  public String toString() {
    Map<String, String> shown = new LinkedHashMap<>();
    listed.forEach((column, action) -> shown.put(column, action.label()));
    return "ColumnPolicy[" + shown + ", unlisted=" + unlisted.label() + "]";
  }
}
