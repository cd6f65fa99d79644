#!/bin/bash
# Measures a terminal batch close on PostgreSQL (127.0.0.1:5432, database test, user postgres):
# 1,000,000 purchases spread over $TERMINALS terminals (default 1000) plus a void row for each
# purchase numbered 2, 12, 22, ... (so every purchase of T0000002 is voided: the worst case for the
# void exclusion), straight into a scratch schema migrated with the shipped migrations; then the two
# statements of a close for terminal T0000002 (mark its open rows, sum them) under EXPLAIN ANALYZE.
# The statements are those of settlement/.../batch/BatchSql.java with values inlined.
# Usage: bench/scripts/batch-close-postgres.sh            (1,000 rows per terminal)
#        TERMINALS=20 bench/scripts/batch-close-postgres.sh (50,000 rows per terminal)
set -e
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
P="psql -h 127.0.0.1 -U postgres -d test -v ON_ERROR_STOP=1 -q"
$P -c "DROP SCHEMA IF EXISTS batch_bench CASCADE; CREATE SCHEMA batch_bench;"
for f in $ROOT/settlement/src/main/resources/db/migration/V*.sql; do
  PGOPTIONS="-c search_path=batch_bench" $P -f "$f"
done
PGOPTIONS="-c search_path=batch_bench" $P -v terminals=${TERMINALS:-1000} <<'SQL'
INSERT INTO journal (id, node_id, business_date, terminal_id, merchant_id, stan, transaction_date, mti_class, mti,
  local_time, transaction_type, processing_code, amount_minor, currency, pan_token, masked_pan, switch_rrn, state,
  created_at, updated_at)
SELECT md5(g::text)::uuid, 'n1', DATE '2026-11-26', 'T' || lpad((g % :terminals)::text, 7, '0'), 'M1',
  lpad((g / :terminals)::text, 6, '0'), DATE '2026-11-26', '020', '0200', TIMESTAMP '2026-11-26 10:00:00',
  'PURCHASE', '000000', 100 + g % 97, '156', '\x00'::bytea, '476173******0119', lpad(g::text, 12, '0'),
  'APPROVED', now(), now()
FROM generate_series(1, 1000000) g;
-- 10% of the purchases voided (a void row referring to its original)
INSERT INTO journal (id, node_id, business_date, terminal_id, merchant_id, stan, transaction_date, mti_class, mti,
  local_time, transaction_type, processing_code, amount_minor, currency, pan_token, masked_pan, original_id, state,
  created_at, updated_at)
SELECT md5('v' || g::text)::uuid, 'n1', DATE '2026-11-26', 'T' || lpad((g % :terminals)::text, 7, '0'), 'M1',
  lpad((g / :terminals)::text, 6, '0'), DATE '2026-11-27', '020', '0200', TIMESTAMP '2026-11-26 10:00:00',
  'PURCHASE_VOID', '020000', 100 + g % 97, '156', '\x00'::bytea, '476173******0119', md5(g::text)::uuid, 'APPROVED', now(), now()
FROM generate_series(2, 1000000, 10) g;
ANALYZE journal;
INSERT INTO batch_close VALUES ('00000000-0000-0000-0000-000000000001', 'T0000002', 1, '156', 'BALANCED',
  0,0,0,0,0,0,0,0, now());
\timing on
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
UPDATE journal SET batch_id = '00000000-0000-0000-0000-000000000001' WHERE terminal_id = 'T0000002' AND batch_id IS NULL
  AND currency = '156' AND state IN ('APPROVED', 'STAND_IN_APPROVED', 'DECLINED', 'REVERSED', 'TIMED_OUT');
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT COALESCE(SUM(CASE WHEN j.transaction_type IN ('PURCHASE', 'PREAUTH_COMPLETION', 'PREAUTH_COMPLETION_ADVICE') THEN 1 ELSE 0 END), 0),
       COALESCE(SUM(CASE WHEN j.transaction_type IN ('PURCHASE', 'PREAUTH_COMPLETION', 'PREAUTH_COMPLETION_ADVICE') THEN j.amount_minor ELSE 0 END), 0)
  FROM journal j
 WHERE j.terminal_id = 'T0000002' AND j.batch_id = '00000000-0000-0000-0000-000000000001'
   AND j.state IN ('APPROVED', 'STAND_IN_APPROVED') AND j.id NOT IN (SELECT v.original_id FROM journal v
   WHERE v.terminal_id = 'T0000002' AND v.batch_id = '00000000-0000-0000-0000-000000000001' AND v.original_id IS NOT NULL
   AND v.transaction_type IN ('PURCHASE_VOID', 'PREAUTH_COMPLETION_VOID') AND v.state IN ('APPROVED', 'STAND_IN_APPROVED'));
SELECT COUNT(*) AS rows_in_batch FROM journal WHERE batch_id = '00000000-0000-0000-0000-000000000001';
SQL
$P -c "DROP SCHEMA batch_bench CASCADE;"
