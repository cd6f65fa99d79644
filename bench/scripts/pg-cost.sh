#!/usr/bin/env bash
# PostgreSQL's work per card transaction of one switch jar on the full path (demo switch, PostgreSQL
# journal in schema $SCHEMA, closed-loop card mix), read around the measured run only:
#
#   SCHEMA=pgc_a PORT_BASE=30583 OPS_PORT=30080 bench/scripts/pg-cost.sh NAME SWITCH_JAR LOAD_JAR
#
# - CPU of the switch's own PostgreSQL backends (the connections of the switch's pool, found by
#   their client ports; /proc/<pid>/stat), of every postgres process alive over the whole run
#   (WAL writer and checkpointer included, other users' backends too), of the switch, per answer;
# - the schema's row and index counters (pg_stat_user_tables, pg_stat_user_indexes), per answer,
#   read after 11 s idle so that every backend has flushed them;
# - WAL: the cluster's LSN advance, and with pg_waldump (read-only, on pg_wal) the records whose
#   blocks are in a relation of $SCHEMA plus the commit records of the transactions that wrote
#   them: bytes and records per answer, and the number of those write transactions (commits).
# Nothing of the server's configuration is touched. Output in $OUT/NAME (default /tmp/pg-cost).
# BEFORE_MEASURE: a shell command run (with $SCHEMA set) after the priming run, before the measured
# one, e.g. bench/scripts/journal-history.sh to measure on a journal holding weeks of rows.
set -u
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
NAME=$1; SW=$2; LD=$3
source "$ROOT/scripts/jdk.sh"
JAVA=$JAVA_HOME/bin/java
D=${OUT:-/tmp/pg-cost}/$NAME; rm -rf "$D"; mkdir -p "$D"
PB=${PORT_BASE:-30583}; OPS=${OPS_PORT:-30080}; SCHEMA=${SCHEMA:-pgc_ab}; CONN=${CONN:-32}
PGDATA_WAL=${PGDATA_WAL:-/var/lib/postgresql/15/main/pg_wal}
WALDUMP=${WALDUMP:-/usr/lib/postgresql/15/bin/pg_waldump}
q() { psql -h 127.0.0.1 -U postgres -d test -Atc "$1"; }
q "drop schema if exists $SCHEMA cascade" >/dev/null 2>&1
"$JAVA" -Xms512m -Xmx512m -jar "$SW" demo --data "$D/data" --port-base "$PB" --ops-port "$OPS" --load-seconds 0 \
  --terminals-per-dialect "$CONN" --cards-per-bank 64 --journal-url jdbc:postgresql://127.0.0.1:5432/test \
  --journal-user postgres --journal-schema "$SCHEMA" > "$D/switch.log" 2>&1 &
P=$!
trap 'kill $P 2>/dev/null; wait $P 2>/dev/null' EXIT
for _ in $(seq 1 600); do grep -q '^serving' "$D/switch.log" && break; sleep 0.5; done
load() { # stan-start seconds json
  "$JAVA" -Xms1g -Xmx1g -jar "$LD" load --target "127.0.0.1:$PB" --world "$D/data/load-world.yaml" --threads 2 \
    --stan-start "$1" --terminals "$CONN" --warmup 0 --duration "$2" ${3:+--json "$3"}
}
load 900001 "${PRIME:-10}" > "$D/prime.txt" 2>&1
if [[ -n ${BEFORE_MEASURE:-} ]]; then
  # e.g. a history grown into the schema, then a CHECKPOINT so that the run starts a checkpoint cycle
  SCHEMA=$SCHEMA bash -c "$BEFORE_MEASURE" > "$D/before-measure.txt" 2>&1 || { echo "BEFORE_MEASURE failed: $D/before-measure.txt"; exit 1; }
fi
sleep 11
backends() { # the PostgreSQL backends serving the switch's connections
  local ports
  ports=$(ss -tnpH state established '( dport = :5432 )' | grep "pid=$P," | awk '{print $3}' | sed 's/.*://' | paste -sd,)
  [[ -n $ports ]] && q "select pid from pg_stat_activity where client_port in ($ports)"
}
ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo $t; }
pgticks() { # pid:ticks of every postgres process
  local p; for p in $(pgrep -x postgres); do echo "$p:$(awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null || echo 0)"; done
}
pgdelta() { # CPU ticks of the postgres processes alive at both snapshots (others' backends come and go)
  awk -F: 'NR == FNR { a[$1] = $2; next } ($1 in a) { t += $2 - a[$1] } END { print t + 0 }' "$1" "$2"
}
stats() {
  q "select 'T', relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del, seq_scan, coalesce(idx_scan,0) from pg_stat_user_tables where schemaname = '$SCHEMA'"
  q "select 'I', relname || '.' || indexrelname, idx_scan, idx_tup_read from pg_stat_user_indexes where schemaname = '$SCHEMA'"
  q "select 'D', datname, xact_commit, xact_rollback from pg_stat_database where datname = 'test'"
}
B=$(backends | paste -sd' '); echo "$B" > "$D/backends.txt"
stats > "$D/stats0.txt"
l0=$(q "select pg_current_wal_lsn()")
sw0=$(ticks $P); be0=$(ticks $B); pgticks > "$D/pg0.txt"; m0=$(awk '/^cpu / {print $2+$3+$4+$7+$8}' /proc/stat)
load 1 "${DUR:-15}" "$D/load.json" > "$D/load.txt" 2> "$D/load.progress"
sw1=$(ticks $P); be1=$(ticks $B); pgticks > "$D/pg1.txt"; m1=$(awk '/^cpu / {print $2+$3+$4+$7+$8}' /proc/stat)
l1=$(q "select pg_current_wal_lsn()")
B1=$(backends | paste -sd' '); [[ "$B1" == "$B" ]] || echo "note: the switch's backends changed during the run ($B -> $B1)"
sleep 11
stats > "$D/stats1.txt"
q "select c.relfilenode from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = '$SCHEMA' and c.relfilenode <> 0" > "$D/nodes.txt"
"$WALDUMP" -p "$PGDATA_WAL" -s "$l0" -e "$l1" > "$D/wal.txt" 2> "$D/waldump.err"
kill $P; wait $P 2>/dev/null; trap - EXIT
q "drop schema if exists $SCHEMA cascade" >/dev/null 2>&1
n=$(grep -o "[0-9,]* answered" "$D/load.txt" | head -1 | tr -d ", answered")
echo "== $NAME load $(cut -d' ' -f1-3 /proc/loadavg)"
grep -E 'measured|latency' "$D/load.txt" | head -3
python3 - "$D" "$n" "$(getconf CLK_TCK)" "$l0" "$l1" $((sw1-sw0)) $((be1-be0)) "$(pgdelta "$D/pg0.txt" "$D/pg1.txt")" $((m1-m0)) <<'PY'
import sys, re, collections
d, n, hz, l0, l1 = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
sw, be, pg, mach = (int(x) for x in sys.argv[6:10])
us = lambda t: t * 1e6 / hz / n
lsn = lambda s: (int(s.split('/')[0], 16) << 32) + int(s.split('/')[1], 16)
print(f"answered {n}; CPU us/txn: switch {us(sw):.0f}, its PG backends {us(be):.0f}, all postgres {us(pg):.0f}, machine {us(mach):.0f}")
def read(f):
    r = {}
    for line in open(f):
        p = line.rstrip('\n').split('|')
        r[(p[0], p[1])] = [int(x) for x in p[2:]]
    return r
a, b = read(d + '/stats0.txt'), read(d + '/stats1.txt')
for k in sorted(b):
    delta = [y - x for x, y in zip(a.get(k, [0] * len(b[k])), b[k])]
    if any(delta) and k[0] != 'D':
        cols = ['ins', 'upd', 'hot', 'del', 'seqscan', 'idxscan'] if k[0] == 'T' else ['idx_scan', 'tup_read']
        print(f"  {k[0]} {k[1]}: " + ', '.join(f"{c} {v / n:.3f}" for c, v in zip(cols, delta)))
    if k[0] == 'D':
        print(f"  cluster db test: commits/txn {delta[0] / n:.2f} (other users included)")
nodes = {l.strip() for l in open(d + '/nodes.txt') if l.strip()}
recs = bytes_ = 0; xids = set(); commits = collections.Counter(); fpi = 0; kinds = collections.Counter()
pat = re.compile(r'len \(rec/tot\):\s*(\d+)/\s*(\d+), tx:\s*(\d+),.*?desc: (\S+)')
for line in open(d + '/wal.txt'):
    m = pat.search(line)
    if not m: continue
    tot, tx, desc = int(m.group(2)), m.group(3), m.group(1)
    rels = re.findall(r'rel \d+/\d+/(\d+)', line)
    if any(r in nodes for r in rels):
        recs += 1; bytes_ += tot; xids.add(tx)
        rm = line.split()[1]; kinds[rm + ' ' + m.group(4)] += 1
        if 'FPW' in line: fpi += 1
    elif 'COMMIT' in line:
        commits[tx] += tot
ct = sum(v for k, v in commits.items() if k in xids); cn = sum(1 for k in commits if k in xids)
print(f"  WAL: cluster {(lsn(l1) - lsn(l0)) / n:.0f} B/txn; schema {bytes_ / n:.0f} B/txn in {recs / n:.2f} records ({fpi / n:.3f} with a full page)"
      f" + commits {ct / n:.0f} B/txn; write transactions {cn / n:.3f}/txn")
print("  WAL records/txn: " + ', '.join(f"{k} {v / n:.2f}" for k, v in kinds.most_common(12)))
PY
