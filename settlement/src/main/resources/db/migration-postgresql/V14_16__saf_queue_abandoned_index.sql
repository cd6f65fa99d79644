-- The store-and-forward summary counts each issuer's ABANDONED entries (V14_13), and the queue gauge
-- reads that summary every few seconds per issuer. Since V14_12 no index covers saf_queue by
-- issuer and state other than PENDING, so the count walked the whole table, delivered rows of the
-- retention included. Abandoned entries are few (each one is an alert), so this index stays tiny.
-- H2 keeps saf_queue_issuer_state, which serves the count there.
CREATE INDEX saf_queue_abandoned ON saf_queue (issuer_id) WHERE state = 'ABANDONED';
