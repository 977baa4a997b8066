#!/usr/bin/env bash
# Checks the deployment files without Docker or a running systemd (CI runs it before the tests):
#   - every unit of deploy/systemd passes `systemd-analyze verify`, warnings included;
#   - every service's exposure score (`systemd-analyze security --offline=true`) is at most MAX_EXPOSURE;
#   - every config and environment file a unit names is shipped as deploy/config/<name>(.example);
#   - docker-compose.yml passes `docker-compose config` (with a serving token; without one it must fail);
#   - deploy/prometheus passes `promtool check config` and `promtool check rules`, every alert has a
#     runbook link into docs/OPERATIONS.md naming a section that exists (EndToEndIT reads the
#     Grafana dashboard and checks every metric the rules and its panels name against live scrapes).
# Installs systemd (for systemd-analyze), docker-compose and prometheus (promtool) with apt-get when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

MAX_EXPOSURE=${MAX_EXPOSURE:-4.0}

need() { # command, then the Debian package that has it
  command -v "$1" >/dev/null && return 0
  echo "installing $2 (for $1)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq "$2" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }
}
need systemd-analyze systemd
need docker-compose docker-compose
need promtool prometheus

failed=0
fail() {
  echo "FAIL: $*" >&2
  failed=1
}

units=(deploy/systemd/*.service)
# verify exits non-zero on errors (a missing ExecStart binary, a bad value) but only warns about
# an unknown key, so any output fails too. It needs neither the user nor the jar to exist.
if ! out=$(systemd-analyze verify "${units[@]}" deploy/systemd/*.target 2>&1) || [ -n "$out" ]; then
  fail "systemd-analyze verify deploy/systemd:"$'\n'"$out"
else
  echo "ok   systemd-analyze verify: ${#units[@]} services, $(ls deploy/systemd/*.target | wc -l) target"
fi

for unit in "${units[@]}"; do
  name=$(basename "$unit")
  report=$(systemd-analyze security --offline=true "$unit" 2>&1) || true
  score=$(sed -n "s/.*Overall exposure level for $name: \([0-9][0-9.]*\).*/\1/p" <<< "$report")
  if [ -z "$score" ]; then
    fail "$name: no exposure score in the output of systemd-analyze security:"$'\n'"$report"
  elif awk -v s="$score" -v m="$MAX_EXPOSURE" 'BEGIN { exit !(s > m) }'; then
    fail "$name: exposure $score is above $MAX_EXPOSURE; the findings (✗):"$'\n'"$(grep '✗' <<< "$report" || true)"
  else
    echo "ok   $name: exposure $score (at most $MAX_EXPOSURE)"
  fi
  # The files the unit reads on a VM are shipped as examples.
  for f in $(sed -n 's#.*/etc/activity-pipeline/\([a-z-]*\.properties\).*#\1#p' "$unit"); do
    [ -f "deploy/config/$f" ] || fail "$name reads /etc/activity-pipeline/$f, but deploy/config/$f is missing"
  done
  for f in $(sed -n 's#^EnvironmentFile=-\{0,1\}/etc/activity-pipeline/\([a-z-]*\.env\)$#\1#p' "$unit"); do
    [ -f "deploy/config/$f.example" ] || fail "$name reads /etc/activity-pipeline/$f, but deploy/config/$f.example is missing"
  done
done

# The serving token is required: without it compose must refuse, naming it; with one (a dummy
# here, never used) the file must be valid.
if out=$(env -u SERVING_AUTH_TOKEN docker-compose -f docker-compose.yml config -q 2>&1); then
  fail "docker-compose config passes without SERVING_AUTH_TOKEN: serving would start without a token"
elif ! grep -q SERVING_AUTH_TOKEN <<< "$out"; then
  fail "docker-compose config without SERVING_AUTH_TOKEN fails, but not naming it:"$'\n'"$out"
else
  echo "ok   docker-compose config refuses to run without SERVING_AUTH_TOKEN"
fi
export SERVING_AUTH_TOKEN=check-sh-dummy-token-not-used-anywhere
if ! out=$(docker-compose -f docker-compose.yml config -q 2>&1); then
  fail "docker-compose -f docker-compose.yml config:"$'\n'"$out"
else
  echo "ok   docker-compose config: $(docker-compose -f docker-compose.yml config --services | wc -l) services"
fi

bash -n deploy/create-topics.sh || fail "deploy/create-topics.sh: syntax error"

# Prometheus: the scrape configuration and the rules load; every alert's runbook section exists.
if ! out=$(promtool check config --syntax-only deploy/prometheus/prometheus.yml 2>&1); then
  fail "promtool check config deploy/prometheus/prometheus.yml:"$'\n'"$out"
else
  echo "ok   promtool check config deploy/prometheus/prometheus.yml"
fi
if ! out=$(promtool check rules deploy/prometheus/alerts.yml 2>&1); then
  fail "promtool check rules deploy/prometheus/alerts.yml:"$'\n'"$out"
else
  echo "ok   promtool check rules: $(grep -c '^ *- alert:' deploy/prometheus/alerts.yml) alerts"
fi
alerts=$(grep -c '^ *- alert:' deploy/prometheus/alerts.yml)
runbooks=$(grep -c 'runbook_url: ".*docs/OPERATIONS.md#' deploy/prometheus/alerts.yml)
[ "$alerts" -eq "$runbooks" ] || fail "deploy/prometheus/alerts.yml: $alerts alerts, $runbooks runbook links into docs/OPERATIONS.md"
for anchor in $(sed -n 's/.*OPERATIONS.md#\([^"]*\)".*/\1/p' deploy/prometheus/alerts.yml | sort -u); do
  # GitHub's anchors: a heading lowercased, spaces to hyphens, punctuation dropped.
  grep -E '^#+ ' docs/OPERATIONS.md | sed 's/^#* //' | tr 'A-Z ' 'a-z-' | tr -cd 'a-z0-9-\n' | grep -qx "$anchor" \
    || fail "deploy/prometheus/alerts.yml links docs/OPERATIONS.md#$anchor, a section that does not exist"
done

if [ "$failed" -ne 0 ]; then
  echo "deploy/check.sh: FAILED" >&2
  exit 1
fi
echo "deploy/check.sh: all deployment files pass"
