-- Issuer-link STANs are handed out in blocks numbered here, one counter per issuer shared by every
-- node, so that no two requests to an issuer carry the same STAN on one day across restarts and
-- nodes (an issuer answers a repeated acquirer+STAN+date from memory and books nothing).
CREATE TABLE issuer_stan_block (
    issuer_id   VARCHAR(32)              NOT NULL PRIMARY KEY,
    next_block  BIGINT                   NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
