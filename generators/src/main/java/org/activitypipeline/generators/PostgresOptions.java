package org.activitypipeline.generators;

import picocli.CommandLine.Option;

/** Where the employees database is; shared by both subcommands. */
final class PostgresOptions {
  @Option(names = "--jdbc-url", defaultValue = "jdbc:postgresql://127.0.0.1:15432/hr", paramLabel = "URL",
      description = "JDBC URL of the employees database. Default: ${DEFAULT-VALUE}.")
  String jdbcUrl;

  @Option(names = "--user", defaultValue = "pipeline", description = "PostgreSQL user. Default: ${DEFAULT-VALUE}.")
  String user;

  @Option(names = "--password", defaultValue = "pipeline",
      description = "PostgreSQL password. Default: ${DEFAULT-VALUE}.")
  String password;
}
