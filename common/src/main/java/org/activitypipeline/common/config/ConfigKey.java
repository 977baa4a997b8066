package org.activitypipeline.common.config;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * One declared configuration key: name, type, default, validation rule and documentation, all in
 * one place (the Kafka clients' {@code ConfigDef} idea). A key without a default is required.
 *
 * @param <T> the parsed value type
 */
public final class ConfigKey<T> {
  private final String name;
  private final ConfigType<T> type;
  private final T defaultValue;
  private final boolean required;
  private final Predicate<T> validator;
  private final String validatorDoc;
  private final String doc;

  private ConfigKey(String name, ConfigType<T> type, T defaultValue, boolean required,
      Predicate<T> validator, String validatorDoc, String doc) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
    this.defaultValue = defaultValue;
    this.required = required;
    this.validator = validator;
    this.validatorDoc = validatorDoc;
    this.doc = doc;
  }

  /** A required key (no default) of the given type. */
  public static <T> ConfigKey<T> of(String name, ConfigType<T> type) {
    if (name.isBlank() || !name.equals(name.trim())) {
      throw new IllegalArgumentException("config key name must be non-blank without spaces: '" + name + "'");
    }
    return new ConfigKey<>(name, type, null, true, v -> true, null, "");
  }

  /** A copy that is optional and falls back to {@code value}. */
  public ConfigKey<T> defaultValue(T value) {
    return new ConfigKey<>(name, type, Objects.requireNonNull(value, "default of " + name), false,
        validator, validatorDoc, doc);
  }

  /** A copy that is optional with no default: {@link Config#get} returns {@code null} when unset. */
  public ConfigKey<T> optional() {
    return new ConfigKey<>(name, type, null, false, validator, validatorDoc, doc);
  }

  /** A copy that rejects values failing {@code rule}; {@code description} completes "must be ...". */
  public ConfigKey<T> validate(Predicate<T> rule, String description) {
    return new ConfigKey<>(name, type, defaultValue, required, validator.and(rule),
        validatorDoc == null ? description : validatorDoc + " and " + description, doc);
  }

  public ConfigKey<T> doc(String text) {
    return new ConfigKey<>(name, type, defaultValue, required, validator, validatorDoc, text);
  }

  public String name() {
    return name;
  }

  public ConfigType<T> type() {
    return type;
  }

  public T defaultValue() {
    return defaultValue;
  }

  public boolean required() {
    return required;
  }

  public String doc() {
    return doc;
  }

  String validatorDoc() {
    return validatorDoc;
  }

  /** Parses and validates {@code raw} (from {@code origin}, for the message). */
  T parse(String raw, String origin) {
    T value;
    try {
      value = type.parse(raw);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name, "Invalid value '" + raw + "' for config key '" + name + "' (from "
          + origin + "): " + e.getMessage());
    }
    check(value, raw, origin);
    return value;
  }

  void check(T value, String raw, String origin) {
    if (!validator.test(value)) {
      throw new ConfigException(name, "Invalid value '" + raw + "' for config key '" + name + "' (from "
          + origin + "): must be " + validatorDoc);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
