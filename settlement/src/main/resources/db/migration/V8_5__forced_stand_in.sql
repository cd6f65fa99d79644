-- Stand-in that operations forced per issuer. Shared by every switch node (each refreshes it on a
-- short period) and kept across restarts: a maintenance window the bank announced must not end
-- because a node restarted, nor hold on one node only.
CREATE TABLE forced_stand_in (
    issuer_id   VARCHAR(32)              NOT NULL,
    forced      BOOLEAN                  NOT NULL,
    changed_by  VARCHAR(64)              NOT NULL,
    changed_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT forced_stand_in_key PRIMARY KEY (issuer_id)
);
