-- Limit and velocity counters per card (PAN token, hex), terminal or merchant, per business date,
-- transaction type and currency. Shared by every switch node; incremented only by a conditional
-- UPDATE so that no node can push a counter over its limit.
CREATE TABLE limit_counter (
    key_kind          VARCHAR(16)              NOT NULL,
    key_value         VARCHAR(128)             NOT NULL,
    business_date     DATE                     NOT NULL,
    transaction_type  VARCHAR(32)              NOT NULL,
    currency          VARCHAR(3)               NOT NULL,
    txn_count         BIGINT                   NOT NULL,
    amount_minor      BIGINT                   NOT NULL,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT limit_counter_key PRIMARY KEY (key_kind, key_value, business_date, transaction_type, currency),
    CONSTRAINT limit_counter_not_negative CHECK (txn_count >= 0 AND amount_minor >= 0)
);
