-- A terminal reversed its void after the void's reversal had gone to the issuer: the issuer
-- credited the sale, the terminal keeps it. Nothing the switch can undo on its own (a reversal is
-- never taken back), so it is kept here for operations and listed by the audit. One row per void,
-- however often its terminal repeats the reversal.
CREATE TABLE void_reversal_exception (
    void_id        UUID                     NOT NULL PRIMARY KEY,
    original_id    UUID                     NOT NULL,
    business_date  DATE                     NOT NULL,
    issuer_id      VARCHAR(32),
    terminal_id    VARCHAR(16)              NOT NULL,
    void_stan      VARCHAR(6)               NOT NULL,
    amount_minor   BIGINT                   NOT NULL,
    currency       VARCHAR(3)               NOT NULL,
    recorded_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT void_reversal_exception_void FOREIGN KEY (void_id) REFERENCES journal (id),
    CONSTRAINT void_reversal_exception_original FOREIGN KEY (original_id) REFERENCES journal (id)
);

CREATE INDEX void_reversal_exception_date ON void_reversal_exception (business_date);
