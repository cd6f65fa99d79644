-- The business date every switch node stamps on new transactions, in one row so that nodes sharing
-- the database agree. Cutover moves it with a conditional UPDATE (WHERE business_date = the date
-- being closed), so of several nodes cutting over at once exactly one succeeds.
CREATE TABLE business_calendar (
    id             INTEGER                  NOT NULL PRIMARY KEY,
    business_date  DATE                     NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT business_calendar_one_row CHECK (id = 1)
);

-- One row per cutover, written in the cutover's transaction: the history operators audit, and a
-- second guard (the key) that a date is closed once.
CREATE TABLE business_cutover (
    from_date   DATE                     NOT NULL PRIMARY KEY,
    to_date     DATE                     NOT NULL,
    cutover_by  VARCHAR(64)              NOT NULL,
    cutover_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The settlement date a journal row was settled in (NULL: not yet). Usually its business date; a
-- row that arrived after its business date was settled (a late reversal of a settled day) goes
-- into the next settlement run instead. The index finds the unsettled rows and a date's rows.
ALTER TABLE journal ADD COLUMN settlement_date DATE;
CREATE INDEX journal_settlement ON journal (settlement_date, business_date);

-- Fee plans as data: FeePlan/FeeRule in Java and the settlement SQL read the same rows.
-- percent has at most four decimals (0.0001 %), so fees are exact integer arithmetic in SQL.
CREATE TABLE fee_plan (
    plan_id        VARCHAR(32)              NOT NULL PRIMARY KEY,
    refund_policy  VARCHAR(32)              NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE fee_rule (
    plan_id           VARCHAR(32)   NOT NULL,
    scheme            VARCHAR(16)   NOT NULL,
    transaction_type  VARCHAR(32)   NOT NULL,
    percent           NUMERIC(7, 4) NOT NULL,
    fixed_minor       BIGINT        NOT NULL,
    minimum_minor     BIGINT        NOT NULL,
    maximum_minor     BIGINT        NOT NULL,
    CONSTRAINT fee_rule_key PRIMARY KEY (plan_id, scheme, transaction_type),
    CONSTRAINT fee_rule_plan FOREIGN KEY (plan_id) REFERENCES fee_plan (plan_id) ON DELETE CASCADE
);

-- A settlement run per date, in two transactions: MARKED once the rows it settles are marked
-- (and the fee schedule recorded), SETTLED once the merchant totals are written. A run that
-- stopped at MARKED is finished by the next attempt; a SETTLED date is never settled again.
CREATE TABLE settlement_run (
    settlement_date  DATE                     NOT NULL PRIMARY KEY,
    state            VARCHAR(16)              NOT NULL,
    transactions     BIGINT                   NOT NULL,
    corrections      BIGINT                   NOT NULL,
    settled_at       TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The fee schedule a run applied, resolved per plan, card scheme and transaction type (the most
-- specific rule already chosen), and each merchant's plan at the time: settlement files can be
-- written again later, identically, whatever has changed in the plans since.
CREATE TABLE settlement_fee_rule (
    settlement_date   DATE          NOT NULL,
    plan_id           VARCHAR(32)   NOT NULL,
    scheme            VARCHAR(16)   NOT NULL,
    transaction_type  VARCHAR(32)   NOT NULL,
    percent_e4        BIGINT        NOT NULL,
    fixed_minor       BIGINT        NOT NULL,
    minimum_minor     BIGINT        NOT NULL,
    maximum_minor     BIGINT        NOT NULL,
    refund_policy     VARCHAR(32)   NOT NULL,
    CONSTRAINT settlement_fee_rule_key PRIMARY KEY (settlement_date, plan_id, scheme, transaction_type)
);

CREATE TABLE settlement_merchant_plan (
    settlement_date  DATE         NOT NULL,
    merchant_id      VARCHAR(32)  NOT NULL,
    plan_id          VARCHAR(32)  NOT NULL,
    refund_policy    VARCHAR(32)  NOT NULL,
    CONSTRAINT settlement_merchant_plan_key PRIMARY KEY (settlement_date, merchant_id)
);

-- What each merchant is paid for a settlement date, per currency. Amounts are minor units:
-- net = sales - refunds - fees (fees already net of fees returned on refunds and voids).
CREATE TABLE merchant_settlement (
    settlement_date  DATE         NOT NULL,
    merchant_id      VARCHAR(32)  NOT NULL,
    currency         VARCHAR(3)   NOT NULL,
    sales_count      BIGINT       NOT NULL,
    sales_minor      BIGINT       NOT NULL,
    refund_count     BIGINT       NOT NULL,
    refund_minor     BIGINT       NOT NULL,
    fee_minor        BIGINT       NOT NULL,
    net_minor        BIGINT       NOT NULL,
    CONSTRAINT merchant_settlement_key PRIMARY KEY (settlement_date, merchant_id, currency)
);
