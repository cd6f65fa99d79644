-- One row per switch node sharing this database: a lease it renews every few seconds while it
-- runs. A node whose lease expired is dead; the first surviving node to claim it (taken_over_by)
-- resolves the requests it left at the issuers (SENT, no outcome: a reversal is queued) in the
-- same transaction, so that happens once. A node that starts again under its id renews the lease
-- and clears the claim.
CREATE TABLE switch_node (
    node_id        VARCHAR(64)              NOT NULL PRIMARY KEY,
    started_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    renewed_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    lease_until    TIMESTAMP WITH TIME ZONE NOT NULL,
    taken_over_by  VARCHAR(64),
    taken_over_at  TIMESTAMP WITH TIME ZONE
);

