-- The fee each journal row was charged (a sale) or given back (a refund or void) by the run that
-- settled it, and the terms it was priced with: a correction settled by a later run (a late
-- reversal, a refund of a sale settled earlier) gives back what the row paid under those terms,
-- not what the later run's schedule would charge. One row per settled journal row that moves money.
--   fee_minor      the row's signed line fee: > 0 charged, < 0 given back
--   rule_plan_id   the plan of the rule that priced it (NULL: no rule, nothing charged)
--   percent_e4     that rule's percentage in units of 0.0001 % (RETURN_PERCENTAGE_ONLY refunds)
--   refund_policy  the merchant's plan's refund policy when the run priced it (NULL: no plan row)
-- Rows settled before this migration have none: their corrections are priced as before, with the
-- schedule of the run that settles them.
CREATE TABLE settlement_fee_paid (
    journal_id       UUID         NOT NULL PRIMARY KEY,
    settlement_date  DATE         NOT NULL,
    fee_minor        BIGINT       NOT NULL,
    rule_plan_id     VARCHAR(32),
    percent_e4       BIGINT,
    refund_policy    VARCHAR(32)
);
CREATE INDEX settlement_fee_paid_date ON settlement_fee_paid (settlement_date);
