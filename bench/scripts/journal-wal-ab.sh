#!/usr/bin/env bash
# The PostgreSQL work per card transaction of one switch jar: runs bench/card-mix-ab.sh on the PG
# journal (schema $SCHEMA) and reads, around the whole run (demo set-up, priming and measured run),
# the cluster's WAL (pg_stat_wal; cluster-wide, so other users of the server add to it) and the
# journal's own counters (pg_stat_user_tables, pg_stat_user_indexes), divided by journal rows, and
# the WAL written to the schema's own tables and indexes alone (pg_walinspect, installed in database
# postgres: the records whose blocks are in a relation of $SCHEMA, full-page images included).
#
#   SCHEMA=hot_a PORT_BASE=29683 OPS_PORT=29180 bench/scripts/journal-wal-ab.sh NAME SWITCH_JAR LOAD_JAR
set -u
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
NAME=$1; SW=$2; LD=$3; SCHEMA=${SCHEMA:-perf_ab}; export SCHEMA
q() { psql -h 127.0.0.1 -U postgres -d test -Atc "$1"; }
l0=$(psql -h 127.0.0.1 -U postgres -d postgres -Atc "select pg_current_wal_lsn()")
w0=$(q "select wal_records||' '||wal_bytes||' '||wal_fpi from pg_stat_wal")
"$ROOT/bench/card-mix-ab.sh" "$NAME" "$SW" "$LD" pg
sleep 1 # let the switch's backends, now closed, flush their statistics
w1=$(q "select wal_records||' '||wal_bytes||' '||wal_fpi from pg_stat_wal")
l1=$(psql -h 127.0.0.1 -U postgres -d postgres -Atc "select pg_current_wal_lsn()")
rows=$(q "select n_tup_ins from pg_stat_user_tables where schemaname='$SCHEMA' and relname='journal'")
read r0 b0 f0 <<<"$w0"; read r1 b1 f1 <<<"$w1"
echo "journal rows $rows; cluster WAL per row: records $(( (r1-r0)/rows )), bytes $(( (b1-b0)/rows )), fpi $(( (f1-f0)*100/rows ))/100"
nodes=$(q "select string_agg(c.relfilenode::text, '|') from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = '$SCHEMA' and c.relfilenode <> 0")
psql -h 127.0.0.1 -U postgres -d postgres -Atc "select 'schema WAL per journal row: records ' || count(*) / $rows || ', bytes ' || sum(record_length) / $rows || ', fpi bytes ' || sum(fpi_length) / $rows
  from pg_get_wal_records_info('$l0', '$l1') where block_ref ~ ' rel [0-9]+/[0-9]+/($nodes) '"
q "select relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del from pg_stat_user_tables where schemaname='$SCHEMA' and n_tup_ins > 0 order by 1"
q "select relname||'.'||indexrelname, pg_relation_size(indexrelid)/8192 as pages from pg_stat_user_indexes where schemaname='$SCHEMA' and relname like 'journal%' order by 1"
q "select 'journal heap pages', pg_relation_size('$SCHEMA.journal')/8192"
