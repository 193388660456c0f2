#!/usr/bin/env bash
# The benchmark of issues 4 and 14, in one command: builds Vask and the bench module, then for each server
# (the strong and the naive bare-Netty yardsticks, Vask, and a plain WebFlux server) starts it pinned to one core, drives it
# from a load generator pinned to the other core, and prints the figures side by side with the targets.
# docs/performance.md explains every figure.
#
#   bench/run.sh [--quick] [--no-build] [--no-webflux] [--no-cluster]
#                [--only netty-strong,netty-naive,vask,vask-alt,cluster,webflux]
#                [--phases warmup,memory,fanout,channels]   (for a partial run)
#                [--web-push]   (the vask target's app has Web Push on: every socket is also sent vask:vapid)
#
# The cluster target (issue 12) is two Vask nodes on the vask target's database and a redis-server of its
# own: subscribers on node B, the publisher calling node A; it is compared with single-node Vask.
#
# Exit status: 0 every target met, 2 a target missed, 1 a figure could not be measured (or a step failed).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
JDK=${VASK_BENCH_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=$JDK/bin/java
JCMD=$JDK/bin/jcmd
SERVER_CPU=${VASK_BENCH_SERVER_CPU:-0}
LOADGEN_CPU=${VASK_BENCH_LOADGEN_CPU:-1}
NETTY_PORT=${VASK_BENCH_NETTY_PORT:-16002}
NAIVE_PORT=${VASK_BENCH_NAIVE_PORT:-16007}
ALT_PORT=${VASK_BENCH_ALT_PORT:-16008}
VASK_PORT_=${VASK_BENCH_VASK_PORT:-16001}
WEBFLUX_PORT=${VASK_BENCH_WEBFLUX_PORT:-16003}
REDIS_PORT=${VASK_BENCH_REDIS_PORT:-16004}
CLUSTER_A_PORT=${VASK_BENCH_CLUSTER_A_PORT:-16005}
CLUSTER_B_PORT=${VASK_BENCH_CLUSTER_B_PORT:-16006}
APP_ID=1234
# The bootstrap app lives on the default plan, whose ceilings (1,000 connections, a million messages a day)
# are below what the benchmark drives: lift them for every server this script starts.
export VASK_PLAN_MAX_CONNECTIONS=-1 VASK_PLAN_MAX_MESSAGES_PER_DAY=-1
# Every server runs the same number of event loops: 4, Reactor Netty's default that the yardsticks and the WebFlux
# server use. Vask on its own would size them to the one core it is pinned to (see docs/performance.md).
export VASK_CAPACITY_EVENT_LOOPS=${VASK_CAPACITY_EVENT_LOOPS:-4}
APP_KEY=bench-key
APP_SECRET=bench-secret-value
# The same JVM flags for every server. The heap is fixed and touched up front, so RSS growth shows memory
# outside the Java heap (Netty's direct buffers, native memory); the heap is measured on its own.
SERVER_JVM=(-Xms1g -Xmx1g -XX:+UseG1GC -XX:+AlwaysPreTouch --enable-native-access=ALL-UNNAMED)
# Both sides run at the highest CPU priority, so that other work on the machine (builds) disturbs less: each
# in a session of its own (setsid: its own scheduler autogroup, since nice alone only ranks processes within
# one autogroup) whose autogroup nice is set to -20. conditions.txt and the report record how much CPU other
# processes still took during each window; the load generator repeats a disturbed window.
NICE=(setsid nice -n "${VASK_BENCH_NICE:--20}")
# VASK_BENCH_PERF=1 profiles the server core with perf (kernel and Java frames, wall-clock timestamps) for the
# whole run: every server keeps frame pointers and writes /tmp/perf-PID.map at exit; the load generator logs each
# window's bounds so `perf script --time FROM,TO` cuts the profile to one window. It costs every server alike.
PERF=${VASK_BENCH_PERF:-0}
if [[ $PERF == 1 ]]; then
  SERVER_JVM+=(-XX:+UnlockDiagnosticVMOptions -XX:+PreserveFramePointer -XX:+DumpPerfMapAtExit)
fi
LOADGEN_JVM=(-Xms1g -Xmx1g -Xmn512m -XX:+UseSerialGC -Dio.netty.leakDetection.level=disabled --enable-native-access=ALL-UNNAMED)

QUICK=false
PHASES=
BUILD=true
WEB_PUSH=false
TARGETS=(netty-strong netty-naive vask cluster webflux)
while [[ $# -gt 0 ]]; do
  case $1 in
    --quick) QUICK=true ;;
    --no-build) BUILD=false ;;
    --no-webflux) TARGETS=("${TARGETS[@]/webflux}") ;;
    --no-cluster) TARGETS=("${TARGETS[@]/cluster}") ;;
    --only) shift; IFS=, read -r -a TARGETS <<< "$1" ;;
    --phases) shift; PHASES=$1 ;;
    --web-push) WEB_PUSH=true ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 64 ;;
  esac
  shift
done

if $QUICK; then
  SCALE=(--connections 2000 --subscribers 300 --channels 300 --channels-rate 300 --moderate-rate 50 --rounds 1 --attempts 1
         --warmup-seconds 2 --max-warmup-seconds 20 --window-seconds 5 --latency-seconds 5 --settle-seconds 2)
else
  SCALE=(--connections 15000 --subscribers 1000 --channels 4000 --channels-rate 1000 --rounds ${VASK_BENCH_ROUNDS:-3} --attempts 3
         --warmup-seconds 3 --max-warmup-seconds 90 --window-seconds 10 --latency-seconds 10 --settle-seconds 5)
fi

fail() { echo "bench: $*" >&2; exit 1; }
say() { echo "== $*"; }

# ---- preconditions ----
[[ -x $JAVA && -x $JCMD ]] || fail "no JDK 25 at $JDK (set VASK_BENCH_JDK)"
command -v taskset >/dev/null || fail "taskset is missing (util-linux)"
command -v curl >/dev/null || fail "curl is missing"
[[ $(nproc --all) -ge 2 ]] || fail "needs 2 cores: one for the server, one for the load generator"
ulimit -n 20000 2>/dev/null || fail "cannot raise the open-files limit to 20000 (hard limit: $(ulimit -Hn)); 15,000 sockets need it"
for port in $NETTY_PORT $NAIVE_PORT $ALT_PORT $VASK_PORT_ $WEBFLUX_PORT $REDIS_PORT $CLUSTER_A_PORT $CLUSTER_B_PORT; do
  if ss -ltn "( sport = :$port )" | grep -q LISTEN; then
    fail "port $port is in use; stop what listens there or set VASK_BENCH_*_PORT"
  fi
done

RESULTS=$ROOT/bench/results/$(date +%Y%m%d-%H%M%S)
mkdir -p "$RESULTS"
ln -sfn "$RESULTS" "$ROOT/bench/results/latest"
DATA_DIR=$(mktemp -d /tmp/vask-bench-data.XXXXXX)

SERVER_PIDS=()
CLUSTER_PIDS=()
LOADGEN_PID=
cleanup() {
  if [[ -n $LOADGEN_PID ]]; then kill "$LOADGEN_PID" 2>/dev/null || true; fi
  if declare -F stop_servers >/dev/null; then stop_servers; fi
  rm -rf "$DATA_DIR"
}
trap cleanup EXIT

# ---- build ----
if $BUILD; then
  say "building Vask and the bench module"
  # -f bench/pom.xml as well, so this works whether or not bench is one of the parent's <modules>
  (cd "$ROOT" && ./mvnw -q -DskipTests install -pl server -am && ./mvnw -q -DskipTests -f bench/pom.xml package) \
    || fail "the build failed"
fi
[[ -f $ROOT/server/target/vask-server.jar ]] || fail "server/target/vask-server.jar is missing (run without --no-build)"
[[ -f $ROOT/bench/target/vask-bench.jar ]] || fail "bench/target/vask-bench.jar is missing (run without --no-build)"
CP="$ROOT/bench/target/vask-bench.jar:$ROOT/bench/target/lib/*"

# ---- conditions ----
{
  echo "date: $(date -Is)"
  echo "commit: $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)$(cd "$ROOT" && git diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc --all) cores; server on core $SERVER_CPU, load generator on core $LOADGEN_CPU"
  echo "memory: $(free -g | awk '/Mem:/ {print $2}') GB; kernel $(uname -r); open files limit $(ulimit -n)"
  echo "java: $("$JAVA" -version 2>&1 | head -1)"
  echo "server JVM flags: ${SERVER_JVM[*]}"
  echo "load generator JVM flags: ${LOADGEN_JVM[*]}"
  echo "priority: ${NICE[*]}, autogroup nice ${VASK_BENCH_NICE:--20}, for the servers and the load generator"
  echo "scale: ${SCALE[*]}"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$RESULTS/conditions.txt"
cat "$RESULTS/conditions.txt"

wait_for_port() { # pid port seconds
  for _ in $(seq 1 $(($3 * 5))); do
    if ! kill -0 "$1" 2>/dev/null; then return 1; fi
    if (exec 3<>/dev/tcp/127.0.0.1/"$2") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  return 1
}

boost() { # pid description: raise the priority of its autogroup too, once setsid has given it one of its own
  [[ -e /proc/$1/autogroup ]] || return 0
  for _ in $(seq 1 100); do
    if [[ $(awk '{print $6}' "/proc/$1/stat" 2>/dev/null) == "$1" ]]; then
      echo "${VASK_BENCH_NICE:--20}" > "/proc/$1/autogroup" 2>/dev/null || true
      echo "priority of $2: $(cat "/proc/$1/autogroup" 2>/dev/null)" >> "$RESULTS/conditions.txt"
      return 0
    fi
    sleep 0.02
  done
  echo "bench: could not raise the priority of $2 (pid $1)" | tee -a "$RESULTS/conditions.txt"
}

stop_servers() {
  local pid
  # cluster nodes first (they use the vask target's database), Redis last
  for pid in "${CLUSTER_PIDS[@]}" "${SERVER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${CLUSTER_PIDS[@]}" "${SERVER_PIDS[@]}"; do
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  done
  SERVER_PIDS=()
  CLUSTER_PIDS=()
}

start_cluster_node() { # name port roles: a Vask node of the cluster target, on the vask target's database
  local pg_port master
  pg_port=$(sed -n 4p "$DATA_DIR/vask/postgres/postmaster.pid")
  master=$(cat "$DATA_DIR/vask/master.key")
  # the publisher's keep-alive connections wait while the other targets are measured: no idle timeout cuts them
  VASK_PORT=$2 VASK_ROLES=$3 VASK_HTTP_IDLE_TIMEOUT=1h VASK_DATABASE_URL="postgres://postgres:postgres@127.0.0.1:$pg_port/postgres" VASK_MASTER_KEY=$master \
    VASK_REDIS_URL="redis://127.0.0.1:$REDIS_PORT" \
    "${NICE[@]}" taskset -c "$SERVER_CPU" "$JAVA" "${SERVER_JVM[@]}" "-Xlog:gc:file=$RESULTS/cluster-$1-gc.log" \
    -jar "$ROOT/server/target/vask-server.jar" > "$RESULTS/cluster-$1.log" 2>&1 &
  NODE_PID=$!
  boost "$NODE_PID" "cluster node $1"
  await_ready "$NODE_PID" "$2" && return 0
  fail "cluster node $1 did not become ready within 120 s; see $RESULTS/cluster-$1.log"
}

server_jvm() { # name: sets JVM to the flags for that server, with its GC log
  JVM=("${SERVER_JVM[@]}" "-Xlog:gc:file=$RESULTS/$1-gc.log")
}

start_vask() { # name port jar data-dir: a Vask target on its own embedded PostgreSQL
  local name=$1 port=$2 jar=$3 data=$4 pid api session csrf code
  mkdir -p "$data"
  say "$name: starting Vask ($jar) on core $SERVER_CPU, port $port (embedded PostgreSQL, data in $data)"
  # VASK_BENCH_JFR=1 records a flight recording of the whole run (jfr print --events jdk.ExecutionSample vask.jfr)
  if [[ ${VASK_BENCH_JFR:-0} == 1 ]]; then JVM+=("-XX:StartFlightRecording=filename=$RESULTS/$name.jfr,settings=profile,jdk.ExecutionSample#period=2ms"); fi
  # the embedded PostgreSQL processes are started by the JVM: they inherit its CPU affinity and session
  # the publisher's keep-alive connections wait while the other targets are measured: no idle timeout cuts them;
  # the bootstrap app's plan must allow the 15,000 connections and a run's messages (the daily quota is still checked)
  VASK_PORT=$port VASK_HTTP_IDLE_TIMEOUT=1h VASK_BOOTSTRAP_APP_ID=$APP_ID VASK_BOOTSTRAP_APP_KEY=$APP_KEY \
    VASK_PLAN_MAX_CONNECTIONS=100000 VASK_PLAN_MAX_MESSAGES_PER_DAY=1000000000 \
    VASK_BOOTSTRAP_APP_SECRET=$APP_SECRET VASK_ADMIN_PASSWORD=bench-admin-password \
    "${NICE[@]}" taskset -c "$SERVER_CPU" "$JAVA" "${JVM[@]}" -jar "$jar" \
    --vask.data-dir="$data" > "$RESULTS/$name-server.log" 2>&1 &
  pid=$!
  SERVER_PIDS+=("$pid")
  boost "$pid" "the $name server"
  await_ready "$pid" "$port" || fail "$name did not become ready within 120 s; see $RESULTS/$name-server.log"
  api=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d '{}' "http://127.0.0.1:$port/apps/$APP_ID/events" || true)
  if [[ $api != 401 ]]; then
    echo "bench: POST /apps/$APP_ID/events answered $api, not 401: the Pusher HTTP API is not in this build;" \
         "the figures that need publishing will be NOT MEASURED" | tee -a "$RESULTS/conditions.txt"
  fi
  if $WEB_PUSH; then
    # as the dashboard does it: sign in as the admin, then switch the app's Web Push on (it gets its VAPID key)
    session=$(curl -s -c "$data/cookies" -H 'Content-Type: application/json' \
      -d '{"email":"admin@vask.local","password":"bench-admin-password"}' "http://127.0.0.1:$port/api/v1/session")
    csrf=$(sed -E 's/.*"csrfToken":"([^"]+)".*/\1/' <<< "$session")
    code=$(curl -s -o /dev/null -w '%{http_code}' -b "$data/cookies" -b "XSRF-TOKEN=$csrf" -H "X-XSRF-TOKEN: $csrf" \
      -H 'Content-Type: application/json' -X PATCH -d '{"features":{"webPush":true}}' "http://127.0.0.1:$port/api/v1/apps/$APP_ID")
    [[ $code == 200 ]] || fail "could not switch Web Push on for app $APP_ID (HTTP $code)"
    echo "web push: on for app $APP_ID (every socket is sent vask:vapid)" | tee -a "$RESULTS/conditions.txt"
  fi
  # the embedded PostgreSQL daemonizes: the load generator finds it by its data directory
  SERVERS+=(--server "$name,$port,$pid,$RESULTS/$name.properties,$data")
}

# ---- the servers: all started up front, all pinned to the server core; only one is driven at a time ----
# Measuring them side by side lets the load generator interleave the fan-out rounds (see docs/performance.md).
SERVERS=()
for target in "${TARGETS[@]}"; do
  server_jvm "$target"
  case $target in
    netty-strong)
      say "netty-strong: starting the strong bare-Netty yardstick on core $SERVER_CPU, port $NETTY_PORT"
      "${NICE[@]}" taskset -c "$SERVER_CPU" "$JAVA" "${JVM[@]}" -cp "$CP" dev.vask.bench.NettyStrongBroadcastServer "$NETTY_PORT" \
        > "$RESULTS/netty-strong-server.log" 2>&1 &
      pid=$!
      SERVER_PIDS+=("$pid")
      boost "$pid" "the strong netty server"
      wait_for_port "$pid" "$NETTY_PORT" 30 || fail "the strong yardstick did not start; see $RESULTS/netty-strong-server.log"
      SERVERS+=(--server "netty-strong,$NETTY_PORT,$pid,$RESULTS/netty-strong.properties")
      ;;
    netty-naive)
      say "netty-naive: starting the naive bare-Netty yardstick on core $SERVER_CPU, port $NAIVE_PORT"
      "${NICE[@]}" taskset -c "$SERVER_CPU" "$JAVA" "${JVM[@]}" -cp "$CP" dev.vask.bench.NaiveNettyBroadcastServer "$NAIVE_PORT" \
        > "$RESULTS/netty-naive-server.log" 2>&1 &
      pid=$!
      SERVER_PIDS+=("$pid")
      boost "$pid" "the naive netty server"
      wait_for_port "$pid" "$NAIVE_PORT" 30 || fail "the naive yardstick did not start; see $RESULTS/netty-naive-server.log"
      SERVERS+=(--server "netty-naive,$NAIVE_PORT,$pid,$RESULTS/netty-naive.properties")
      ;;
    vask)
      start_vask vask "$VASK_PORT_" "$ROOT/server/target/vask-server.jar" "$DATA_DIR/vask"
      ;;
    vask-alt)
      # an A/B run: a second Vask built from another commit (VASK_BENCH_ALT_JAR), measured beside this one
      [[ -f ${VASK_BENCH_ALT_JAR:-} ]] || fail "the vask-alt target needs VASK_BENCH_ALT_JAR, the jar to compare"
      start_vask vask-alt "$ALT_PORT" "$VASK_BENCH_ALT_JAR" "$DATA_DIR/other"
      ;;
    webflux)
      say "webflux: starting the WebFlux WebSocketHandler server on core $SERVER_CPU, port $WEBFLUX_PORT"
      "${NICE[@]}" taskset -c "$SERVER_CPU" "$JAVA" "${JVM[@]}" -cp "$CP" dev.vask.bench.WebFluxBroadcastServer "$WEBFLUX_PORT" \
        > "$RESULTS/webflux-server.log" 2>&1 &
      pid=$!
      SERVER_PIDS+=("$pid")
      boost "$pid" "the webflux server"
      wait_for_port "$pid" "$WEBFLUX_PORT" 60 || fail "the WebFlux server did not start; see $RESULTS/webflux-server.log"
      SERVERS+=(--server "webflux,$WEBFLUX_PORT,$pid,$RESULTS/webflux.properties")
      ;;
    cluster)
      [[ -f $DATA_DIR/vask/postgres/postmaster.pid ]] || fail "the cluster target shares the vask target's database: run it with vask"
      command -v redis-server >/dev/null || fail "the cluster target needs redis-server on the PATH (Debian: apt-get install redis-server)"
      say "cluster: redis-server on port $REDIS_PORT, node A (api) on $CLUSTER_A_PORT, node B (realtime) on $CLUSTER_B_PORT, all on core $SERVER_CPU"
      mkdir -p "$DATA_DIR/redis"
      "${NICE[@]}" taskset -c "$SERVER_CPU" redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
        --dir "$DATA_DIR/redis" > "$RESULTS/cluster-redis.log" 2>&1 &
      CLUSTER_PIDS+=("$!")
      boost "$!" "redis"
      wait_for_port "$!" "$REDIS_PORT" 10 || fail "redis-server did not start; see $RESULTS/cluster-redis.log"
      start_cluster_node a "$CLUSTER_A_PORT" api
      CLUSTER_PIDS+=("$NODE_PID")
      start_cluster_node b "$CLUSTER_B_PORT" realtime
      # node B is the receiving node the figures are about: the load generator measures its process
      CLUSTER_PIDS+=("$NODE_PID")
      SERVERS+=(--server "cluster,$CLUSTER_B_PORT,$NODE_PID,$RESULTS/cluster.properties" --publish-port "cluster=$CLUSTER_A_PORT"
                --redis-port "cluster=$REDIS_PORT")
      ;;
    "") ;;
    *) fail "unknown target $target" ;;
  esac
done

# ---- the load generator: one process on the other core drives every server in turn ----
say "load generator on core $LOADGEN_CPU, phases ${PHASES:-warmup,memory,fanout,channels}"
STATUS=0
: > "$RESULTS/loadgen.log"
"${NICE[@]}" taskset -c "$LOADGEN_CPU" "$JAVA" "${LOADGEN_JVM[@]}" -cp "$CP" dev.vask.bench.LoadGenerator \
  "${SERVERS[@]}" --jcmd "$JCMD" --clock-ticks "$(getconf CLK_TCK)" --server-core "$SERVER_CPU" \
  --app-id $APP_ID --key $APP_KEY --secret $APP_SECRET --phases "${PHASES:-warmup,memory,fanout,channels}" "${SCALE[@]}" \
  > "$RESULTS/loadgen.log" 2>&1 &
LOADGEN_PID=$!
boost "$LOADGEN_PID" "the load generator"
PERF_PID=
if [[ $PERF == 1 ]]; then
  command -v perf >/dev/null || fail "VASK_BENCH_PERF=1 needs perf (Debian: apt-get install linux-perf)"
  perf record -q -F 499 -g -C "$SERVER_CPU" -k CLOCK_REALTIME -o "$RESULTS/perf.data" > "$RESULTS/perf.log" 2>&1 &
  PERF_PID=$!
fi
tail -n +1 -f --pid="$LOADGEN_PID" "$RESULTS/loadgen.log" | grep --line-buffered -v '^WARNING' || true
wait "$LOADGEN_PID" || STATUS=$?
LOADGEN_PID=
if [[ -n $PERF_PID ]]; then kill -INT "$PERF_PID" 2>/dev/null || true; wait "$PERF_PID" 2>/dev/null || true; fi
for pid in "${SERVER_PIDS[@]}"; do
  echo "event loop threads of pid $pid ($(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -oE 'vask-server.jar|[A-Za-z]+BroadcastServer' | head -1)): $("$JCMD" "$pid" Thread.print 2>/dev/null \
    | grep -cE '^"(reactor-http-epoll|reactor-http-nio|multiThreadIoEventLoopGroup|epollEventLoopGroup)' || true)" \
    | tee -a "$RESULTS/conditions.txt"
done
stop_servers

echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$RESULTS/conditions.txt"
say "results (also in $RESULTS)"
files=()
# the strong yardstick first (the one Vask is held to), Vask second, the others for information
for target in netty-strong vask netty-naive webflux; do
  [[ -f $RESULTS/$target.properties ]] && files+=("$RESULTS/$target.properties")
done
REPORT=0
if [[ -f $RESULTS/netty-strong.properties ]]; then
  [[ ${#files[@]} -ge 2 ]] || fail "need the results of netty-strong and vask for the comparison; have: ${files[*]:-none}"
  "$JAVA" -cp "$CP" dev.vask.bench.Report "${files[@]}" --markdown "$RESULTS/summary.md" || REPORT=$?
fi
if [[ -f $RESULTS/cluster.properties ]]; then
  say "cluster: two nodes on Redis against single-node Vask (issue 12)"
  CLUSTER_REPORT=0
  "$JAVA" -cp "$CP" dev.vask.bench.Report --cluster "$RESULTS/vask.properties" "$RESULTS/cluster.properties" \
    --markdown "$RESULTS/cluster-summary.md" || CLUSTER_REPORT=$?
  if [[ $CLUSTER_REPORT -gt $REPORT ]]; then REPORT=$CLUSTER_REPORT; fi
fi
if [[ $STATUS -ne 0 && $REPORT -eq 0 ]]; then REPORT=1; fi
exit $REPORT
