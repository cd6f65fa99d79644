#!/usr/bin/env bash
# End-to-end figures of the switch beside the jPOS yardstick, one command:
#
#   bench/run-e2e.sh                      # every profile, 3 alternating repetitions
#   PROFILES="echo full" REPS=5 bench/run-e2e.sh
#
# Builds the executable jar and the bench jar with JDK 25 (scripts/jdk.sh; `package`, never
# `install`), starts the switch (the demo's world: in-process issuer simulators, PostgreSQL or an
# in-memory H2 journal) and the jPOS yardstick server as separate JVMs, drives both with the same
# load generator (`iso-switch load`, its own JVM), alternating switch and jPOS run by run, prints one
# line per figure and writes the e2e section of bench/RESULTS.md. Raw reports (JSON, text, progress,
# server logs) stay in $OUT. Everything it starts it stops, also on Ctrl-C.
#
# Profiles:
#   echo   plain 0800 echo (no MAC), closed loop, $CONNECTIONS connections: switch vs jPOS
#   auth   card mix (sign-on, PIN blocks, MACs) on an in-memory H2 journal vs jPOS answering the
#          same 0200/0100 messages (the generator makes up keys for jPOS, which checks nothing);
#          a fresh switch (and priming run) per repetition, since the journal lives in its heap
#   full   the same mix on PostgreSQL (MAC verify, PIN translate, issuer round trip, group commit,
#          durable before answering) vs jPOS answering echoes
#   fixed  full path at a fixed $FIXED_RATE tps over $FIXED_CONNECTIONS terminal connections, one request
#          in flight each: latency from each request's due time. (32 connections cannot offer 5,000/s
#          once a transaction takes longer than 32 / 5,000 s = 6.4 ms: the schedule then waits for a free
#          connection, which measures the load's shape, not the switch; acquirers reach such rates
#          with thousands of terminals.)
#   many   $MANY connections on one switch with -Xmx512m, an echo every $((MANY / MANY_RATE)) s each
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$ROOT"
# shellcheck source=../scripts/jdk.sh
source "$ROOT/scripts/jdk.sh"
JAVA="$JAVA_HOME/bin/java"

PROFILES=${PROFILES:-"echo auth full fixed many"}
REPS=${REPS:-3}
WARMUP=${WARMUP:-5}
DURATION=${DURATION:-20}
CONNECTIONS=${CONNECTIONS:-32}
IN_FLIGHT=${IN_FLIGHT:-1}
MIX=${MIX:-"purchase=80,balance=10,refund=5,preauth=5"}
FIXED_RATE=${FIXED_RATE:-5000}
FIXED_CONNECTIONS=${FIXED_CONNECTIONS:-256}
MANY=${MANY:-10000}
MANY_RATE=${MANY_RATE:-2500}
MANY_DURATION=${MANY_DURATION:-30}
LOAD_THREADS=${LOAD_THREADS:-2}
PORT_BASE=${PORT_BASE:-28583}
OPS_PORT=${OPS_PORT:-28080}
JPOS_PORT=${JPOS_PORT:-28600}
PG_URL=${PG_URL:-"jdbc:postgresql://127.0.0.1:5432/test"}
PG_USER=${PG_USER:-postgres}
H2_URL="jdbc:h2:mem:e2e;DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
SWITCH_OPTS=${SWITCH_OPTS:-"-Xms512m -Xmx512m"}
SWITCH_ARGS=${SWITCH_ARGS:-} # extra demo options, e.g. "--journal-writers 2"
JPOS_OPTS=${JPOS_OPTS:-"-Xms512m -Xmx512m"}
LOAD_OPTS=${LOAD_OPTS:-"-Xms1g -Xmx1g"}
OUT=${OUT:-"$ROOT/bench/target/e2e"}
RESULTS=${RESULTS:-"$ROOT/bench/RESULTS.md"}

SWITCH_JAR="$ROOT/cli/target/iso-switch.jar"
BENCH_JAR="$ROOT/bench/target/benchmarks.jar"
SCHEMA="load_e2e_$$"
PIDS=()

log() { echo "run-e2e: $*" >&2; }

cleanup() {
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [[ " $PROFILES " == *" full "* || " $PROFILES " == *" fixed "* ]]; then
    psql -h 127.0.0.1 -U "$PG_USER" -d test -qc "drop schema if exists $SCHEMA cascade" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ -z "${SKIP_BUILD:-}" ]]; then
  log "building cli and bench (JDK 25, package)..."
  "$MVN" -q -B -ntp -DskipTests package -pl cli,bench -am 1>&2
fi
[[ -f "$SWITCH_JAR" && -f "$BENCH_JAR" ]] || { log "missing $SWITCH_JAR or $BENCH_JAR"; exit 1; }

# 10,000 connections need as many descriptors in the switch and in the generator
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [[ " $PROFILES " == *" many "* && "$(ulimit -n)" != unlimited && "$(ulimit -n)" -lt $((MANY + 1000)) ]]; then
  log "ulimit -n is $(ulimit -n): too few for $MANY connections (raise the hard limit)"; exit 1
fi
if [[ " $PROFILES " == *" full "* || " $PROFILES " == *" fixed "* ]]; then
  # shellcheck source=../scripts/postgres.sh
  source "$ROOT/scripts/postgres.sh"
fi

for port in "$PORT_BASE" $((PORT_BASE + 1)) $((PORT_BASE + 2)) "$OPS_PORT" "$JPOS_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    log "port $port is taken; choose others with PORT_BASE, OPS_PORT, JPOS_PORT"; exit 1
  fi
done

rm -rf "$OUT"; mkdir -p "$OUT"
{
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cores=$(nproc)"
  echo "memory=$(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo)"
  echo "cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
  echo "load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "jdk=$("$JAVA" -version 2>&1 | head -2 | tail -1)"
  echo "switch_opts=$SWITCH_OPTS"
  echo "switch_args=$SWITCH_ARGS"
  echo "jpos_opts=$JPOS_OPTS"
  echo "load_opts=$LOAD_OPTS"
  echo "reps=$REPS"
  echo "warmup=$WARMUP"
  echo "duration=$DURATION"
  echo "connections=$CONNECTIONS"
  echo "mix=$MIX"
  echo "fixed_rate=$FIXED_RATE"
  echo "fixed_connections=$FIXED_CONNECTIONS"
  echo "many=$MANY"
  echo "many_rate=$MANY_RATE"
  echo "many_duration=$MANY_DURATION"
} > "$OUT/machine.txt"

wait_for() { # file pattern seconds pid
  local file=$1 pattern=$2 seconds=$3 pid=$4
  for _ in $(seq 1 $((seconds * 5))); do
    grep -q "$pattern" "$file" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { log "process $pid died; tail of $file:"; tail -20 "$file" >&2; exit 1; }
    sleep 0.2
  done
  log "timed out waiting for '$pattern' in $file"; tail -20 "$file" >&2; exit 1
}

SWITCH_PID=""
start_switch() { # name journal-url [user schema]
  local name=$1 url=$2 user=${3:-} schema=${4:-}
  local args=(demo --data "$OUT/$name" --port-base "$PORT_BASE" --ops-port "$OPS_PORT" --load-seconds 0
              --terminals-per-dialect "$(( CONNECTIONS > FIXED_CONNECTIONS ? CONNECTIONS : FIXED_CONNECTIONS ))" --cards-per-bank 64 --journal-url "$url")
  [[ -n "$user" ]] && args+=(--journal-user "$user")
  [[ -n "$schema" ]] && args+=(--journal-schema "$schema")
  # shellcheck disable=SC2206
  args+=($SWITCH_ARGS)
  # shellcheck disable=SC2086
  "$JAVA" $SWITCH_OPTS -jar "$SWITCH_JAR" "${args[@]}" > "$OUT/$name.log" 2>&1 &
  SWITCH_PID=$!
  PIDS+=("$SWITCH_PID")
  STAN=1
  wait_for "$OUT/$name.log" "^serving" 180 "$SWITCH_PID"
  WORLD="$OUT/$name/load-world.yaml"
  log "switch $name up (pid $SWITCH_PID)"
}

stop_switch() {
  kill "$SWITCH_PID" 2>/dev/null || true
  wait "$SWITCH_PID" 2>/dev/null || true
}

start_jpos() {
  # shellcheck disable=SC2086
  "$JAVA" $JPOS_OPTS -cp "$BENCH_JAR" io.isoswitch.bench.e2e.JposYardstick "$JPOS_PORT" > "$OUT/jpos.log" 2>&1 &
  JPOS_PID=$!
  PIDS+=("$JPOS_PID")
  wait_for "$OUT/jpos.log" "serving" 60 "$JPOS_PID"
  log "jPOS yardstick up (pid $JPOS_PID)"
}

STAN=1
cpu_ticks() { # pid: user + system CPU time in clock ticks
  awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0
}

load() { # name port [load options...]
  local name=$1 port=$2; shift 2
  local server=$SWITCH_PID
  [[ $port == "$JPOS_PORT" ]] && server=$JPOS_PID
  local before; before=$(cpu_ticks "$server")
  # shellcheck disable=SC2086
  "$JAVA" $LOAD_OPTS -jar "$SWITCH_JAR" load --target "127.0.0.1:$port" --world "$WORLD" \
      --threads "$LOAD_THREADS" --stan-start "$STAN" --json "$OUT/$name.json" "$@" \
      > "$OUT/$name.txt" 2> "$OUT/$name.progress" \
      || { log "load run $name failed; tail of $OUT/$name.progress:"; tail -5 "$OUT/$name.progress" >&2; exit 1; }
  # the server's CPU time over the run (warm-up and drain included), in ticks of 1/CLK_TCK s:
  # divided by every answer of the run it is a cost per transaction that other load on the machine
  # does not inflate the way it inflates latency
  echo "$(( $(cpu_ticks "$server") - before )) $(getconf CLK_TCK)" > "$OUT/$name.cpu"
  # each run of a terminal takes its own STAN range, so no run is answered from an earlier one
  STAN=$(( (STAN + 199999) % 999999 + 1 ))
  python3 "$ROOT/bench/e2e_summary.py" line "$OUT/$name.json" "$name" >&2
}

closed() { echo --terminals "$CONNECTIONS" --warmup "$WARMUP" --duration "$DURATION" --in-flight "$IN_FLIGHT"; }

# a freshly started JVM compiles for its first seconds: one unrecorded run before the measured ones
PRIME=${PRIME:-20}
prime() { # port [load options...]
  local port=$1; shift
  # shellcheck disable=SC2086
  "$JAVA" $LOAD_OPTS -jar "$SWITCH_JAR" load --target "127.0.0.1:$port" --world "$WORLD" --threads "$LOAD_THREADS" \
      --stan-start 900001 --terminals "$CONNECTIONS" --warmup 0 --duration "$PRIME" "$@" > "$OUT/prime-$port.txt" 2>&1
}

for profile in $PROFILES; do
  case $profile in
    echo)
      [[ -z "${JPOS_PID:-}" ]] && start_jpos
      start_switch "switch-$profile" "$H2_URL"
      prime "$PORT_BASE" --mix echo=1; prime "$JPOS_PORT" --mix echo=1
      for r in $(seq 1 "$REPS"); do
        load "echo-switch-$r" "$PORT_BASE" $(closed) --mix echo=1
        load "echo-jpos-$r" "$JPOS_PORT" $(closed) --mix echo=1
      done
      stop_switch ;;
    auth)
      # a fresh switch for each repetition: the in-memory H2 journal lives in the switch's heap,
      # and a few hundred thousand records fill 512 MB (the third run of one switch collected
      # garbage most of the time and answered 86/s)
      [[ -z "${JPOS_PID:-}" ]] && start_jpos
      for r in $(seq 1 "$REPS"); do
        start_switch "switch-$profile-$r" "$H2_URL"
        prime "$PORT_BASE" --mix "$MIX"
        [[ $r == 1 ]] && prime "$JPOS_PORT" --mix "$MIX" --no-sign-on
        load "auth-switch-$r" "$PORT_BASE" $(closed) --mix "$MIX"
        load "auth-jpos-$r" "$JPOS_PORT" $(closed) --mix "$MIX" --no-sign-on
        stop_switch
      done ;;
    full|fixed)
      [[ -z "${JPOS_PID:-}" ]] && start_jpos
      start_switch "switch-$profile" "$PG_URL" "$PG_USER" "${SCHEMA}_$profile"
      prime "$PORT_BASE" --mix "$MIX"
      for r in $(seq 1 "$REPS"); do
        if [[ $profile == full ]]; then
          load "full-switch-$r" "$PORT_BASE" $(closed) --mix "$MIX"
          load "full-jpos-echo-$r" "$JPOS_PORT" $(closed) --mix echo=1
        else
          load "fixed-switch-$r" "$PORT_BASE" --terminals "$FIXED_CONNECTIONS" --warmup "$WARMUP" --duration "$DURATION" \
              --in-flight 1 --mix "$MIX" --rate "$FIXED_RATE"
        fi
      done
      stop_switch
      psql -h 127.0.0.1 -U "$PG_USER" -d test -qc "drop schema if exists ${SCHEMA}_$profile cascade" >/dev/null 2>&1 || true ;;
    many)
      start_switch "switch-many" "$H2_URL"
      prime "$PORT_BASE" --mix echo=1
      load "many-switch-1" "$PORT_BASE" --terminals "$MANY" --warmup 5 --duration "$MANY_DURATION" --mix echo=1 \
          --rate "$MANY_RATE" --in-flight 1 --timeout-ms 10000
      grep -E '^(VmHWM|VmRSS)' "/proc/$SWITCH_PID/status" > "$OUT/many-switch-memory.txt" 2>/dev/null || true
      stop_switch ;;
    *) log "unknown profile $profile (echo auth full fixed many)"; exit 2 ;;
  esac
done

python3 "$ROOT/bench/e2e_summary.py" report "$OUT" "$RESULTS"
