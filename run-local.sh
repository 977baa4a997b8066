#!/usr/bin/env bash
# Runs the pipeline on the embedded default (the local stack of real servers) from a fresh clone.
# Ctrl-C stops everything cleanly; running it again resumes on the same data (./data).
#
# Today this starts the local stack (PostgreSQL, Kafka, Cassandra, HDFS, Hive Metastore,
# HiveServer2); the pipeline processes join it as they are built (see the issues).
set -euo pipefail
cd "$(dirname "$0")"

DATA_DIR=${DATA_DIR:-$PWD/data}
if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/java-17-openjdk-amd64 ]; then
  export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
fi
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java

# Build once (and again whenever a source file is newer than the launcher jar).
jar=local-stack/target/local-stack.jar
if [ ! -f "$jar" ] || [ -n "$(find . -path ./data -prune -o \( -name '*.java' -o -name 'pom.xml' -o -name '*.sql' -o -name '*.cql' \) -newer "$jar" -print -quit)" ]; then
  echo "Building (first run downloads the servers from Maven Central; this takes a few minutes)..."
  mvn -B -q -DskipTests package
fi

echo "Starting the local stack in $DATA_DIR (logs in $DATA_DIR/logs) ..."
exec "$JAVA" -jar "$jar" up --data-dir "$DATA_DIR" "$@"
