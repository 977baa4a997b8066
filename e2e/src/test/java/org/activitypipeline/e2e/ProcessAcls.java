package org.activitypipeline.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The Kafka users and ACLs of the pipeline's processes with the shipped names (topics, groups,
 * transactional ids): each process gets only what it reads and writes. The same table is in
 * docs/SECURITY.md; this is what the secure pipeline test runs with, so a process that needs more than
 * it lists fails that test.
 */
final class ProcessAcls {
  private static final AclOperation READ = AclOperation.READ;
  private static final AclOperation WRITE = AclOperation.WRITE;
  private static final AclOperation DESCRIBE = AclOperation.DESCRIBE;
  private static final AclOperation CREATE = AclOperation.CREATE;
  private static final AclOperation DESCRIBE_CONFIGS = AclOperation.DESCRIBE_CONFIGS;

  private ProcessAcls() {
  }

  /** Users with SCRAM-SHA-512 credentials {@code <name>-secret-pw}, and every process's ACLs. */
  static void install(Admin admin, List<String> users) throws Exception {
    List<org.apache.kafka.clients.admin.UserScramCredentialAlteration> creds = new ArrayList<>();
    for (String user : users) {
      creds.add(new UserScramCredentialUpsertion(user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096),
          password(user)));
    }
    admin.alterUserScramCredentials(creds).all().get();
    admin.createAcls(bindings()).all().get();
  }

  static String password(String user) {
    return user + "-secret-pw";
  }

  static List<AclBinding> bindings() {
    List<AclBinding> b = new ArrayList<>();
    // cdc: writes the change topics and dead letters in transactions; keeps Debezium's offsets in Kafka.
    topic(b, "cdc", "cdc.", PatternType.PREFIXED, WRITE, DESCRIBE);
    topic(b, "cdc", "pipeline-dlq", PatternType.LITERAL, WRITE, DESCRIBE);
    topic(b, "cdc", "cdc-offsets", PatternType.LITERAL, READ, WRITE, DESCRIBE, CREATE, DESCRIBE_CONFIGS);
    transactionalId(b, "cdc", "speed-layer-cdc-0", PatternType.LITERAL);
    // poller: rows to raw-activities (and rejects to the DLQ) with its watermark in poller-state, in one
    // transaction; it reads all three back when it takes a shard over; poller-shards is its group's topic.
    topic(b, "poller", "raw-activities", PatternType.LITERAL, READ, WRITE, DESCRIBE);
    topic(b, "poller", "pipeline-dlq", PatternType.LITERAL, READ, WRITE, DESCRIBE);
    topic(b, "poller", "poller-state", PatternType.LITERAL, READ, WRITE, DESCRIBE);
    topic(b, "poller", "poller-shards", PatternType.LITERAL, READ, DESCRIBE);
    group(b, "poller", "speed-layer-poller");
    transactionalId(b, "poller", "activity-poller-0", PatternType.LITERAL);
    // processor: reads the change topics and raw-activities, writes every processed topic; owns its
    // internal topics (created at start) and transactional ids under its application.id.
    topic(b, "processor", "cdc.", PatternType.PREFIXED, READ, DESCRIBE);
    topic(b, "processor", "raw-activities", PatternType.LITERAL, READ, DESCRIBE);
    for (String t : List.of("processed-employees", "processed-departments")) {
      topic(b, "processor", t, PatternType.LITERAL, READ, WRITE, DESCRIBE); // the directory reads them back
    }
    for (String t : List.of("processed-activities", "hourly-activity-aggregations", "daily-device-aggregations",
        "late-activities", "pipeline-dlq")) {
      topic(b, "processor", t, PatternType.LITERAL, WRITE, DESCRIBE);
    }
    topic(b, "processor", "speed-layer-processor-", PatternType.PREFIXED, READ, WRITE, DESCRIBE, CREATE,
        DESCRIBE_CONFIGS);
    group(b, "processor", "speed-layer-processor");
    transactionalId(b, "processor", "speed-layer-processor-", PatternType.PREFIXED);
    // batch layer (ingest): reads the processed topics in its group, dead-letters, checks retention.
    for (String t : List.of("processed-employees", "processed-departments", "processed-activities")) {
      topic(b, "batch", t, PatternType.LITERAL, READ, DESCRIBE, DESCRIBE_CONFIGS);
    }
    topic(b, "batch", "pipeline-dlq", PatternType.LITERAL, READ, WRITE, DESCRIBE);
    // One group per table (batch-layer-employees, ...): the ingest mirrors its Kafka position there for lag tools.
    group(b, "batch", "batch-layer", PatternType.PREFIXED);
    // batch layer (reconcile): reads what the poller sent, repairs into raw-activities, records completeness.
    topic(b, "batch", "raw-activities", PatternType.LITERAL, READ, WRITE, DESCRIBE);
    topic(b, "batch", "poller-state", PatternType.LITERAL, READ, DESCRIBE);
    topic(b, "batch", "activity-completeness", PatternType.LITERAL, READ, WRITE, DESCRIBE);
    transactionalId(b, "batch", "batch-layer-reconcile", PatternType.LITERAL);
    // serving: reads the views and states it serves, and for the health panel the dead letters' headers and
    // the late activities, without a consumer group.
    for (String t : List.of("hourly-activity-aggregations", "daily-device-aggregations", "processed-employees",
        "processed-activities", "activity-completeness", "pipeline-dlq", "late-activities")) {
      topic(b, "serving", t, PatternType.LITERAL, READ, DESCRIBE);
    }
    return b;
  }

  private static void topic(List<AclBinding> b, String user, String name, PatternType type, AclOperation... ops) {
    for (AclOperation op : ops) {
      b.add(allow(user, new ResourcePattern(ResourceType.TOPIC, name, type), op));
    }
  }

  private static void group(List<AclBinding> b, String user, String group) {
    group(b, user, group, PatternType.LITERAL);
  }

  private static void group(List<AclBinding> b, String user, String group, PatternType type) {
    b.add(allow(user, new ResourcePattern(ResourceType.GROUP, group, type), READ));
    b.add(allow(user, new ResourcePattern(ResourceType.GROUP, group, type), DESCRIBE));
  }

  private static void transactionalId(List<AclBinding> b, String user, String id, PatternType type) {
    b.add(allow(user, new ResourcePattern(ResourceType.TRANSACTIONAL_ID, id, type), WRITE));
    b.add(allow(user, new ResourcePattern(ResourceType.TRANSACTIONAL_ID, id, type), DESCRIBE));
  }

  private static AclBinding allow(String user, ResourcePattern resource, AclOperation op) {
    return new AclBinding(resource, new AccessControlEntry("User:" + user, "*", op, AclPermissionType.ALLOW));
  }

  /** A client's settings for the SASL_SSL listener as {@code user} with its right password. */
  static Map<String, Object> clientSettingsWithoutPrefix(String user, String trustStore, String trustPassword) {
    Map<String, Object> out = new java.util.HashMap<>();
    clientSettings(user, password(user), trustStore, trustPassword)
        .forEach((k, v) -> out.put(k.substring("kafka.client.".length()), v));
    return out;
  }

  /** A process's kafka.client.* settings for the SASL_SSL listener as {@code user}. */
  static Map<String, String> clientSettings(String user, String password, String trustStore, String trustPassword) {
    return Map.of(
        "kafka.client.security.protocol", "SASL_SSL",
        "kafka.client.sasl.mechanism", "SCRAM-SHA-512",
        "kafka.client.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"" + user + "\" password=\"" + password + "\";",
        "kafka.client.ssl.truststore.type", "PKCS12",
        "kafka.client.ssl.truststore.location", trustStore,
        "kafka.client.ssl.truststore.password", trustPassword);
  }
}
