#!/usr/bin/env bash
# Settlement benchmark: generates ROWS journal rows of one business date straight into PostgreSQL
# (one INSERT ... SELECT over generate_series, no Java), then times `iso-switch settle` for that
# date (set-based settlement + merchant reports + issuer clearing files). Not part of the test run.
#
#   bench/settlement/settle-bench.sh [ROWS]      # default 10000000
#
# Environment: PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres), PGDATABASE (test),
# SCHEMA (bench_settle, dropped and created again), OUT (directory for the files, /tmp/bench-settle).
# Needs cli/target/iso-switch.jar (./iso-switch builds it; so does
# `$MVN -q -B package -pl cli -am -DskipTests`).
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
ROWS="${1:-10000000}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}" PGDATABASE="${PGDATABASE:-test}"
SCHEMA="${SCHEMA:-bench_settle}"
OUT="${OUT:-/tmp/bench-settle}"
DATE=2026-11-25
JAR="$ROOT/cli/target/iso-switch.jar"
source "$ROOT/scripts/jdk.sh"
[[ -f "$JAR" ]] || { echo "missing $JAR: run ./iso-switch --version or package the cli module first" >&2; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cat > "$WORK/switch.yaml" <<YAML
journal:
  url: jdbc:postgresql://$PGHOST:$PGPORT/$PGDATABASE
  user: $PGUSER
  schema: $SCHEMA
  poolSize: 4
settlement:
  feePlansFile: $WORK/fees.yaml
YAML
cat > "$WORK/fees.yaml" <<YAML
plans:
  - id: retail
    refundPolicy: RETURN_PROPORTIONAL
    rules:
      - {scheme: "*", type: "*", percent: "0.60"}
      - {scheme: unionpay, type: "*", percent: "0.38", minimumMinor: 10, maximumMinor: 2000, currency: CNY}
      - {scheme: visa, type: purchase, percent: "1.10", fixedMinor: 25, minimumMinor: 50, currency: CNY}
  - id: grocery
    refundPolicy: RETURN_PERCENTAGE_ONLY
    rules:
      - {scheme: "*", type: "*", percent: "0.45", fixedMinor: 5, maximumMinor: 500, currency: CNY}
YAML

psql -q -v ON_ERROR_STOP=1 -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE"
# creates and migrates the schema and starts the business calendar
"$JAVA_HOME/bin/java" -jar "$JAR" cutover --config "$WORK/switch.yaml" >/dev/null

echo "generating $ROWS journal rows for $DATE..." >&2
gen_start=$(date +%s)
psql -q -v ON_ERROR_STOP=1 <<SQL
SET search_path TO $SCHEMA;
UPDATE business_calendar SET business_date = DATE '$DATE' + 1;
INSERT INTO merchant (merchant_id, name, mcc, currency, fee_plan_id, updated_at)
SELECT 'M' || lpad(m::text, 7, '0'), 'Merchant ' || m, '5411', '156',
       CASE WHEN m % 3 = 0 THEN 'grocery' ELSE 'retail' END, now()
  FROM generate_series(0, 999) m;
-- 1% refunds and 1% reversals of the row before them, 1% declined, the rest approved purchases;
-- 10,000 terminals over 1,000 merchants, half the cards UnionPay (622202), half Visa (476173)
INSERT INTO journal (id, node_id, business_date, terminal_id, merchant_id, stan, transaction_date, mti_class, mti,
                     local_time, transaction_type, processing_code, amount_minor, currency, pan_token, masked_pan,
                     issuer_id, switch_stan, switch_rrn, original_id, state, outcome_state, response_code, auth_code,
                     created_at, updated_at)
SELECT lpad(to_hex(i), 32, '0')::uuid, 'node-1', DATE '$DATE',
       'T' || lpad((i % 10000)::text, 7, '0'), 'M' || lpad((i % 10000 % 1000)::text, 7, '0'),
       lpad((i / 10000 % 1000000)::text, 6, '0'), DATE '$DATE',
       CASE WHEN i % 100 = 50 THEN '040' ELSE '020' END,
       CASE WHEN i % 100 = 50 THEN '0400' ELSE '0200' END,
       TIMESTAMP '$DATE 00:00:00' + (i % 86400) * INTERVAL '1 second',
       CASE WHEN i % 100 = 0 THEN 'REFUND' WHEN i % 100 = 50 THEN 'REVERSAL' ELSE 'PURCHASE' END,
       CASE WHEN i % 100 = 0 THEN '200000' ELSE '000000' END,
       CASE WHEN i % 100 IN (0, 50) THEN 100 + (i - 1) % 99991 ELSE 100 + i % 99991 END, '156',
       decode(md5(i::text), 'hex'),
       CASE WHEN i % 2 = 0 THEN '622202' ELSE '476173' END || '******' || lpad((i % 10000)::text, 4, '0'),
       CASE WHEN i % 2 = 0 THEN 'bank-a' ELSE 'bank-b' END,
       lpad((i % 1000000)::text, 6, '0'), lpad(i::text, 12, '0'),
       CASE WHEN i % 100 IN (0, 50) AND i > 0 THEN lpad(to_hex(i - 1), 32, '0')::uuid END,
       CASE WHEN i % 100 = 7 THEN 'DECLINED' ELSE 'APPROVED' END,
       CASE WHEN i % 100 = 7 THEN 'DECLINED' ELSE 'APPROVED' END,
       CASE WHEN i % 100 = 7 THEN '51' ELSE '00' END,
       CASE WHEN i % 100 = 7 THEN NULL ELSE lpad((i % 1000000)::text, 6, '0') END,
       now(), now()
  FROM generate_series(1, $ROWS) i;
ANALYZE journal;
SQL
gen_end=$(date +%s)
echo "generated in $((gen_end - gen_start)) s" >&2

rm -rf "$OUT"
echo "settling $DATE..." >&2
start=$(date +%s.%N)
"$JAVA_HOME/bin/java" -jar "$JAR" settle --date "$DATE" --config "$WORK/switch.yaml" --out "$OUT" > "$WORK/report.csv"
end=$(date +%s.%N)
head -1 "$WORK/report.csv"
printf 'settle (first run): %.1f s\n' "$(echo "$end - $start" | bc)"
start=$(date +%s.%N)
"$JAVA_HOME/bin/java" -jar "$JAR" settle --date "$DATE" --config "$WORK/switch.yaml" --out "$OUT" > "$WORK/report2.csv"
end=$(date +%s.%N)
printf 'settle (second run, already settled: report + files again): %.1f s\n' "$(echo "$end - $start" | bc)"
tail -n +2 "$WORK/report.csv" | cmp -s - <(tail -n +2 "$WORK/report2.csv") && echo "second run: same report" || echo "second run: REPORT DIFFERS"
echo "files: $(ls "$OUT/$DATE" | wc -l), $(du -sh "$OUT/$DATE" | cut -f1)"
