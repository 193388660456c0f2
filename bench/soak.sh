#!/usr/bin/env bash
# The soak mode of the benchmark (not run in CI): starts Vask as shipped and drives it for 30 minutes with
# connection churn, subscriptions, presence joins and leaves, HTTP events and client events at a steady,
# modest rate, sampling heap after GC, RSS, file descriptors and the event loops' task queues every minute.
# Passes when every series is flat and nothing was lost. docs/performance.md#soak explains the verdict.
#
#   bench/soak.sh [--minutes N] [--no-build] [-- SOAK_OPTIONS...]   (options of dev.vask.bench.Soak, e.g. --steady 100)
#
# Exit status: 0 pass, 2 a series rises or something was lost, 1 the soak could not run.
set -euo pipefail
# The bootstrap app lives on the default plan, whose ceilings (1,000 connections, a million messages a day)
# are below what the benchmark drives: lift them for every server this script starts.
export VASK_PLAN_MAX_CONNECTIONS=-1 VASK_PLAN_MAX_MESSAGES_PER_DAY=-1

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
JDK=${VASK_BENCH_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=$JDK/bin/java
JCMD=$JDK/bin/jcmd
PORT=${VASK_SOAK_PORT:-16011}
APP_ID=1234
APP_KEY=bench-key
APP_SECRET=bench-secret-value
ADMIN_PASSWORD=bench-admin-password
# The benchmark's server flags: a fixed, pre-touched heap, so RSS growth is memory outside the Java heap.
# Native memory tracking (summary level, a few percent of overhead) attributes any RSS growth to a part of the JVM.
SERVER_JVM=(-Xms1g -Xmx1g -XX:+UseG1GC -XX:+AlwaysPreTouch -XX:NativeMemoryTracking=summary --enable-native-access=ALL-UNNAMED)
LOADGEN_JVM=(-Xms512m -Xmx512m -XX:+UseSerialGC -Dio.netty.leakDetection.level=disabled --enable-native-access=ALL-UNNAMED)

MINUTES=30
BUILD=true
EXTRA=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --minutes) shift; MINUTES=$1 ;;
    --no-build) BUILD=false ;;
    --) shift; EXTRA=("$@"); break ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 64 ;;
  esac
  shift
done

fail() { echo "soak: $*" >&2; exit 1; }
say() { echo "== $*"; }

[[ -x $JAVA && -x $JCMD ]] || fail "no JDK 25 at $JDK (set VASK_BENCH_JDK)"
command -v curl >/dev/null || fail "curl is missing"
if ss -ltn "( sport = :$PORT )" | grep -q LISTEN; then
  fail "port $PORT is in use; stop what listens there or set VASK_SOAK_PORT"
fi

if $BUILD; then
  say "building Vask and the bench module"
  (cd "$ROOT" && ./mvnw -q -DskipTests package -pl server,bench -am) || fail "the build failed"
fi
[[ -f $ROOT/server/target/vask-server.jar ]] || fail "server/target/vask-server.jar is missing (run without --no-build)"
[[ -f $ROOT/bench/target/vask-bench.jar ]] || fail "bench/target/vask-bench.jar is missing (run without --no-build)"

RESULTS=$ROOT/bench/results/soak-$(date +%Y%m%d-%H%M%S)
mkdir -p "$RESULTS"
DATA_DIR=$(mktemp -d /tmp/vask-soak-data.XXXXXX)
# run copies: a build during the half hour must not pull a jar from under a running JVM
mkdir -p "$DATA_DIR/jars"
cp "$ROOT/server/target/vask-server.jar" "$DATA_DIR/jars/vask-server.jar"
cp -r "$ROOT/bench/target/vask-bench.jar" "$ROOT/bench/target/lib" "$DATA_DIR/jars/"
CP="$DATA_DIR/jars/vask-bench.jar:$DATA_DIR/jars/lib/*"
SERVER_PID=
cleanup() {
  if [[ -n $SERVER_PID ]]; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$DATA_DIR"
}
trap cleanup EXIT

{
  echo "date: $(date -Is)"
  echo "commit: $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)$(cd "$ROOT" && git diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc --all) cores, shared with other work (no pinning, normal priority)"
  echo "memory: $(free -g | awk '/Mem:/ {print $2}') GB; kernel $(uname -r)"
  echo "java: $("$JAVA" -version 2>&1 | head -1)"
  echo "server JVM flags: ${SERVER_JVM[*]}"
  echo "load generator JVM flags: ${LOADGEN_JVM[*]}"
  echo "minutes: $MINUTES; soak options: ${EXTRA[*]:-defaults}"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$RESULTS/conditions.txt"
cat "$RESULTS/conditions.txt"

say "starting Vask on port $PORT (embedded PostgreSQL, data in $DATA_DIR)"
VASK_PORT=$PORT VASK_BOOTSTRAP_APP_ID=$APP_ID VASK_BOOTSTRAP_APP_KEY=$APP_KEY VASK_BOOTSTRAP_APP_SECRET=$APP_SECRET \
  VASK_ADMIN_PASSWORD=$ADMIN_PASSWORD \
  "$JAVA" "${SERVER_JVM[@]}" "-Xlog:gc:file=$RESULTS/vask-gc.log" -jar "$DATA_DIR/jars/vask-server.jar" \
  --vask.data-dir="$DATA_DIR/data" > "$RESULTS/vask-server.log" 2>&1 &
SERVER_PID=$!
await_ready "$SERVER_PID" "$PORT" || fail "Vask did not become ready within 120 s; see $RESULTS/vask-server.log"

say "soak for $MINUTES minutes (results in $RESULTS)"
set +e
"$JAVA" "${LOADGEN_JVM[@]}" -cp "$CP" dev.vask.bench.Soak --port "$PORT" --pid "$SERVER_PID" --jcmd "$JCMD" \
  --clock-ticks "$(getconf CLK_TCK)" --app-id $APP_ID --key $APP_KEY --secret $APP_SECRET --admin-password $ADMIN_PASSWORD \
  --out "$RESULTS" --minutes "$MINUTES" "${EXTRA[@]}" 2>&1 | grep --line-buffered -v '^WARNING' | tee "$RESULTS/soak.log"
STATUS=${PIPESTATUS[0]}
set -e

kill "$SERVER_PID" 2>/dev/null || true
for _ in $(seq 1 300); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
SERVER_PID=
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$RESULTS/conditions.txt"
# the server's own view: an ERROR line or a leaked Netty buffer fails the soak as a lost message would
errors=$(grep -cE ' ERROR |LEAK:' "$RESULTS/vask-server.log" || true)
echo "server log: $errors ERROR or LEAK lines" | tee -a "$RESULTS/conditions.txt"
if [[ -f $RESULTS/summary.md ]]; then
  echo -e "\nServer log: $errors ERROR or LEAK lines (vask-server.log, not kept in git)." >> "$RESULTS/summary.md"
fi
if [[ $errors -gt 0 && $STATUS -eq 0 ]]; then STATUS=2; fi
say "soak finished with status $STATUS (0 pass, 2 fail, 1 could not run); summary in $RESULTS/summary.md"
exit $STATUS
