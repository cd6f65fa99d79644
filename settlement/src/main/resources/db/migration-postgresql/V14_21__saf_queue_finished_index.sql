-- The retention purge deletes cancelled store-and-forward entries (a void reversed before its
-- sale's reversal went) as well as delivered ones, by done_at. saf_queue_done (V14_12) held the
-- delivered rows only; this index holds both, so the purge still reads only what it may delete.
-- Cancelled rows are few; building it reads the table once, as V14_12 did.
CREATE INDEX saf_queue_finished ON saf_queue (done_at) WHERE state IN ('DONE', 'CANCELLED');
DROP INDEX saf_queue_done;
