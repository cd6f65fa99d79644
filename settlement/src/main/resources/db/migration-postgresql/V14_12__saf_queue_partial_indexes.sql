-- saf_queue keeps every delivered (DONE) entry until the retention purge deletes it (7 days by
-- default), and the index every queue read used, saf_queue_issuer_state (issuer_id, state, id),
-- held those rows too: the issuers-with-pending-entries read, run every second while queues drain,
-- walked the whole index to find the few PENDING entries (state is not its leading column). Every
-- read of waiting entries says state = 'PENDING', so an index of the pending rows alone serves
-- them all (by issuer in delivery order, and the distinct issuers) and stays as small as the
-- backlog; the purge finds delivered rows by when they were delivered. An entry changes state
-- once, when it is delivered, and that update already wrote new index entries (state was
-- indexed), so the partial indexes cost no HOT update. H2 has no partial indexes and keeps
-- saf_queue_issuer_state. Building them reads the table once (a table never purged before can
-- take a while; writes to saf_queue wait for it).
CREATE INDEX saf_queue_pending ON saf_queue (issuer_id, id) WHERE state = 'PENDING';
CREATE INDEX saf_queue_done ON saf_queue (done_at) WHERE state = 'DONE';
DROP INDEX saf_queue_issuer_state;
