#!/usr/bin/env bash
# Before/after of one change on the card path, quicker than run-e2e.sh and with the switch's CPU
# split by thread (the JIT's share shows how warm the switch was):
#
#   bench/card-mix-ab.sh NAME SWITCH_JAR LOAD_JAR [h2|pg]
#   PRIME=40 DUR=20 bench/card-mix-ab.sh after cli/target/iso-switch.jar cli/target/iso-switch.jar pg
#
# One demo switch (32 terminals per dialect, in-process issuer simulators, H2 in memory or the
# PostgreSQL journal in schema perf_ab), a priming run, then a measured closed-loop card mix of
# 32 connections; prints the generator's report, the switch process's CPU per answer over the
# measured run (no warm-up in it), the journal's batches and the CPU by thread. Use the same
# LOAD_JAR for both sides so that only the switch differs. Runs in $OUT (default /tmp/card-mix-ab).
# PORT_BASE, OPS_PORT and SCHEMA let two of these run at once (before and after side by side, so
# that both see the same load from the rest of a shared machine).
set -u
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
NAME=$1; SW=$2; LD=$3; J=${4:-h2}
source "$ROOT/scripts/jdk.sh"
JAVA=$JAVA_HOME/bin/java
threads() { # pid -> "name|ticks" per thread
  for t in /proc/$1/task/*; do echo "$(cat $t/comm 2>/dev/null)|$(awk '{print $14+$15}' $t/stat 2>/dev/null)"; done
}
D=${OUT:-/tmp/card-mix-ab}/$NAME; rm -rf $D; mkdir -p $D
PB=${PORT_BASE:-29583}; OPS=${OPS_PORT:-29080}; SCHEMA=${SCHEMA:-perf_ab}
H2_URL="jdbc:h2:mem:e2e;DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
args=(demo --data $D/data --port-base $PB --ops-port $OPS --load-seconds 0 --terminals-per-dialect 32 --cards-per-bank 64)
if [[ $J == pg ]]; then
  psql -h 127.0.0.1 -U postgres -d test -qc "drop schema if exists $SCHEMA cascade" >/dev/null 2>&1
  args+=(--journal-url jdbc:postgresql://127.0.0.1:5432/test --journal-user postgres --journal-schema $SCHEMA)
else args+=(--journal-url "$H2_URL"); fi
$JAVA -Xms512m -Xmx512m ${JFR:-} ${SWX:-} -jar $SW "${args[@]}" > $D/switch.log 2>&1 &
P=$!
for i in $(seq 1 600); do grep -q '^serving' $D/switch.log && break; sleep 0.5; done
$JAVA -Xms1g -Xmx1g -jar $LD load --target 127.0.0.1:$PB --world $D/data/load-world.yaml --threads 2 --stan-start 900001 --terminals 32 --warmup 0 --duration ${PRIME:-20} > $D/prime.txt 2>&1
c0=$(awk '{print $14+$15}' /proc/$P/stat); threads $P > $D/t0.txt
$JAVA -Xms1g -Xmx1g -jar $LD load --target 127.0.0.1:$PB --world $D/data/load-world.yaml --threads 2 --stan-start 1 --terminals 32 --warmup 0 --duration ${DUR:-20} --json $D/load.json > $D/load.txt 2> $D/load.progress
c1=$(awk '{print $14+$15}' /proc/$P/stat); threads $P > $D/t1.txt
ans=$(python3 -c "import json;d=json.load(open('$D/load.json'));print(d.get('answered',0))" 2>/dev/null)
all=$(( $(grep -o '[0-9,]* sent' $D/load.txt | head -1 | tr -d ', sent') ))
curl -s 127.0.0.1:$OPS/metrics | grep -E '^switch_journal_batch_size_records_(count|sum)' > $D/batch.txt
kill $P; wait $P 2>/dev/null
echo "== $NAME $(cut -d' ' -f1 /proc/loadavg)"; grep -E 'measured|latency|codes|generator' $D/load.txt
n=$(grep -o "[0-9,]* answered" $D/load.txt | head -1 | tr -d ", answered"); echo "switch CPU us/txn: $(( (c1-c0)*10000/n ))  (ticks $((c1-c0)), answered $n)"
python3 - $D <<'PY'
import sys,re,collections
d=sys.argv[1]
def load(f):
    c=collections.Counter()
    for l in open(f):
        n,_,v=l.strip().rpartition('|')
        if v: c[re.sub(r'\d+','N',n)]+=int(v)
    return c
a=load(d+'/t0.txt'); b=load(d+'/t1.txt')
diff={k:b[k]-a.get(k,0) for k in b}
tot=sum(diff.values())
print('threads:', ', '.join('%s %d%%'%(k,100*v//max(tot,1)) for k,v in sorted(diff.items(),key=lambda x:-x[1]) if v>0))
PY
