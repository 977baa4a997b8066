package org.activitypipeline.speed.employees;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.activitypipeline.common.json.Json;

/**
 * What a dead letter of a {@code cdc.public.employees} event may carry: the event with every column
 * the {@link ColumnPolicy} does not publish as it is (salary, hashed, dropped and unlisted columns)
 * removed from {@code before} and {@code after}, and of the rest only the envelope fields Debezium
 * defines, with values of their kind (anything else in a malformed event could hold anything). A
 * value that is not a JSON object cannot be sorted into safe and unsafe parts, so none of it is kept.
 *
 * <p>Pure and thread-safe.
 */
public final class EmployeeEventRedaction {
  /** Debezium envelope timestamps, kept when they are integers. */
  private static final Set<String> TIMES = Set.of("ts_ms", "ts_us", "ts_ns");
  /** The PostgreSQL connector's {@code source} fields, kept when they are scalars. */
  private static final Set<String> SOURCE = Set.of("version", "connector", "name", "ts_ms", "ts_us", "ts_ns",
      "snapshot", "db", "sequence", "schema", "table", "txId", "lsn", "xmin");
  /** The {@code transaction} block's fields (provide.transaction.metadata), kept when they are scalars. */
  private static final Set<String> TRANSACTION = Set.of("id", "total_order", "data_collection_order");

  /**
   * @param value   the event as the dead letter would carry it, or null
   * @param removed what was taken out ({@code after.salary}, {@code value}), comma-separated, or
   *     null when nothing was
   */
  public record Redacted(byte[] value, String removed) {
  }

  private final ColumnPolicy policy;

  public EmployeeEventRedaction(ColumnPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  public Redacted redact(byte[] value) {
    if (value == null || value.length == 0) {
      return new Redacted(value, null);
    }
    JsonNode tree;
    try {
      tree = Json.mapper().readTree(value);
    } catch (IOException e) {
      tree = null;
    }
    if (tree == null || !tree.isObject()) {
      return new Redacted(null, "value (not a JSON object)");
    }
    ObjectNode out = Json.mapper().createObjectNode();
    List<String> removed = new ArrayList<>();
    tree.fields().forEachRemaining(field -> {
      String name = field.getKey();
      JsonNode node = field.getValue();
      if ((name.equals("before") || name.equals("after")) && (node.isObject() || node.isNull())) {
        out.set(name, node.isNull() ? node : policy.allowedOnly((ObjectNode) node, name, removed));
      } else if (name.equals("source") && node.isObject()) {
        out.set(name, scalars((ObjectNode) node, name, SOURCE, removed));
      } else if (name.equals("transaction") && node.isObject()) {
        out.set(name, scalars((ObjectNode) node, name, TRANSACTION, removed));
      } else if (name.equals("op") && node.isTextual() && node.textValue().matches("[a-z]")
          || TIMES.contains(name) && node.isIntegralNumber()) {
        out.set(name, node);
      } else {
        removed.add(name);
      }
    });
    return new Redacted(Json.write(out), removed.isEmpty() ? null : String.join(",", removed));
  }

  private static ObjectNode scalars(ObjectNode block, String name, Set<String> known, List<String> removed) {
    ObjectNode copy = block.objectNode();
    block.fields().forEachRemaining(f -> {
      if (known.contains(f.getKey()) && f.getValue().isValueNode()) {
        copy.set(f.getKey(), f.getValue());
      } else {
        removed.add(name + "." + f.getKey());
      }
    });
    return copy;
  }
}
