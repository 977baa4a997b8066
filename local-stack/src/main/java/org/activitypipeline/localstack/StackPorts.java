package org.activitypipeline.localstack;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every TCP port the local stack binds, all on 127.0.0.1. The defaults sit below Linux's ephemeral
 * range (32768+) so client sockets never take them; {@link #shiftedBy} moves the whole set, which is
 * how a second stack (the integration tests beside a running {@code ./run-local.sh}) avoids clashes.
 */
public record StackPorts(
    int postgres,
    int kafka,
    int kafkaController,
    int cassandraNative,
    int cassandraStorage,
    int cassandraJmx,
    int namenodeRpc,
    int namenodeHttp,
    int datanodeData,
    int datanodeHttp,
    int datanodeIpc,
    int hiveMetastore,
    int hiveServer2,
    int hiveServer2Http) {

  public static StackPorts defaults() {
    return new StackPorts(15432, 19092, 19093, 19042, 17000, 17199, 18020, 19870, 19866, 19864, 19867, 19083,
        20000, 20002);
  }

  /**
   * Kafka's second client listener: SASL_SSL with SCRAM-SHA-512, every principal limited by ACLs (the
   * PLAINTEXT listener is the stack's own, for local development and test set-up).
   */
  public int kafkaSecure() {
    return kafka + 2;
  }

  /** Every port plus {@code offset}. */
  public StackPorts shiftedBy(int offset) {
    if (offset == 0) {
      return this;
    }
    if (offset < -10000 || offset > 10000) {
      throw new IllegalArgumentException("port offset must be within +-10000, was " + offset);
    }
    return new StackPorts(postgres + offset, kafka + offset, kafkaController + offset, cassandraNative + offset,
        cassandraStorage + offset, cassandraJmx + offset, namenodeRpc + offset, namenodeHttp + offset,
        datanodeData + offset, datanodeHttp + offset, datanodeIpc + offset, hiveMetastore + offset,
        hiveServer2 + offset, hiveServer2Http + offset);
  }

  /** The ports one server binds, by role, for the "port in use" check before it starts. */
  public Map<String, Integer> of(ServerKind kind) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    switch (kind) {
      case POSTGRES -> ports.put("postgres", postgres);
      case KAFKA -> {
        ports.put("kafka", kafka);
        ports.put("kafka controller", kafkaController);
        ports.put("kafka sasl_ssl", kafkaSecure());
      }
      case CASSANDRA -> {
        ports.put("cassandra native", cassandraNative);
        ports.put("cassandra storage", cassandraStorage);
        ports.put("cassandra jmx", cassandraJmx);
      }
      case HDFS -> {
        ports.put("namenode rpc", namenodeRpc);
        ports.put("namenode http", namenodeHttp);
        ports.put("datanode data", datanodeData);
        ports.put("datanode http", datanodeHttp);
        ports.put("datanode ipc", datanodeIpc);
      }
      case HIVE_METASTORE -> ports.put("hive metastore", hiveMetastore);
      case HIVESERVER2 -> {
        ports.put("hiveserver2", hiveServer2);
        ports.put("hiveserver2 http", hiveServer2Http);
      }
    }
    return ports;
  }
}
