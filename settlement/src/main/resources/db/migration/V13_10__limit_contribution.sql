-- Which request's share a counter holds, for counters a request must count in exactly once however
-- often it is resent (a refund's or a completion's share of its original). Written in the same
-- transaction as the counter's increment and deleted with its release, so a crash between the
-- counter and the journal cannot count a resend twice. contributor is the request's idempotency
-- key (terminal, STAN, transaction date, MTI class).
CREATE TABLE limit_contribution (
    key_kind          VARCHAR(16)              NOT NULL,
    key_value         VARCHAR(128)             NOT NULL,
    business_date     DATE                     NOT NULL,
    transaction_type  VARCHAR(32)              NOT NULL,
    currency          VARCHAR(3)               NOT NULL,
    contributor       VARCHAR(64)              NOT NULL,
    amount_minor      BIGINT                   NOT NULL,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT limit_contribution_key PRIMARY KEY (key_kind, key_value, business_date, transaction_type, currency, contributor)
);
