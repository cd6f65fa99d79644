#!/usr/bin/env bash
# The "many" profile of run-e2e.sh for one switch jar, with GC logs of the switch and the
# generator and a sample per second of both processes' CPU, to see where the first seconds go:
#
#   bench/scripts/many-ab.sh NAME SWITCH_JAR LOAD_JAR      # output in $OUT (default /tmp/many-ab)
#
# 10,000 connections (MANY), echo at 2,500/s in all (RATE), 5 s warm-up, 30 s measured, in-memory
# H2 journal, switch -Xms512m -Xmx512m. Run it for the old jar and the new one in turn.
set -u
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
NAME=$1; SW=$2; LD=$3
source "$ROOT/scripts/jdk.sh"
J=$JAVA_HOME/bin/java
D=${OUT:-/tmp/many-ab}/$NAME; rm -rf "$D"; mkdir -p "$D"
PB=${PORT_BASE:-29583}; OPS=${OPS_PORT:-29080}
H2_URL="jdbc:h2:mem:e2e;DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
$J -Xms512m -Xmx512m -Xlog:gc:file=$D/gc.log -jar "$SW" demo --data $D/data --port-base $PB --ops-port $OPS \
    --load-seconds 0 --terminals-per-dialect 32 --cards-per-bank 64 --journal-url "$H2_URL" > $D/switch.log 2>&1 &
P=$!
for _ in $(seq 1 600); do grep -q '^serving' $D/switch.log && break; sleep 0.5; done
$J -Xms1g -Xmx1g -jar "$LD" load --target 127.0.0.1:$PB --world $D/data/load-world.yaml --threads 2 --stan-start 900001 \
    --terminals 32 --warmup 0 --duration 20 --mix echo=1 > $D/prime.txt 2>&1
$J -Xms1g -Xmx1g -Xlog:gc:file=$D/generator-gc.log -jar "$LD" load --target 127.0.0.1:$PB --world $D/data/load-world.yaml \
    --threads 2 --stan-start 1 --terminals ${MANY:-10000} --warmup 5 --duration 30 --mix echo=1 --rate ${RATE:-2500} \
    --in-flight 1 --timeout-ms 10000 --json $D/load.json > $D/load.txt 2> $D/load.progress &
G=$!
while kill -0 $G 2>/dev/null; do
  echo "$(date +%T) switch-ticks $(awk '{print $14+$15}' /proc/$P/stat) generator-ticks $(awk '{print $14+$15}' /proc/$G/stat 2>/dev/null)" >> $D/cpu.txt
  sleep 1
done
wait $G
grep -E '^(VmHWM|VmRSS)' /proc/$P/status > $D/memory.txt
kill $P; wait $P 2>/dev/null
pauses() { echo "$(grep -c Pause "$1") pauses, $(grep Pause "$1" | grep -o '[0-9.]*ms$' | tr -d ms | sort -n | tail -1) ms the longest, $(grep Pause "$1" | grep -o '[0-9.]*ms$' | tr -d ms | paste -sd+ | bc) ms in all"; }
echo "== $NAME (load average $(cut -d' ' -f1-3 /proc/loadavg))"
grep -E 'measured|latency|timeouts' $D/load.txt
echo "switch $(tr '\n' ' ' < $D/memory.txt)"
echo "switch GC: $(pauses $D/gc.log); generator GC: $(pauses $D/generator-gc.log)"
