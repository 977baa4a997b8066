#!/usr/bin/env bash
# Runs the pipeline on the embedded default from a fresh clone: the local stack of real servers
# (PostgreSQL, Kafka, Cassandra, HDFS, Hive Metastore, HiveServer2), both load generators at a
# modest rate, the speed layer's cdc, poller and processor, one batch-layer scheduler node and the
# serving layer (API and dashboard). It prints the dashboard's URL and a live status line.
# Ctrl-C stops everything cleanly (processes first, then the servers); running it again resumes on
# the same data (./data).
set -euo pipefail
cd "$(dirname "$0")"

DATA_DIR=${DATA_DIR:-$PWD/data}
EMPLOYEE_RATE=${EMPLOYEE_RATE:-5}
ACTIVITY_RATE=${ACTIVITY_RATE:-50}
if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/java-17-openjdk-amd64 ]; then
  export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
fi
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java

# Build once, and again whenever a source is newer than the jars. Never while a stack runs from them.
jar=local-stack/target/local-stack.jar
if [ ! -f "$jar" ] || [ -n "$(find . -path ./data -prune -o \( -path '*/src/main/*' -o -name 'pom.xml' -o -name '*.sql' -o -name '*.cql' \) -type f -newer "$jar" -print -quit)" ]; then
  echo "Building (the first run downloads the servers from Maven Central; this takes a few minutes)..."
  mvn -B -q -DskipTests package
fi

mkdir -p "$DATA_DIR/logs"
pids=()
stop_all() { # $1: exit code
  trap - INT TERM EXIT
  echo
  echo "Stopping..."
  # processes first (each finishes or aborts its Kafka transaction), then the servers
  for ((i=${#pids[@]}-1; i>=0; i--)); do kill -TERM "${pids[$i]}" 2>/dev/null || true; wait "${pids[$i]}" 2>/dev/null || true; done
  echo "Stopped. Data is kept in $DATA_DIR; run ./run-local.sh again to resume."
  exit "${1:-0}"
}
# Ctrl-C, SIGTERM, and any unexpected exit of this script stop every process it started.
trap 'stop_all 0' INT TERM
trap 'stop_all $?' EXIT

echo "Starting the local stack in $DATA_DIR (server logs in $DATA_DIR/logs) ..."
# setsid: Ctrl-C reaches this script only, which then stops everything in order
setsid "$JAVA" -jar "$jar" up --data-dir "$DATA_DIR" > "$DATA_DIR/logs/stack.out" 2> "$DATA_DIR/logs/launcher.log" &
pids+=($!)
until grep -q READY "$DATA_DIR/logs/stack.out" 2>/dev/null; do
  kill -0 "${pids[0]}" 2>/dev/null || { echo "The local stack failed to start:"; tail -20 "$DATA_DIR/logs/launcher.log"; stop_all 1; }
  sleep 1
done
echo "Local stack READY: connection settings in $DATA_DIR/stack.properties"

run() { # name, then the command
  local name=$1; shift
  setsid "$@" > "$DATA_DIR/logs/$name.log" 2>&1 &
  pids+=($!)
  echo "  started $name (log: $DATA_DIR/logs/$name.log)"
}
run generator-employees "$JAVA" -jar generators/target/generators.jar employees --rate "$EMPLOYEE_RATE"
sleep 5 # the activity generator reads the seeded employees once at start
run generator-activities "$JAVA" -jar generators/target/generators.jar activities --rate "$ACTIVITY_RATE"
run cdc "$JAVA" -jar speed-layer/target/speed-layer.jar cdc --config speed-layer/config/cdc.properties
run poller "$JAVA" -jar speed-layer/target/speed-layer.jar poller --config speed-layer/config/poller.properties
run processor "$JAVA" -jar speed-layer/target/speed-layer.jar processor --config speed-layer/config/processor.properties
run batch-layer "$JAVA" -Xmx1g -Djdk.attach.allowAttachSelf=true -jar batch-layer/target/batch-layer.jar run \
  --config batch-layer/config/batch.properties
run serving "$JAVA" -Xmx512m -jar serving/target/serving.jar serve --config serving/config/serving.properties

echo
echo "Dashboard: http://127.0.0.1:8080/   API: http://127.0.0.1:8080/api/v1/status (OpenAPI: /api/v1/openapi.yaml)"
echo "Metrics: cdc :9401, poller :9402, processor :9403, batch layer :9404, serving :8080 (all /metrics)."
echo "Hive: java -jar local-stack/target/local-stack.jar hive -e 'SELECT * FROM activity.hourly_activity LIMIT 10' (after the"
echo "first ingest, views and hive-sync runs, ~5 minutes). Ctrl-C stops everything."
echo

# The status line is best effort: nothing in it may stop the script (set -e), so every command
# substitution falls back to '?'.
# GET http://127.0.0.1:PORT/PATH with bash alone (no curl on a fresh machine); prints the body.
http_get() {
  local body=""
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 0
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$2" >&3 || true
  body=$(timeout 3 cat <&3) || true
  exec 3>&-
  printf '%s' "${body#*$'\r\n\r\n'}"
}
# The sum of the samples of metric $2 whose labels contain every one of $3... (e.g. 'stage="enrich"').
metric_sum() {
  local port=$1 name=$2; shift 2
  http_get "$port" /metrics | awk -v n="$name{" -v want="$*" '
    index($0, n) == 1 { ok = 1; k = split(want, w, " "); for (i = 1; i <= k; i++) if (!index($0, w[i])) ok = 0; if (ok) s += $NF }
    END { printf "%d", s }'
}
json_field() { # crude: the value of "$1" in a flat JSON object ('' for null)
  sed -n "s/.*\"$1\":\(\"[^\"]*\"\|[^,}]*\).*/\1/p" | tr -d '"' | sed 's/^null$//'
}
status_line() {
  local written polled processed status commit horizon
  written=$(grep -o 'total=[0-9]*' "$DATA_DIR/logs/generator-activities.log" 2>/dev/null | tail -1 | cut -d= -f2) || written=""
  polled=$(metric_sum 9402 poller_rows_emitted_total) || polled="?"
  processed=$(metric_sum 9403 processor_records_total 'stage="enrich"' 'outcome="ok"') || processed="?"
  status=$(http_get 8080 /api/v1/status) || status=""
  commit=$(printf '%s' "$status" | json_field last_batch_ingest_commit) || commit=""
  horizon=$(printf '%s' "$status" | json_field horizon) || horizon=""
  printf '\r%s  events in: %s  polled: %s  enriched: %s  last batch commit: %s  horizon: %s   ' "$(date +%H:%M:%S)" \
    "${written:-0}" "${polled:-?}" "${processed:-?}" "${commit:-none yet}" "${horizon:-none yet}"
}
while true; do
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo; echo "a process exited unexpectedly (pid $pid); see $DATA_DIR/logs"; stop_all 1; }
  done
  status_line || true
  sleep 5
done
