-- Every outcome update changed journal.state, and state was indexed (journal_node_state, for crash
-- recovery), so PostgreSQL could never update a journal row in place (HOT): each outcome wrote a
-- new entry in every journal index. Recovery now finds a node's unanswered records through this
-- small table instead: a row is added in the transaction that writes a journal row SENT and deleted
-- in the one that moves it on, so it holds only requests still at an issuer. Recovery re-checks
-- journal.state, so a row left behind by a path that forgot to delete it costs nothing but space
-- (and recovery deletes it); a SENT row missing here would never be reversed, so every insert of a
-- SENT row adds one (InFlight). No foreign key: its check would lock the journal row on each insert.
CREATE TABLE journal_in_flight (
    id       UUID        NOT NULL PRIMARY KEY,
    node_id  VARCHAR(64) NOT NULL
);
INSERT INTO journal_in_flight (id, node_id) SELECT id, node_id FROM journal WHERE state = 'SENT';
DROP INDEX journal_node_state;
