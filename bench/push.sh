#!/usr/bin/env bash
# The Web Push delivery benchmark of issue 13, in one command: builds Vask and the bench module, starts Vask pinned
# to one core on a fresh database of the local PostgreSQL, and runs dev.vask.bench.PushBench pinned to the other
# core: it is the push service (answers 201, verifies and decrypts every 64th push as a browser would) and the
# customer's backend (registers 2,000 subscriptions, then sends pushes through the signed HTTP API as fast as
# Vask takes them). Then the push service turns slow, to show that Vask's memory stays bounded. Summary in
# bench/results/push-<time>/push-summary.txt; docs/performance.md explains the figures.
#
#   bench/push.sh [--no-build] [seconds per phase, default 20]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
JDK=${VASK_BENCH_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=$JDK/bin/java
SERVER_CPU=${VASK_BENCH_SERVER_CPU:-0}
LOADGEN_CPU=${VASK_BENCH_LOADGEN_CPU:-1}
PORT=${VASK_BENCH_PUSH_PORT:-16011}
PG=${VASK_BENCH_PG:-127.0.0.1:5432}
DB=vask_push_bench
APP_ID=1234
APP_KEY=bench-key
APP_SECRET=bench-secret-value

BUILD=true
if [[ ${1:-} == --no-build ]]; then BUILD=false; shift; fi
PHASE=${1:-20}

# as in bench/run.sh: both sides at the highest CPU priority, each in a session (scheduler autogroup) of its own
NICE=(setsid nice -n "${VASK_BENCH_NICE:--20}")

fail() { echo "push bench: $*" >&2; exit 1; }
command -v taskset >/dev/null || fail "taskset is missing (util-linux)"
command -v psql >/dev/null || fail "psql is missing"
if $BUILD; then (cd "$ROOT" && ./mvnw -q -pl server,bench -am package -DskipTests); fi

RESULTS=$ROOT/bench/results/push-$(date -u +%Y%m%d-%H%M%S)
mkdir -p "$RESULTS"
psql -q -h "${PG%:*}" -p "${PG#*:}" -U postgres -c "drop database if exists $DB" -c "create database $DB"
MASTER=$(head -c 32 /dev/urandom | base64)

VASK_PORT=$PORT VASK_ROLES=realtime,api VASK_DATABASE_URL="jdbc:postgresql://$PG/$DB?user=postgres" VASK_MASTER_KEY=$MASTER \
  VASK_BOOTSTRAP_APP_ID=$APP_ID VASK_BOOTSTRAP_APP_KEY=$APP_KEY VASK_BOOTSTRAP_APP_SECRET=$APP_SECRET \
  VASK_ADMIN_PASSWORD=bench-admin-password VASK_PUSH_ALLOWED_HOSTS=127.0.0.1 VASK_HTTP_IDLE_TIMEOUT=1h \
  "${NICE[@]}" taskset -c "$SERVER_CPU" "$JAVA" -Xms1g -Xmx1g -XX:+UseG1GC -jar "$ROOT/server/target/vask-server.jar" > "$RESULTS/vask.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
await_ready "$PID" "$PORT" || fail "Vask did not become ready within 120 s (see $RESULTS/vask.log)"
{
  echo "machine: $(nproc) cores, shared with other work (load average at start: $(cut -d' ' -f1-3 /proc/loadavg))"
  echo "Vask on core $SERVER_CPU (-Xmx1g, G1), push service and load generator on core $LOADGEN_CPU, both at nice ${VASK_BENCH_NICE:--20}"
  echo "commit: $(git -C "$ROOT" rev-parse --short HEAD)"
} | tee "$RESULTS/conditions.txt"
"${NICE[@]}" taskset -c "$LOADGEN_CPU" "$JAVA" -Xmx1g --enable-native-access=ALL-UNNAMED -cp "$ROOT/bench/target/vask-bench.jar:$ROOT/bench/target/lib/*" dev.vask.bench.PushBench \
  "$PORT" "jdbc:postgresql://$PG/$DB?user=postgres" "$MASTER" $APP_ID $APP_KEY $APP_SECRET $PID "$RESULTS" "$PHASE" 5
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$RESULTS/conditions.txt"
