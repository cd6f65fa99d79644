-- The journal: one row per transaction the switch handles. Written ahead as SENT before the
-- request goes to an issuer, then moved to its outcome. Works on PostgreSQL and on H2 in
-- PostgreSQL mode. Card data: HMAC token, masked PAN and (only where settlement needs it) the
-- PAN under AES-GCM; never the PIN block, track data or CVV.
CREATE TABLE journal (
    id                  UUID                     NOT NULL PRIMARY KEY,
    node_id             VARCHAR(64)              NOT NULL,
    business_date       DATE                     NOT NULL,
    terminal_id         VARCHAR(16)              NOT NULL,
    merchant_id         VARCHAR(32)              NOT NULL,
    stan                VARCHAR(6)               NOT NULL,
    transaction_date    DATE                     NOT NULL,
    mti_class           VARCHAR(3)               NOT NULL,
    mti                 VARCHAR(4)               NOT NULL,
    local_time          TIMESTAMP                NOT NULL,
    transaction_type    VARCHAR(32)              NOT NULL,
    processing_code     VARCHAR(6)               NOT NULL,
    amount_minor        BIGINT                   NOT NULL,
    currency            VARCHAR(3)               NOT NULL,
    pan_token           BYTEA                    NOT NULL,
    masked_pan          VARCHAR(19)              NOT NULL,
    pan_ciphertext      BYTEA,
    data_key_id         VARCHAR(64),
    issuer_id           VARCHAR(32),
    switch_stan         VARCHAR(6),
    switch_rrn          VARCHAR(12),
    issuer_sent_at      TIMESTAMP WITH TIME ZONE,
    original_id         UUID,
    state               VARCHAR(20)              NOT NULL,
    outcome_state       VARCHAR(20),
    response_code       VARCHAR(2),
    auth_code           VARCHAR(6),
    response_data       BYTEA,
    late_response_code  VARCHAR(2),
    late_auth_code      VARCHAR(6),
    late_at             TIMESTAMP WITH TIME ZONE,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    -- Idempotency across nodes: a repeated request is found here, never sent twice.
    CONSTRAINT journal_idempotency UNIQUE (terminal_id, stan, transaction_date, mti_class),
    CONSTRAINT journal_original FOREIGN KEY (original_id) REFERENCES journal (id),
    CONSTRAINT journal_amount_not_negative CHECK (amount_minor >= 0)
);

-- Crash recovery looks for SENT rows of one node.
CREATE INDEX journal_node_state ON journal (node_id, state);
-- Settlement, reconciliation and audits read a business date per merchant. (No index on the PAN
-- token: velocity lives in limit_counter, and every index costs each insert on the hot path.)
CREATE INDEX journal_business_date_merchant ON journal (business_date, merchant_id);
