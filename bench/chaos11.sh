#!/usr/bin/env bash
# Chaos run (session 11): two switch nodes on one PostgreSQL schema, two issuer simulators, a load
# generator per node at a fixed rate, ChaosTerminals (repeats on the other node, reversals and their
# repeats, voids) alternating the nodes, and faults on a timeline while the money is counted. Then
# store-and-forward drains, the issuers write their ledgers, and `audit` runs for every business
# date against both. Only 127.0.0.1, ports 19600-19699, schema chaos11_sw; stops by itself.
#
# usage: bench/chaos11.sh [DIR]   (default /tmp/chaos11; needs cli/target/iso-switch.jar built)
set -uo pipefail
S="${S:-$(cd "$(dirname "$0")/.." && pwd)}"   # the repository (set S when running a copy of this script)
D="${1:-/tmp/chaos11}"
source "$S/scripts/jdk.sh"
JAVA="$JAVA_HOME/bin/java"
PSQL="psql -h 127.0.0.1 -U postgres -d test -qAt"
SCHEMA=chaos11_sw
N1=19601 N2=19611 OPS1=19681 OPS2=19682 BA=19690 BB=19691
RATE=${RATE:-50}            # per node
LOAD_SECONDS=${LOAD_SECONDS:-500}

mkdir -p "$D" && cd "$D" || exit 2
rm -rf data logs results pids classes ledger-* STOP && mkdir -p data logs results pids
cp "$S/cli/target/iso-switch.jar" .   # a copy: a restart must not rebuild
J="$JAVA -Xmx512m -jar iso-switch.jar"
$PSQL -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null
$J keys init >/dev/null
ZMK=$($J keys form --kind ZMK --component 0123456789ABCDEFFEDCBA9876543210 | awk '/key block/{print $3}')
TMK=$($J keys form --kind TMK --component 11111111111111112222222222222222 | awk '/key block/{print $3}')
$J issuer --port $BA --cards 600 --seed 11 --currency 156 --bins 476173 --write-cards cards-a.csv --duration PT1S >/dev/null 2>&1
$J issuer --port $BB --cards 600 --seed 12 --currency 156 --bins 520000 --write-cards cards-b.csv --duration PT1S >/dev/null 2>&1
ZMK="$ZMK" TMK="$TMK" python3 "$S/bench/scripts/chaos11_configs.py"
"$JAVA_HOME/bin/javac" -d classes -cp iso-switch.jar "$S/bench/scripts/ChaosTerminals.java"

log() { echo "$(date -u +%H:%M:%S) $*" | tee -a logs/timeline.log; }
declare -A PID
start_issuer() { # name port cards dumpdir
  $J issuer --name "$1" --port "$2" --cards "$3" --currency 156 --dump "$4" >>"logs/$1.log" 2>&1 &
  PID[$1]=$!; echo $! >"pids/$1"; log "issuer $1 started pid ${PID[$1]} (ledger $4)"; }
start_node() { # n
  $J serve --config "node$1.yaml" >>"logs/node$1.log" 2>&1 &
  PID[node$1]=$!; echo $! >"pids/node$1"; log "node$1 started pid ${PID[node$1]}"; }
ready() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/ready"; }
wait_ready() { for _ in $(seq 1 60); do [ "$(ready "$1")" = 200 ] && return 0; sleep 1; done; log "port $1 not ready after 60 s"; }

sample() { # one line per node: rss threads fds; pg conns; SAF not DONE; SENT rows
  local line="$(date -u +%H:%M:%S) $1"
  for n in 1 2; do
    local p; p=$(cat "pids/node$n" 2>/dev/null)   # a file: the sampler runs in a subshell, restarts happen in the main one
    if [ -d /proc/$p ]; then
      line+=" n$n:rss=$(awk '/VmRSS/{print $2}' /proc/$p/status)k,thr=$(awk '/Threads/{print $2}' /proc/$p/status),fd=$(ls /proc/$p/fd | wc -l)"
    else line+=" n$n:down"; fi
  done
  line+=" pg=$($PSQL -c "select string_agg(application_name||':'||c,',') from (select application_name,count(*) c from pg_stat_activity where application_name like 'chaos11_node%' group by 1 order by 1) x")"
  line+=" saf_open=$($PSQL -c "select count(*) from $SCHEMA.saf_queue where state<>'DONE'" 2>/dev/null)"
  line+=" sent=$($PSQL -c "select count(*) from $SCHEMA.journal where state='SENT'" 2>/dev/null)"
  line+=" rows=$($PSQL -c "select count(*) from $SCHEMA.journal" 2>/dev/null)"
  echo "$line" >>logs/samples.log
}

load_loop() { # n port world
  local seg=0
  while [ ! -f STOP ]; do seg=$((seg+1))
    $JAVA -Xmx256m -jar iso-switch.jar load --target 127.0.0.1:$2 --world "$3" --terminals 8 --rate $RATE \
      --duration 60 --warmup 0 --timeout-ms 30000 --seed $(( $1 * 1000 + seg )) --mix purchase=70,balance=10,refund=10,preauth=10 \
      --json "results/load$1-$seg.json" >"results/load$1-$seg.txt" 2>&1
    sleep 2
  done
}

start_issuer bank-a $BA cards-a.csv ledger-a1
start_issuer bank-b $BB cards-b.csv ledger-b1
sleep 3
start_node 1; wait_ready $OPS1; start_node 2; wait_ready $OPS2
sample "before-load"
$JAVA -cp iso-switch.jar:classes ChaosTerminals $N1 $N2 cards-drv.csv "$LOAD_SECONDS" STOP \
  CHAO0030 CHAO0031 CHAO0032 CHAO0033 >logs/chaos-terminals.log 2>&1 & CT=$!
load_loop 1 $N1 world1.yaml & L1=$!
load_loop 2 $N2 world2.yaml & L2=$!
( while [ ! -f STOP ]; do sample ""; sleep 10; done ) & SMP=$!
T0=$(date +%s)
at() { local now=$(( $(date +%s) - T0 )); [ "$1" -gt "$now" ] && sleep $(( $1 - now )); }
kill9_node() { log "kill -9 node$1"; kill -9 "${PID[node$1]}"; sample "after-kill-node$1"; }
pg_kill() { log "pg_terminate_backend chaos11 nodes: $($PSQL -c "select count(*) from (select pg_terminate_backend(pid) from pg_stat_activity where application_name like 'chaos11_node%') x")"; }
cutover() { # through the first node whose ops port answers (a node restarted just before may not listen yet)
  local d=$1 answer=""
  for _ in $(seq 1 30); do
    for ops in $OPS1 $OPS2; do
      answer=$(curl -s -X POST -H 'Authorization: Bearer chaos11-token' "http://127.0.0.1:$ops/ops/cutover?from=$d") && break 2
    done; sleep 1
  done
  log "cutover from $d: $answer"; }
bizdate() { $PSQL -c "select max(business_date) from $SCHEMA.journal"; }

at 30;  kill9_node 1; sleep 8; start_node 1
at 70;  log "SIGSTOP bank-a"; kill -STOP "${PID[bank-a]}"
at 100; log "SIGCONT bank-a"; kill -CONT "${PID[bank-a]}"; sample "after-stop-a"
at 130; pg_kill
at 150; kill9_node 2; sleep 6; start_node 2
at 190; log "kill -9 bank-b"; kill -9 "${PID[bank-b]}"; sleep 10; start_issuer bank-b $BB cards-b.csv ledger-b1   # takes up its ledger log
at 240; cutover "$(bizdate)"
at 270; log "SIGSTOP bank-b"; kill -STOP "${PID[bank-b]}"
at 295; log "SIGCONT bank-b"; kill -CONT "${PID[bank-b]}"; sample "after-stop-b"
at 320; kill9_node 1; sleep 5; start_node 1
at 350; pg_kill
at 370; log "SIGSTOP bank-a"; kill -STOP "${PID[bank-a]}"
at 380; kill9_node 2; sleep 8; start_node 2
at 390; log "SIGCONT bank-a"; kill -CONT "${PID[bank-a]}"
at 420; cutover "$(bizdate)"
at 450; kill9_node 1; sleep 5; start_node 1
at "$LOAD_SECONDS"; log "load end"; wait_ready $OPS1; wait_ready $OPS2; touch STOP   # ready: the terminals deliver their pending reversals at the end
wait $L1 $L2 $CT; kill $SMP 2>/dev/null; wait $SMP 2>/dev/null
log "waiting for store-and-forward to drain"
for _ in $(seq 1 120); do
  sample "drain"
  [ "$($PSQL -c "select count(*) from $SCHEMA.saf_queue where state<>'DONE'")" = 0 ] && \
    [ "$($PSQL -c "select count(*) from $SCHEMA.journal where state in ('SENT','REVERSAL_PENDING')")" = 0 ] && break
  sleep 5
done
sample "drained"
log "stopping issuers (SIGTERM writes the ledgers)"
kill -TERM "${PID[bank-a]}" "${PID[bank-b]}"; wait "${PID[bank-a]}" "${PID[bank-b]}" 2>/dev/null
for d in $($PSQL -c "select distinct business_date from $SCHEMA.journal order by 1"); do
  $J audit --config node1.yaml --date "$d" --issuer-ledger bank-a=ledger-a1/entries.csv \
     --issuer-ledger bank-b=ledger-b1/entries.csv >"results/audit-$d.txt" 2>&1
  log "audit $d: exit $? ($(grep -c . "results/audit-$d.txt") lines; 0 agree, 1 differences, 2 not audited, 3 void-reversal exceptions only)"
done
python3 "$S/bench/scripts/chaos11_counts.py" | tee results/counts.txt
tail -n 1 logs/chaos-terminals.log
kill -TERM "${PID[node1]}" "${PID[node2]}" 2>/dev/null; wait "${PID[node1]}" "${PID[node2]}" 2>/dev/null
log "done"
