-- The registry of merchants and their terminals. A terminal's master key is stored only as a key
-- block under the local master key, never in clear.
CREATE TABLE merchant (
    merchant_id   VARCHAR(32)              NOT NULL PRIMARY KEY,
    name          VARCHAR(100)             NOT NULL,
    mcc           VARCHAR(4)               NOT NULL,
    currency      VARCHAR(3)               NOT NULL,
    fee_plan_id   VARCHAR(32)              NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE terminal (
    terminal_id    VARCHAR(16)              NOT NULL PRIMARY KEY,
    merchant_id    VARCHAR(32)              NOT NULL,
    dialect        VARCHAR(32)              NOT NULL,
    tmk_key_block  VARCHAR(512)             NOT NULL,
    allowed_types  VARCHAR(512)             NOT NULL,
    status         VARCHAR(16)              NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT terminal_merchant FOREIGN KEY (merchant_id) REFERENCES merchant (merchant_id)
);

CREATE INDEX terminal_merchant_id ON terminal (merchant_id);
