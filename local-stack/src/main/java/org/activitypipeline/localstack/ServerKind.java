package org.activitypipeline.localstack;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The servers of the local stack, in start order. Each names the servers it needs running first,
 * so {@code --only hiveserver2} also starts HDFS and the metastore.
 */
public enum ServerKind {
  POSTGRES("postgres"),
  KAFKA("kafka"),
  CASSANDRA("cassandra"),
  HDFS("hdfs"),
  HIVE_METASTORE("hive-metastore", HDFS),
  HIVESERVER2("hiveserver2", HDFS, HIVE_METASTORE);

  private final String cliName;
  private final List<ServerKind> requires;

  ServerKind(String cliName, ServerKind... requires) {
    this.cliName = cliName;
    this.requires = List.of(requires);
  }

  /** The name used on the command line and in log and data folder names. */
  public String cliName() {
    return cliName;
  }

  public List<ServerKind> requires() {
    return requires;
  }

  /** @throws IllegalArgumentException naming the valid servers */
  public static ServerKind fromCliName(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (ServerKind kind : values()) {
      if (kind.cliName.equals(n) || kind.name().equalsIgnoreCase(n)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown server '" + name + "'; valid: "
        + String.join(", ", List.of(values()).stream().map(ServerKind::cliName).toList()));
  }

  /** {@code wanted} plus everything it requires, in start order. */
  public static Set<ServerKind> withRequirements(Set<ServerKind> wanted) {
    EnumSet<ServerKind> all = EnumSet.noneOf(ServerKind.class);
    for (ServerKind kind : wanted) {
      all.add(kind);
      all.addAll(kind.requires);
    }
    return new LinkedHashSet<>(all);
  }
}
