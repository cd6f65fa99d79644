-- Whether the node had an issuer link up at its last lease renewal. A node whose links are all down
-- leaves the load balancer's pool (/ready) only while another live node reaches an issuer: when
-- none does (an issuer outage), every node stays in the pool, so terminals still reach stand-in
-- and get answers instead of refused connections. Rows of nodes that never wrote it count as
-- reaching their issuers, as every node was assumed to before.
ALTER TABLE switch_node ADD COLUMN issuers_reachable BOOLEAN NOT NULL DEFAULT TRUE;
