-- Fee rules name the currency of their fixed part, minimum and cap: minor units are worth 100
-- times more in JPY (0 decimals) than in CNY (2), and 10 times less in KWD (3). '*' is a
-- percentage-only rule of any currency (rules stored before keep '*'; one of them with a fixed
-- part, minimum or cap is refused when read, until its plan is stored again from its file).
-- The schedule a run recorded is resolved per currency too: '*' holds what prices a currency
-- the plan names no rule for.
ALTER TABLE fee_rule ADD COLUMN currency VARCHAR(3) DEFAULT '*' NOT NULL;
ALTER TABLE fee_rule DROP CONSTRAINT fee_rule_key;
ALTER TABLE fee_rule ADD CONSTRAINT fee_rule_key PRIMARY KEY (plan_id, scheme, transaction_type, currency);

ALTER TABLE settlement_fee_rule ADD COLUMN currency VARCHAR(3) DEFAULT '*' NOT NULL;
ALTER TABLE settlement_fee_rule DROP CONSTRAINT settlement_fee_rule_key;
ALTER TABLE settlement_fee_rule ADD CONSTRAINT settlement_fee_rule_key
    PRIMARY KEY (settlement_date, plan_id, scheme, transaction_type, currency);
