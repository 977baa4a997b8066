#!/usr/bin/env bash
# Creates the Kafka topics of the pipeline's contract (DESIGN §4, common/.../topic/Topics.java) with
# their partition counts and cleanup policies; existing topics are left alone, so it is safe to rerun.
# Brokers do not create topics on first use (auto.create.topics.enable=false): a typo in a client's
# topic name must fail, not create a one-partition topic. Topics the processes create themselves:
# cdc-offsets (cdc) and <application.id>-* (processor).
#
#   BOOTSTRAP_SERVERS=kafka-1.internal:9092 deploy/create-topics.sh             # production: RF 3, min ISR 2
#   BOOTSTRAP_SERVERS=kafka:9092 REPLICATION_FACTOR=1 MIN_INSYNC_REPLICAS=1 ...  # one broker (docker-compose)
set -euo pipefail

BOOTSTRAP_SERVERS=${BOOTSTRAP_SERVERS:?set BOOTSTRAP_SERVERS=host:port[,host:port...]}
REPLICATION_FACTOR=${REPLICATION_FACTOR:-3}
MIN_INSYNC_REPLICAS=${MIN_INSYNC_REPLICAS:-2}
# processed-employees and processed-departments are compacted, and the batch layer keeps their full
# history (the processor's as-of join a day of it): older changes must survive until the batch layer
# read them, so compaction waits this long (docs/BATCH.md).
EMPLOYEES_MIN_COMPACTION_LAG_MS=${EMPLOYEES_MIN_COMPACTION_LAG_MS:-604800000}
# kafka-topics.sh from the Kafka distribution (bin/ of the tarball; /opt/kafka/bin in apache/kafka images)
KAFKA_TOPICS=${KAFKA_BIN:+$KAFKA_BIN/}kafka-topics.sh
# Extra client settings (TLS, SASL) for kafka-topics.sh --command-config, if the cluster needs them.
COMMAND_CONFIG=${COMMAND_CONFIG:-}

# name partitions cleanup.policy -- must equal Topics.ALL (TopicsTest fails when they differ)
TOPICS="
cdc.public.employees 3 delete
cdc.public.departments 1 delete
raw-activities 6 delete
processed-employees 3 compact
processed-departments 1 compact
processed-activities 6 delete
hourly-activity-aggregations 6 compact
daily-device-aggregations 3 compact
late-activities 3 delete
pipeline-dlq 3 delete
poller-state 1 compact
poller-shards 8 delete
activity-completeness 1 compact
"

while read -r name partitions policy; do
  [ -n "$name" ] || continue
  configs=(--config "cleanup.policy=$policy" --config "min.insync.replicas=$MIN_INSYNC_REPLICAS")
  if [ "$name" = processed-employees ] || [ "$name" = processed-departments ]; then
    configs+=(--config "min.compaction.lag.ms=$EMPLOYEES_MIN_COMPACTION_LAG_MS")
  fi
  "$KAFKA_TOPICS" --bootstrap-server "$BOOTSTRAP_SERVERS" ${COMMAND_CONFIG:+--command-config "$COMMAND_CONFIG"} \
    --create --if-not-exists --topic "$name" --partitions "$partitions" \
    --replication-factor "$REPLICATION_FACTOR" "${configs[@]}"
  echo "topic $name present ($partitions partitions, cleanup.policy=$policy)"
done <<< "$TOPICS"
