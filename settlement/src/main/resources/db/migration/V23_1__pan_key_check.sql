-- The PAN protection keys this journal's records are made under, named by what they make and never
-- the keys themselves: probe_token is the HMAC token (hex) of a fixed probe number, never a card's
-- (it fails the Luhn check), under the token key; data_key_id is the data key's check value, as
-- journal.data_key_id records it beside every encrypted PAN. Every node of a deployment must use
-- the same two keys, or a card gets another token at each node and one node's ciphertexts do not
-- decrypt at another: a starting node records its keys here when the row is missing and refuses
-- to start when they differ from the row. One row at most (id is always 1); node_id and
-- recorded_at (the database's clock) say which node recorded it, and when.
CREATE TABLE pan_key_check (
    id           SMALLINT                 NOT NULL,
    probe_token  VARCHAR(64)              NOT NULL,
    data_key_id  VARCHAR(64)              NOT NULL,
    node_id      VARCHAR(64)              NOT NULL,
    recorded_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pan_key_check_key PRIMARY KEY (id),
    CONSTRAINT pan_key_check_one_row CHECK (id = 1)
);
