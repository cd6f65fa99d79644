#!/usr/bin/env bash
# Grows a history into the journal of schema $SCHEMA, then checkpoints: DAYS past business days of
# the demo's terminals (TERMINALS, STANS approved purchases each a day), written in time order, so
# that a measured run meets a journal of production size at the start of a checkpoint cycle.
#
#   SCHEMA=pgc_a IDS=random|ordered DAYS=40 TERMINALS=96 STANS=1000 bench/scripts/journal-history.sh
#
# IDS names how the history's ids were made: random (version 4, as the switch made them before
# session 18) or ordered (time-ordered, version 7 layout, as io.isoswitch.settlement.journal.JournalIds
# makes them). Only the primary key differs between the two; every other column is the same.
set -euo pipefail
: "${SCHEMA:?}"
DAYS=${DAYS:-40}; TERMINALS=${TERMINALS:-96}; STANS=${STANS:-1000}
case ${IDS:-random} in
  random) id="gen_random_uuid()" ;;
  ordered) id="(lpad(to_hex((extract(epoch from ts) * 1000)::bigint), 12, '0') || '7' || substr(md5(random()::text), 1, 3)
                || '8' || substr(md5(random()::text), 1, 15))::uuid" ;;
  *) echo "IDS: random or ordered" >&2; exit 2 ;;
esac
psql -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres -d test -q <<SQL
INSERT INTO $SCHEMA.journal (id, node_id, business_date, terminal_id, merchant_id, stan, transaction_date, mti_class, mti,
       local_time, transaction_type, processing_code, amount_minor, currency, pan_token, masked_pan, pan_ciphertext,
       data_key_id, issuer_id, switch_stan, switch_rrn, issuer_sent_at, state, outcome_state, response_code, auth_code,
       created_at, updated_at)
SELECT $id, 'demo', d, 'DEMO' || lpad(t::text, 4, '0'), 'DEMOMERCHANT001', lpad(s::text, 6, '0'), d, '020', '0200',
       ts::timestamp, 'PURCHASE', '000000', 1000 + s, '156', decode(md5(s::text) || md5(t::text), 'hex'), '476173******9679',
       decode(md5(ts::text) || md5(s::text) || '0102030405060708', 'hex'), '42DD9E', 'bank-a', lpad(s::text, 6, '0'),
       lpad((s * 1000 + t)::text, 12, '0'), ts, 'APPROVED', 'APPROVED', '00', '123456', ts, ts
  FROM generate_series($DAYS, 1, -1) AS back, generate_series(1, $STANS) AS s, generate_series(1, $TERMINALS) AS t,
       LATERAL (SELECT current_date - back AS d) AS day,
       LATERAL (SELECT (current_date - back)::timestamptz + ((s * $TERMINALS + t) * interval '100 ms') AS ts) AS at
 ORDER BY back DESC, s, t;
VACUUM ANALYZE $SCHEMA.journal;
CHECKPOINT;
SQL
psql -h 127.0.0.1 -U postgres -d test -Atc "select count(*) || ' rows, primary key ' || pg_size_pretty(pg_relation_size('$SCHEMA.journal_pkey'))
  || ', table ' || pg_size_pretty(pg_relation_size('$SCHEMA.journal')) from $SCHEMA.journal"
