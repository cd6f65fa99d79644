-- The node whose void or terminal reversal holds an undo claim (contributor 'undo|<original id>',
-- see LimitCounters.claimUndo): the claim is taken in one transaction and the original moved in
-- another, so a node that dies between the two leaves the claim held on an original that still
-- stands, and every refund or completion of it is refused. The node's next start (or the node
-- that takes it over) gives back the claims it holds on originals that still stand. NULL for
-- every other contribution.
ALTER TABLE limit_contribution ADD COLUMN node_id VARCHAR(64);
CREATE INDEX limit_contribution_node ON limit_contribution (node_id);
