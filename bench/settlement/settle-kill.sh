#!/usr/bin/env bash
# kill -9 during end-of-day work, on PostgreSQL: a day of ROWS journal rows is settled by
# `iso-switch settle` processes killed at growing delays (in the claim, the totals, the files),
# with rows still arriving between the kills (late rows of the settled date, rows of the next),
# until one finishes; then the next date is cut over and settled the same way, and two settle
# commands of one date run at once. A second schema gets the same rows settled without kills.
# Checks: each date settled once (a rerun says so, the files are written again byte for byte),
# no half file, and over both dates every merchant is paid what the run without kills pays.
#
#   bench/settlement/settle-kill.sh [ROWS]     # default 200000
#
# Environment: PG* as settle-bench.sh; SCHEMA (kill_settle; SCHEMA_ref beside it, both dropped
# and created again); OUT (/tmp/settle-kill). Needs cli/target/iso-switch.jar.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
ROWS="${1:-200000}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}" PGDATABASE="${PGDATABASE:-test}"
SCHEMA="${SCHEMA:-kill_settle}"
OUT="${OUT:-/tmp/settle-kill}"
DATE=2026-11-25
NEXT=2026-11-26
JAR="$ROOT/cli/target/iso-switch.jar"
source "$ROOT/scripts/jdk.sh"
[[ -f "$JAR" ]] || { echo "missing $JAR" >&2; exit 1; }
rm -rf "$OUT"; mkdir -p "$OUT"

config() { # schema -> config file
  cat > "$OUT/$1.yaml" <<YAML
journal:
  url: jdbc:postgresql://$PGHOST:$PGPORT/$PGDATABASE
  user: $PGUSER
  schema: $1
  poolSize: 4
settlement:
  feePlansFile: $OUT/fees.yaml
YAML
  echo "$OUT/$1.yaml"
}
cat > "$OUT/fees.yaml" <<YAML
plans:
  - id: retail
    refundPolicy: RETURN_PROPORTIONAL
    rules:
      - {scheme: "*", type: "*", percent: "0.60"}
      - {scheme: visa, type: purchase, percent: "1.10", fixedMinor: 25, minimumMinor: 50, currency: CNY}
  - id: grocery
    refundPolicy: RETURN_PERCENTAGE_ONLY
    rules:
      - {scheme: "*", type: "*", percent: "0.45", fixedMinor: 5, maximumMinor: 500, currency: CNY}
YAML

# rows FROM..TO of business date BD (ids from the row number: the same rows in both schemas)
rows() { # schema from to bd
  psql -q -v ON_ERROR_STOP=1 <<SQL
SET search_path TO $1;
INSERT INTO journal (id, node_id, business_date, terminal_id, merchant_id, stan, transaction_date, mti_class, mti,
                     local_time, transaction_type, processing_code, amount_minor, currency, pan_token, masked_pan,
                     issuer_id, switch_stan, switch_rrn, original_id, state, outcome_state, response_code, auth_code,
                     created_at, updated_at)
SELECT lpad(to_hex(i), 32, '0')::uuid, 'node-1', DATE '$4',
       'T' || lpad((i % 10000)::text, 7, '0'), 'M' || lpad((i % 10000 % 100)::text, 7, '0'),
       lpad((i / 10000 % 1000000)::text, 6, '0'), DATE '$4',
       CASE WHEN i % 100 = 50 THEN '040' ELSE '020' END, CASE WHEN i % 100 = 50 THEN '0400' ELSE '0200' END,
       TIMESTAMP '$4 00:00:00' + (i % 86400) * INTERVAL '1 second',
       CASE WHEN i % 100 = 0 THEN 'REFUND' WHEN i % 100 = 50 THEN 'REVERSAL' ELSE 'PURCHASE' END,
       CASE WHEN i % 100 = 0 THEN '200000' ELSE '000000' END,
       CASE WHEN i % 100 IN (0, 50) THEN 100 + (i - 1) % 99991 ELSE 100 + i % 99991 END, '156',
       decode(md5(i::text), 'hex'),
       CASE WHEN i % 2 = 0 THEN '622202' ELSE '476173' END || '******' || lpad((i % 10000)::text, 4, '0'),
       CASE WHEN i % 2 = 0 THEN 'bank-a' ELSE 'bank-b' END,
       lpad((i % 1000000)::text, 6, '0'), lpad(i::text, 12, '0'),
       CASE WHEN i % 100 IN (0, 50) AND i > $2 THEN lpad(to_hex(i - 1), 32, '0')::uuid END,
       CASE WHEN i % 100 = 7 THEN 'DECLINED' ELSE 'APPROVED' END, CASE WHEN i % 100 = 7 THEN 'DECLINED' ELSE 'APPROVED' END,
       CASE WHEN i % 100 = 7 THEN '51' ELSE '00' END, CASE WHEN i % 100 = 7 THEN NULL ELSE lpad((i % 1000000)::text, 6, '0') END,
       now(), now()
  FROM generate_series($2, $3) i;
SQL
}

setup() { # schema
  psql -q -v ON_ERROR_STOP=1 -c "DROP SCHEMA IF EXISTS $1 CASCADE"
  java_ cutover --config "$(config "$1")" >/dev/null   # migrates, starts the calendar
  psql -q -v ON_ERROR_STOP=1 <<SQL
SET search_path TO $1;
UPDATE business_calendar SET business_date = DATE '$DATE' + 1;
INSERT INTO merchant (merchant_id, name, mcc, currency, fee_plan_id, updated_at)
SELECT 'M' || lpad(m::text, 7, '0'), 'Merchant ' || m, '5411', '156', CASE WHEN m % 3 = 0 THEN 'grocery' ELSE 'retail' END, now()
  FROM generate_series(0, 99) m;
SQL
  rows "$1" 1 "$ROWS" "$DATE"
  psql -q -c "ANALYZE $1.journal"
}

java_() { "$JAVA_HOME/bin/java" -jar "$JAR" "$@"; }

LATE=$((ROWS + 1))
late_rows() { # schema: 50 late rows of DATE (a node that had not seen the cutover) and 50 of NEXT
  rows "$1" "$LATE" $((LATE + 49)) "$DATE"
  rows "$1" $((LATE + 50)) $((LATE + 99)) "$NEXT"
  LATE=$((LATE + 100))
}

settle_killed() { # schema date out: kill -9 at growing delays until a run finishes by itself
  local kills=0 delay rc
  for delay in 0.2 0.4 0.6 0.8 1.0 1.3 1.6 2.0 2.5 3.0 3.5 4.0 5.0 6.0 8.0 10.0 15.0 30.0 60.0; do
    # java itself in the background (not a shell function: kill -9 would hit the subshell, not the JVM)
    "$JAVA_HOME/bin/java" -jar "$JAR" settle --date "$2" --config "$OUT/$1.yaml" --out "$3" >"$OUT/settle.out" 2>"$OUT/settle.err" &
    local pid=$!
    sleep "$delay"
    if kill -0 "$pid" 2>/dev/null; then
      kill -9 "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
      kills=$((kills + 1))
      echo "  $2: killed after ${delay}s at: $(tr -d '\0' < "$OUT/settle.err" | tail -1)"
      late_rows "$1"
    else
      wait "$pid" && rc=0 || rc=$?
      echo "  $2: finished (exit $rc) after $kills kills: $(head -1 "$OUT/settle.out")"
      return "$rc"
    fi
  done
  echo "never finished" >&2; return 1
}

KILL="$SCHEMA"; REF="${SCHEMA}_ref"
echo "setting up $KILL and $REF with $ROWS rows of $DATE..."
setup "$KILL"; setup "$REF"

echo "settling $DATE in $KILL with kills:"
settle_killed "$KILL" "$DATE" "$OUT/files"
java_ settle --date "$DATE" --config "$OUT/$KILL.yaml" --out "$OUT/files" >"$OUT/rerun.out" 2>/dev/null
head -1 "$OUT/rerun.out"
echo "temporary files left by the kills: $(find "$OUT/files" -name '*.tmp' | wc -l) (hidden, never renamed; deleted)"
find "$OUT/files" -name '*.tmp' -delete
java_ settle --date "$DATE" --config "$OUT/$KILL.yaml" --out "$OUT/again" >/dev/null 2>&1
diff -r "$OUT/files/$DATE" "$OUT/again/$DATE" && echo "files of $DATE written again: same bytes"

echo "two settle commands of $DATE at once:"
"$JAVA_HOME/bin/java" -jar "$JAR" settle --date "$DATE" --config "$OUT/$KILL.yaml" --out "$OUT/twice" >/dev/null 2>"$OUT/twice1.err" & p1=$!
"$JAVA_HOME/bin/java" -jar "$JAR" settle --date "$DATE" --config "$OUT/$KILL.yaml" --out "$OUT/twice" >/dev/null 2>"$OUT/twice2.err" & p2=$!
wait $p1 && r1=0 || r1=$?; wait $p2 && r2=0 || r2=$?
echo "  exit codes $r1 $r2"
diff -r "$OUT/files/$DATE" "$OUT/twice/$DATE" && echo "  both: the same bytes"

java_ cutover --from "$NEXT" --config "$OUT/$KILL.yaml" >/dev/null
echo "settling $NEXT in $KILL with kills:"
settle_killed "$KILL" "$NEXT" "$OUT/files"

# rows that arrived after the mark of NEXT's run (late ones of both dates) are the next run's corrections
java_ cutover --from "$NEXT" --config "$OUT/$KILL.yaml" >/dev/null   # nothing: NEXT is closed already
java_ cutover --from 2026-11-27 --config "$OUT/$KILL.yaml" >/dev/null
java_ settle --date 2026-11-27 --config "$OUT/$KILL.yaml" --out "$OUT/files" 2>/dev/null | head -1

echo "reference: the same rows in $REF, settled without kills"
LATE_KILL=$LATE; LATE=$((ROWS + 1))
while [[ "$LATE" -lt "$LATE_KILL" ]]; do late_rows "$REF"; done
java_ settle --date "$DATE" --config "$OUT/$REF.yaml" --out "$OUT/ref" >/dev/null 2>&1
java_ cutover --from "$NEXT" --config "$OUT/$REF.yaml" >/dev/null
java_ settle --date "$NEXT" --config "$OUT/$REF.yaml" --out "$OUT/ref" >/dev/null 2>&1

totals() { psql -tAc "SELECT merchant_id, currency, SUM(sales_count), SUM(sales_minor), SUM(refund_count), SUM(refund_minor),
  SUM(fee_minor), SUM(net_minor) FROM $1.merchant_settlement GROUP BY merchant_id, currency ORDER BY 1, 2"; }
echo "journal rows: $(psql -tAc "SELECT COUNT(*) FROM $KILL.journal") vs $(psql -tAc "SELECT COUNT(*) FROM $REF.journal");" \
  "settled rows: $(psql -tAc "SELECT SUM(transactions) FROM $KILL.settlement_run") vs $(psql -tAc "SELECT SUM(transactions) FROM $REF.settlement_run")"
if diff <(totals "$KILL") <(totals "$REF") >/dev/null; then
  echo "merchant totals over both dates: the same as without kills ($(totals "$KILL" | wc -l) merchants," \
    "net $(psql -tAc "SELECT SUM(net_minor) FROM $KILL.merchant_settlement"), fees $(psql -tAc "SELECT SUM(fee_minor) FROM $KILL.merchant_settlement"))"
else
  echo "MERCHANT TOTALS DIFFER"; diff <(totals "$KILL") <(totals "$REF") | head; exit 1
fi
[[ -n "${KEEP:-}" ]] || psql -q -c "DROP SCHEMA $KILL CASCADE" -c "DROP SCHEMA $REF CASCADE"
