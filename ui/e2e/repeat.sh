#!/usr/bin/env bash
# Runs the browser end-to-end test N times, each against a fresh portal (embedded H2, local agent)
# built from the jars in this tree, as .ci/run does once. For intermittent failures: the work dir
# of each failed run (portal.log with the agent's lines, e2e.log, screenshots) is kept.
#   N=10 ui/e2e/repeat.sh            after ./mvnw -B -q package -DskipTests
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
n=${N:-10}
kept=${RDE_E2E_KEEP:-$root/ui/target/e2e-repeat}
mkdir -p "$kept"
for i in $(seq 1 "$n"); do
  work=$(mktemp -d)
  ( cd "$work" && exec java -Xmx768m -jar "$root/portal/target/rde-portal.jar" \
      --rde.portal.port=18080 --rde.identity.port=19000 --rde.gateway.port=19443 \
      --rde.identity.allowed-origins=http://localhost:18080 --rde.identity.ui-redirect-uris=http://localhost:18080/ \
      --rde.embedded.agent-jar="$root/agent/target/rde-agent.jar" \
      --rde.rate-limits.requests-per-minute=100000 > "$work/portal.log" 2>&1 ) &
  pid=$!
  for _ in $(seq 1 120); do
    curl -sf http://localhost:18080/actuator/health/readiness >/dev/null 2>&1 && break
    sleep 1
  done
  if (cd "$root" && RDE_PORTAL_URL=http://localhost:18080 RDE_E2E_OUTPUT="$work/e2e" \
      timeout 600 node ui/e2e/portal.e2e.mjs > "$work/e2e.log" 2>&1); then
    result=pass
  else
    result=FAIL
    cp -r "$work" "$kept/run-$i"
  fi
  echo "$(date -u +%T) run $i: $result, $(tail -1 "$work/e2e.log") (load $(cut -d' ' -f1 /proc/loadavg))"
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  # What the agent left running in the work dir (a published app outlives its agent by design).
  for proc in /proc/[0-9]*; do
    case "$(readlink "$proc/cwd" 2>/dev/null)" in "$work"/*) kill "${proc#/proc/}" 2>/dev/null ;; esac
  done
  rm -rf "$work"
done
